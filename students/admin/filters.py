"""List filters of the students admin: by school, support, setting and required
qualification, each over the user's own district."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from staffing.tenancy import SchoolListFilter, TenantListFilter, tenant_queryset
from students import selectors
from students.models import MandateBlock, ParaMandate, Setting, Support


class StudentSchoolFilter(SchoolListFilter):
    pass


class MandateSchoolFilter(SchoolListFilter):
    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(student__school_id=school_id)


class SupportFilter(admin.SimpleListFilter):
    title = "support"
    parameter_name = "support"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in Support.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() is None:
            return queryset
        return queryset.filter(
            Exists(
                ParaMandate.objects.filter(
                    district_id=OuterRef("district_id"),
                    student=OuterRef("pk"),
                    support=self.value(),
                )
            )
        )


class SettingFilter(admin.SimpleListFilter):
    title = "setting"
    parameter_name = "setting"
    # Path from the listed model to MandateBlock's mandate.
    mandate_path = "mandate__student"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in Setting.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() is None:
            return queryset
        return queryset.filter(
            Exists(
                MandateBlock.objects.filter(
                    district_id=OuterRef("district_id"),
                    setting=self.value(),
                    **{self.mandate_path: OuterRef("pk")},
                )
            )
        )


class MandateSettingFilter(SettingFilter):
    mandate_path = "mandate"


class RequiredQualificationFilter(TenantListFilter):
    title = "required qualification"
    parameter_name = "qualification"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        values = (
            tenant_queryset(request, ParaMandate)
            .exclude(required_qualifications="")
            .order_by()
            .values_list("required_qualifications", flat=True)
            .distinct()
        )
        codes = sorted({code for value in values for code in value.split(";") if code})
        return [(code, code) for code in codes]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        code = self.value()
        if code is None:
            return queryset
        return queryset.filter(
            Exists(
                ParaMandate.objects.filter(
                    selectors.qualification_q(code),
                    district_id=OuterRef("district_id"),
                    student=OuterRef("pk"),
                )
            )
        )


class MandateQualificationFilter(RequiredQualificationFilter):
    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        code = self.value()
        return queryset if code is None else queryset.filter(selectors.qualification_q(code))


class GuardianSchoolFilter(SchoolListFilter):
    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(student__school_id=school_id)
