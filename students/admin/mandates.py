"""IEP para mandates with their weekly blocks, and the guardian links of the parent portal."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from staffing.invitations.admin import InviteAddView, site_url
from staffing.tenancy import DIRECTORS, EVERY_ROLE, TenantAdmin, TenantInline
from staffing.timeofday import format_span
from students import selectors
from students.admin.filters import (
    GuardianSchoolFilter,
    MandateQualificationFilter,
    MandateSchoolFilter,
    MandateSettingFilter,
)
from students.invitations.forms import GuardianInviteForm
from students.invitations.services import guardian_invitation_send
from students.models import Guardian, MandateBlock, ParaMandate, Student


def block_when(block: MandateBlock) -> str:
    """`Mon 08:00-09:15`."""
    return f"{block.get_weekday_display()} {format_span(block.start, block.end)}"


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


@admin.register(Guardian)
class GuardianAdmin(InviteAddView, TenantAdmin):
    """Linking a parent opens a child's records to them. It goes by invitation (the add page
    invites an email address, `students.invitations`): directors invite for any student, case
    managers for the students in their scope. Editing or removing a link is the director's; the
    linked account never changes here."""

    student_path = "student"
    # Case managers add (invite) within their scope; change and delete are the director's.
    edit_roles = EVERY_ROLE
    invite_title = "Invite a parent or guardian"
    list_display = ["user", "full_name", "student", "school", "relationship"]
    list_filter = [GuardianSchoolFilter]
    list_select_related = ["user", "student", "student__school"]
    search_fields = ["user__username", "user__last_name", "student__code", "student__last_name"]
    autocomplete_fields = ["student"]
    fields = ["user", "student", "relationship"]
    readonly_fields = ["user"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, DIRECTORS, write=True)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, DIRECTORS, write=True)

    def invite_form(self, request: HttpRequest, data: Any) -> GuardianInviteForm:
        students = self.choices_for(request, Student)
        return GuardianInviteForm(
            data, students=students, admin_site=self.admin_site, initial=request.GET.dict()
        )

    def invite(self, request: HttpRequest, form: Any) -> None:
        data = form.cleaned_data
        student = data["student"]
        guardian_invitation_send(
            district=student.district,
            invited_by=request.user,
            email=data["email"],
            student=student,
            relationship=data["relationship"],
            site_url=site_url(request),
        )

    @admin.display(description="name")
    def full_name(self, obj: Guardian) -> str:
        return obj.user.get_full_name() or "-"

    @admin.display(description="school", ordering="student__school__code")
    def school(self, obj: Guardian) -> str:
        return str(obj.student.school.code)
