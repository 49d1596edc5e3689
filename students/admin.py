"""Students and their IEP para mandates in the admin, scoped by `staffing.tenancy`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, F, QuerySet, Sum
from django.http import HttpRequest
from django.utils.html import format_html_join

from staffing.models import School
from staffing.tenancy import ScopedFilter, TenantAdmin, TenantInline
from students.models import Guardian, MandateBlock, ParaMandate, Setting, Student, Support


class StudentSchoolFilter(ScopedFilter):
    title = "school"
    parameter_name = "school"
    model = School

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(school=self.value()) if self.value() else queryset


class SupportFilter(admin.SimpleListFilter):
    title = "support"
    parameter_name = "support"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Support.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return (
            queryset.filter(mandates__support=self.value()).distinct() if self.value() else queryset
        )


class SettingFilter(admin.SimpleListFilter):
    title = "setting"
    parameter_name = "setting"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Setting.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.value():
            return queryset
        return queryset.filter(mandates__blocks__setting=self.value()).distinct()


class RequiredQualificationFilter(admin.SimpleListFilter):
    title = "required qualification"
    parameter_name = "requires"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        values = (
            ParaMandate.objects.filter(student__in=model_admin.get_queryset(request))
            .values_list("required_qualifications", flat=True)
            .distinct()
        )
        codes = {c for v in values for c in v.split(";") if c}
        return [(c, c) for c in sorted(codes)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.value():
            return queryset
        pattern = rf"(^|;){self.value()}(;|$)"
        return queryset.filter(mandates__required_qualifications__regex=pattern).distinct()


class MandateSummaryInline(TenantInline):
    model = ParaMandate
    student_path = "student"
    fields = ("code", "support", "max_group", "required_qualifications", "starts_on", "ends_on",
              "safety_tier", "schedule")  # fmt: skip
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    verbose_name_plural = "para mandates (open one to edit its blocks)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs: QuerySet[Any] = super().get_queryset(request)
        return qs.prefetch_related("blocks")

    @admin.display(description="safety tier", boolean=True)
    def safety_tier(self, obj: ParaMandate) -> bool:
        return obj.is_safety_tier

    @admin.display(description="weekly blocks")
    def schedule(self, obj: ParaMandate) -> str:
        blocks = sorted(obj.blocks.all(), key=lambda b: (b.weekday, b.start))
        return (
            format_html_join("", "<div>{} @ {}</div>", ((str(b), b.location) for b in blocks))
            or "-"
        )


class GuardianInline(TenantInline):
    model = Guardian
    student_path = "student"
    fields = ["user", "relationship"]
    autocomplete_fields = ["user"]


@admin.register(Student)
class StudentAdmin(TenantAdmin):
    student_path = ""
    list_display = ["code", "last_name", "first_name", "school", "grade", "mandate_count",
                    "weekly_minutes"]  # fmt: skip
    list_filter = [StudentSchoolFilter, SupportFilter, SettingFilter, RequiredQualificationFilter,
                   "grade"]  # fmt: skip
    search_fields = ["code", "first_name", "last_name"]
    list_select_related = ["school"]
    inlines = [MandateSummaryInline, GuardianInline]
    exclude = ["case_managers"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs: QuerySet[Any] = super().get_queryset(request)
        annotated: QuerySet[Any] = qs.annotate(
            n_mandates=Count("mandates", distinct=True),
            weekly=Sum(F("mandates__blocks__end") - F("mandates__blocks__start")),
        )
        return annotated

    @admin.display(description="mandates", ordering="n_mandates")
    def mandate_count(self, obj: Any) -> int:
        return int(obj.n_mandates)

    @admin.display(description="mandated min/week", ordering="weekly")
    def weekly_minutes(self, obj: Any) -> int:
        return int(obj.weekly or 0)


class BlockInline(TenantInline):
    model = MandateBlock
    student_path = "mandate__student"
    fields = ["weekday", "start", "end", "setting", "location"]


@admin.register(ParaMandate)
class ParaMandateAdmin(TenantAdmin):
    student_path = "student"
    list_display = ["code", "student", "support", "max_group", "required_qualifications",
                    "starts_on", "ends_on"]  # fmt: skip
    list_filter = ["support", "blocks__setting"]
    search_fields = ["code", "student__code", "student__last_name"]
    list_select_related = ["student"]
    autocomplete_fields = ["student"]
    inlines = [BlockInline]


@admin.register(Guardian)
class GuardianAdmin(TenantAdmin):
    student_path = "student"
    list_display = ["user", "student", "relationship"]
    list_select_related = ["user", "student"]
    autocomplete_fields = ["student", "user"]
