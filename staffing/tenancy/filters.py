"""List filters whose values come from the user's own district."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from staffing.models import School
from staffing.tenancy.scope import tenant_queryset


class TenantListFilter(admin.SimpleListFilter):
    """A list filter whose values come from the user's own district (Django's
    RelatedFieldListFilter would list every district's rows). Values that are not ours simply
    match nothing, since the filter narrows the already scoped queryset."""

    def value_id(self) -> int | None:
        value = self.value()
        return int(value) if value and value.isdigit() else None


class SchoolListFilter(TenantListFilter):
    """Filter by one of the district's schools; subclasses say how rows reach a school."""

    title = "school"
    parameter_name = "school"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        schools = tenant_queryset(request, School).order_by("name", "code")
        return [
            (str(pk), f"{name} ({code})")
            for pk, code, name in schools.values_list("pk", "code", "name")
        ]

    def filter_school(self, queryset: models.QuerySet[Any], school_id: int) -> models.QuerySet[Any]:
        return queryset.filter(school_id=school_id)

    def queryset(
        self, request: HttpRequest, queryset: models.QuerySet[Any]
    ) -> models.QuerySet[Any]:
        if self.value() is None:
            return queryset
        school_id = self.value_id()
        if school_id is None:
            return queryset.none()
        return self.filter_school(queryset, school_id)
