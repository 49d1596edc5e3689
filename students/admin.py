"""The case manager's working tool: students, their IEP para mandates and weekly blocks, and the
guardian links of the parent portal (the delivery ledger's admin is `allocations.ledger.admin`).
Scoped by `staffing.tenancy` (see its rules)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from staffing.models import Membership
from staffing.tenancy import (
    DIRECTORS,
    ReadOnlyTenantInline,
    SchoolListFilter,
    TenantAdmin,
    TenantInline,
    TenantListFilter,
    tenant_queryset,
    today_value,
)
from staffing.timeofday import format_span
from students import selectors
from students.models import (
    Guardian,
    MandateBlock,
    ParaMandate,
    Setting,
    Student,
    Support,
)


def block_when(block: MandateBlock) -> str:
    """`Mon 08:00-09:15`."""
    return f"{block.get_weekday_display()} {format_span(block.start, block.end)}"


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
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines))

    @admin.display(description="min/week")
    def weekly_minutes(self, obj: Any) -> int:
        return selectors.mandate_summary(obj, on=obj.as_of).weekly_minutes

    @admin.display(description="safety tier", boolean=True)
    def safety_tier(self, obj: ParaMandate) -> bool:
        return obj.is_safety_tier


class GuardianInline(TenantInline):
    model = Guardian
    student_path = "student"
    edit_roles = DIRECTORS
    fields = ["user", "relationship"]
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
        add_url = reverse("admin:students_paramandate_add") + f"?student={obj.pk}"
        days = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            (
                (
                    day,
                    format_html_join(
                        mark_safe("<br>"),
                        "{} {} ({}, {})",
                        (
                            (format_span(b.start, b.end), b.setting, b.location, b.mandate_code)
                            for b in blocks
                        ),
                    ),
                )
                for day, blocks in schedule.days
            ),
        )
        codes = " or ".join(sorted(obj.district.safety_codes))
        tier = (
            format_html(
                '<strong style="color:#b71c1c">{}</strong>: {}',
                "yes",
                f"1:1 or requires {codes}" if codes else "1:1",
            )
            if schedule.is_safety_tier
            else "no"
        )
        return format_html(
            '<table class="schedule">{}</table>'
            "<p>Weekly mandated minutes (in force today): <strong>{}</strong>"
            " ({}). Safety tier: {}.</p>"
            '<p><a href="{}">Add a para mandate</a></p>',
            days or format_html("<tr><td>{}</td></tr>", "No block in force."),
            schedule.weekly_minutes,
            f"{schedule.weekly_minutes // 60} h {schedule.weekly_minutes % 60:02d} min",
            tier,
            add_url,
        )


class MandateBlockInline(TenantInline):
    model = MandateBlock
    student_path = "mandate__student"
    fields = ["weekday", "start", "end", "when", "setting", "location"]
    view_fields = ("when", "setting", "location")
    readonly_fields = ["when"]
    extra = 1
    verbose_name_plural = "weekly blocks (times HH:MM on the 15-minute grid)"

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.order_by("weekday", "start")

    @admin.display(description="reads as")
    def when(self, obj: MandateBlock) -> str:
        return block_when(obj) if obj.pk else ""


@admin.register(ParaMandate)
class ParaMandateAdmin(TenantAdmin):
    student_path = "student"
    list_display = [
        "code",
        "student",
        "school",
        "support",
        "max_group",
        "qualifications",
        "starts_on",
        "ends_on",
        "block_count",
        "weekly_minutes",
        "safety_tier",
    ]
    list_filter = [MandateSchoolFilter, "support", MandateSettingFilter, MandateQualificationFilter]
    list_select_related = ["student", "student__school", "district"]  # its safety tier
    search_fields = ["code", "student__code", "student__first_name", "student__last_name"]
    autocomplete_fields = ["student"]
    fields = [
        "student",
        "code",
        "support",
        "max_group",
        "required_qualifications",
        "starts_on",
        "ends_on",
    ]
    inlines = [MandateBlockInline]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return selectors.mandates_with_figures(queryset)

    @admin.display(description="school", ordering="student__school__code")
    def school(self, obj: ParaMandate) -> str:
        return str(obj.student.school.code)

    @admin.display(description="required qualifications")
    def qualifications(self, obj: ParaMandate) -> str:
        return ", ".join(obj.qualification_codes) or "-"

    @admin.display(description="blocks", ordering="block_count")
    def block_count(self, obj: Any) -> int:
        return int(obj.block_count)

    @admin.display(description="min/week", ordering="weekly_minutes")
    def weekly_minutes(self, obj: Any) -> int:
        return int(obj.weekly_minutes)

    @admin.display(description="safety tier", boolean=True)
    def safety_tier(self, obj: ParaMandate) -> bool:
        return obj.is_safety_tier


class GuardianSchoolFilter(SchoolListFilter):
    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(student__school_id=school_id)


@admin.register(Guardian)
class GuardianAdmin(TenantAdmin):
    """Linking a parent opens a child's records to them: directors only."""

    student_path = "student"
    edit_roles = DIRECTORS
    list_display = ["user", "full_name", "student", "school", "relationship"]
    list_filter = [GuardianSchoolFilter]
    list_select_related = ["user", "student", "student__school"]
    search_fields = ["user__username", "user__last_name", "student__code", "student__last_name"]
    autocomplete_fields = ["student"]
    fields = ["user", "student", "relationship"]

    @admin.display(description="name")
    def full_name(self, obj: Guardian) -> str:
        return obj.user.get_full_name() or "-"

    @admin.display(description="school", ordering="student__school__code")
    def school(self, obj: Guardian) -> str:
        return str(obj.student.school.code)
