"""Days without school or without an aide: closures and absences."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from staffing.models import Absence, AideSchool, Closure
from staffing.tenancy import DIRECTORS, SchoolListFilter, TenantAdmin
from staffing.timeofday import format_span


class AbsenceSchoolFilter(SchoolListFilter):
    title = "aide's school"

    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(
            Exists(AideSchool.objects.filter(aide=OuterRef("aide_id"), school_id=school_id))
        )


class ClosureSchoolFilter(SchoolListFilter):
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            (self.ALL, "All schools (district-wide)"),
            *super().lookups(request, model_admin),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == self.ALL:
            return queryset.filter(school__isnull=True)
        return super().queryset(request, queryset)


@admin.register(Absence)
class AbsenceAdmin(TenantAdmin):
    list_display = ["date", "aide", "span", "reason"]
    list_filter = ["date", AbsenceSchoolFilter]
    list_select_related = ["aide"]
    search_fields = ["aide__code", "aide__name", "reason"]
    autocomplete_fields = ["aide"]
    date_hierarchy = "date"
    ordering = ["-date", "aide__code"]
    fields = ["aide", "date", "start", "end", "reason"]
    view_fields = ("aide", "date", "span", "reason")
    readonly_fields = ["span"]

    @admin.display(description="time", ordering="start")
    def span(self, obj: Absence) -> str:
        return format_span(obj.start, obj.end)


@admin.register(Closure)
class ClosureAdmin(TenantAdmin):
    edit_roles = DIRECTORS
    list_display = ["date", "where", "reason"]
    list_filter = ["date", ClosureSchoolFilter]
    list_select_related = ["school"]
    search_fields = ["reason", "school__code", "school__name"]
    date_hierarchy = "date"
    ordering = ["-date"]

    @admin.display(description="school", ordering="school__code")
    def where(self, obj: Closure) -> str:
        return str(obj.school) if obj.school else "all schools"
