"""The case manager's and director's admin for staffing: scoped by `staffing.tenancy`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    AideSchool,
    AvailabilityWindow,
    Closure,
    Contract,
    Membership,
    School,
)
from staffing.tenancy import ScopedFilter, TenantAdmin, TenantInline
from staffing.timeofday import format_span

admin.site.site_header = "ParaCover"
admin.site.site_title = "ParaCover"
admin.site.index_title = "Your district"

EXPIRY_WARNING_DAYS = 30


def expiry_badge(expires_on: dt.date | None) -> str:
    if expires_on is None:
        return "no expiry"
    today = timezone.localdate()
    if expires_on < today:
        return format_html('<strong style="color:#c62828">expired {}</strong>', expires_on)
    if expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return format_html('<strong style="color:#ef6c00">expires {}</strong>', expires_on)
    return f"valid until {expires_on}"


class SchoolFilter(ScopedFilter):
    title = "school"
    parameter_name = "school"
    model = School

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(schools=self.value()) if self.value() else queryset


class QualificationFilter(admin.SimpleListFilter):
    title = "qualification"
    parameter_name = "qualification"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = model_admin.get_queryset(request).values_list(
            "qualifications__qualification", flat=True
        )
        return [(c, c) for c in sorted({c for c in codes if c})]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.value():
            return queryset
        return queryset.filter(qualifications__qualification=self.value()).distinct()


class EmployerFilter(admin.SimpleListFilter):
    title = "employer"
    parameter_name = "employer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = model_admin.get_queryset(request).values_list("contract__code", flat=True)
        return [("district", "District staff")] + [
            (c, f"Contract {c}") for c in sorted({c for c in codes if c})
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "district":
            return queryset.filter(contract__isnull=True)
        if self.value():
            return queryset.filter(contract__code=self.value())
        return queryset


@admin.register(School)
class SchoolAdmin(TenantAdmin):
    director_only = True
    list_display = ["code", "name", "student_count", "aide_count"]
    search_fields = ["code", "name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs: QuerySet[Any] = super().get_queryset(request)
        annotated: QuerySet[Any] = qs.annotate(
            n_students=Count("students", distinct=True), n_aides=Count("aides", distinct=True)
        )
        return annotated

    @admin.display(description="students", ordering="n_students")
    def student_count(self, obj: Any) -> int:
        return int(obj.n_students)

    @admin.display(description="aides", ordering="n_aides")
    def aide_count(self, obj: Any) -> int:
        return int(obj.n_aides)


@admin.register(Contract)
class ContractAdmin(TenantAdmin):
    director_only = True
    list_display = ["code", "agency", "starts_on", "ends_on", "weekly_minute_cap", "hourly_rate"]
    search_fields = ["code", "agency"]


class QualificationInline(TenantInline):
    model = AideQualification
    fields = ["qualification", "expires_on", "status"]
    readonly_fields = ["status"]

    @admin.display(description="status")
    def status(self, obj: AideQualification) -> str:
        return expiry_badge(obj.expires_on) if obj.pk else ""


class AvailabilityInline(TenantInline):
    model = AvailabilityWindow
    fields = ["weekday", "start", "end"]


class AideSchoolInline(TenantInline):
    model = AideSchool
    fields = ["school"]
    verbose_name = "school the aide may work at"
    verbose_name_plural = "schools the aide may work at (one per day)"


@admin.register(Aide)
class AideAdmin(TenantAdmin):
    director_only = True
    list_display = ["code", "name", "employer_label", "school_codes", "max_weekly_minutes",
                    "qualification_list"]  # fmt: skip
    list_filter = [SchoolFilter, QualificationFilter, EmployerFilter]
    search_fields = ["code", "name"]
    inlines = [AideSchoolInline, QualificationInline, AvailabilityInline]
    exclude = ["schools"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .select_related("contract")
            .prefetch_related("schools", "qualifications")
        )

    @admin.display(description="employer", ordering="contract__code")
    def employer_label(self, obj: Aide) -> str:
        return obj.employer

    @admin.display(description="schools")
    def school_codes(self, obj: Aide) -> str:
        return ", ".join(s.code for s in obj.schools.all())

    @admin.display(description="qualifications")
    def qualification_list(self, obj: Aide) -> str:
        today = timezone.localdate()
        parts = []
        for q in obj.qualifications.all():
            if q.expires_on is not None and q.expires_on < today:
                parts.append(format_html('<s style="color:#c62828">{}</s>', q.qualification))
            else:
                parts.append(format_html("{}", q.qualification))
        return format_html(", ".join(["{}"] * len(parts)), *parts) if parts else "-"


@admin.register(Absence)
class AbsenceAdmin(TenantAdmin):
    list_display = ["date", "aide", "span", "reason"]
    list_filter = ["date"]
    search_fields = ["aide__code", "aide__name", "reason"]
    list_select_related = ["aide"]
    autocomplete_fields = ["aide"]
    date_hierarchy = "date"

    @admin.display(description="when")
    def span(self, obj: Absence) -> str:
        return format_span(obj.start, obj.end)


@admin.register(Closure)
class ClosureAdmin(TenantAdmin):
    director_only = True
    list_display = ["date", "school", "reason"]
    list_select_related = ["school"]


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    director_only = True
    list_display = ["user", "role"]
    list_select_related = ["user"]
    filter_horizontal = ["schools"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, write=True)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, write=True)
