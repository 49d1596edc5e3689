"""Days without school: closures of one school or of the whole district. (Absences, which
re-plan, are allocations' admin.)"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from staffing.models import Closure
from staffing.tenancy import DIRECTORS, SchoolListFilter, TenantAdmin


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
