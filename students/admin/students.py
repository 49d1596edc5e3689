"""Students: the list with their mandated minutes, and each student's page with their weekly
schedule, their mandates (read-only here) and the parents linked to them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from staffing.models import Membership
from staffing.tenancy import DIRECTORS, ReadOnlyTenantInline, TenantAdmin, TenantInline, today_value
from staffing.timeofday import format_span
from students import selectors
from students.admin.filters import (
    RequiredQualificationFilter,
    SettingFilter,
    StudentSchoolFilter,
    SupportFilter,
)
from students.models import Guardian, ParaMandate, Student

MANDATE_COLUMNS = (
    "mandate",
    "support",
    "max_group",
    "qualifications",
    "dates",
    "blocks",
    "weekly_minutes",
    "safety_tier",
)


class MandateTableInline(ReadOnlyTenantInline):
    """Each mandate of the student, read-only: it is edited on its own page, with its blocks."""

    model = ParaMandate
    student_path = "student"
    fields = MANDATE_COLUMNS
    readonly_fields = MANDATE_COLUMNS
    verbose_name = "para mandate"
    verbose_name_plural = "para mandates (open one to edit it and its weekly blocks)"

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        annotated: QuerySet[Any] = queryset.annotate(as_of=today_value(request))
        return (
            annotated.select_related("district")
            .prefetch_related("blocks")
            .order_by("starts_on", "code")
        )

    @admin.display(description="mandate")
    def mandate(self, obj: ParaMandate) -> str:
        url = reverse("admin:students_paramandate_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.code)

    @admin.display(description="required qualifications")
    def qualifications(self, obj: ParaMandate) -> str:
        return ", ".join(obj.qualification_codes) or "-"

    @admin.display(description="in force")
    def dates(self, obj: Any) -> str:
        summary = selectors.mandate_summary(obj, on=obj.as_of)
        until = summary.ends_on.isoformat() if summary.ends_on else "open-ended"
        state = "" if summary.in_force else " (not in force today)"
        return f"{summary.starts_on.isoformat()} to {until}{state}"

    @admin.display(description="weekly blocks")
    def blocks(self, obj: Any) -> str:
        lines = selectors.block_groups(selectors.mandate_summary(obj, on=obj.as_of).blocks)
        if not lines:
            return "-"
        return render_to_string("students/admin/block_lines.html", {"lines": lines})

    @admin.display(description="min/week")
    def weekly_minutes(self, obj: Any) -> int:
        return selectors.mandate_summary(obj, on=obj.as_of).weekly_minutes

    @admin.display(description="safety tier", boolean=True)
    def safety_tier(self, obj: ParaMandate) -> bool:
        return obj.is_safety_tier


class GuardianInline(TenantInline):
    """The student's parents; a new one is invited from the guardian admin, and the linked
    account never changes (see `GuardianAdmin`)."""

    model = Guardian
    student_path = "student"
    edit_roles = DIRECTORS
    fields = ["user", "relationship"]
    readonly_fields = ["user"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    verbose_name = "parent or guardian with portal access"
    verbose_name_plural = "parents and guardians with portal access"


@admin.register(Student)
class StudentAdmin(TenantAdmin):
    student_path = ""
    list_display = [
        "code",
        "last_name",
        "first_name",
        "school",
        "grade",
        "mandate_count",
        "weekly_minutes",
        "safety_tier",
    ]
    list_display_links = ["code", "last_name"]
    list_filter = [
        StudentSchoolFilter,
        SupportFilter,
        SettingFilter,
        RequiredQualificationFilter,
        "grade",
    ]
    list_select_related = ["school"]
    search_fields = ["code", "first_name", "last_name"]
    fields = ["code", "first_name", "last_name", "school", "grade", "case_managers", "schedule"]
    readonly_fields = ["schedule"]
    filter_horizontal = ["case_managers"]
    inlines = [MandateTableInline, GuardianInline]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = today_value(request)
        return selectors.students_with_figures(queryset, on=today.value).annotate(as_of=today)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "case_managers" and field is not None:
            field.queryset = (
                field.queryset.filter(role=Membership.Role.CASE_MANAGER)
                .select_related("user")
                .order_by("user__username")
            )
        return field

    @admin.display(description="mandates in force", ordering="mandate_count")
    def mandate_count(self, obj: Any) -> int:
        return int(obj.mandate_count)

    @admin.display(description="mandated min/week", ordering="weekly_minutes")
    def weekly_minutes(self, obj: Any) -> int:
        return int(obj.weekly_minutes)

    @admin.display(description="safety tier", boolean=True, ordering="safety_tier")
    def safety_tier(self, obj: Any) -> bool:
        return bool(obj.safety_tier)

    @admin.display(description="weekly schedule")
    def schedule(self, obj: Any) -> str:
        if obj.pk is None:
            return "-"
        schedule = selectors.student_schedule(district=obj.district, student=obj, on=obj.as_of)
        minutes = schedule.weekly_minutes
        return render_to_string(
            "students/admin/student_schedule.html",
            {
                "days": [
                    (day, [(format_span(b.start, b.end), b) for b in blocks])
                    for day, blocks in schedule.days
                ],
                "weekly_minutes": minutes,
                "duration": f"{minutes // 60} h {minutes % 60:02d} min",
                "is_safety_tier": schedule.is_safety_tier,
                "safety_codes": " or ".join(sorted(obj.district.safety_codes)),
                "add_url": reverse("admin:students_paramandate_add") + f"?student={obj.pk}",
            },
        )
