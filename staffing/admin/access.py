"""Schools and memberships (who may sign in, with which role and schools): the bases of their
admins, which `students.admin.staff` registers with the students' part added."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from staffing.invitations.admin import InviteAddView, site_url
from staffing.invitations.forms import StaffInviteForm
from staffing.invitations.services import staff_invitation_send
from staffing.models import AideSchool, Membership, School
from staffing.tenancy import DIRECTORS, TenantAdmin, resolve_scope


class SchoolAdminBase(TenantAdmin):
    """Schools with their aides. Registered by `students.admin.staff`, which adds the students
    (staffing does not read the students' tables)."""

    edit_roles = DIRECTORS
    list_display = ["code", "name", "aide_count"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        aides = (
            AideSchool.objects.filter(district_id=OuterRef("district_id"), school=OuterRef("pk"))
            .order_by()
            .values("school")
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotated: QuerySet[Any] = queryset.annotate(
            n_aides=Coalesce(Subquery(aides, output_field=IntegerField()), Value(0)),
        )
        return annotated

    @admin.display(description="aides", ordering="n_aides")
    def aide_count(self, obj: Any) -> int:
        return int(obj.n_aides)


class MembershipAdminBase(InviteAddView, TenantAdmin):
    """Directors grant and shape access; an operator may provision any district's first
    director. Access is granted by invitation (the add page invites an email address,
    `staffing.invitations`); an existing membership's role and schools are edited here. Nobody
    edits their own membership (no accidental self-lockout). Registered by
    `students.admin.staff`, which adds each case manager's caseload."""

    invite_title = "Invite a director or case manager"

    view_roles = DIRECTORS
    edit_roles = DIRECTORS
    operator_can_write = True
    list_display = [
        "user",
        "full_name",
        "role",
        "school_codes",
        "staff_access",
    ]
    list_filter = ["role"]
    list_select_related = ["user"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
    ]
    fields = ["user", "role", "schools"]
    filter_horizontal = ["schools"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["user"]

    def invite_form(self, request: HttpRequest, data: Any) -> StaffInviteForm:
        scope = resolve_scope(request)
        return StaffInviteForm(data, district=scope.district if scope else None)

    def invite(self, request: HttpRequest, form: Any) -> None:
        data = form.cleaned_data
        staff_invitation_send(
            district=data["district"],
            invited_by=request.user,
            email=data["email"],
            role=data["role"],
            schools=data["schools"],
            site_url=site_url(request),
        )

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.prefetch_related(
            Prefetch("schools", queryset=School.objects.order_by("code"))
        )

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and obj.user_id == request.user.pk

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._own(request, obj)

    @admin.display(description="name")
    def full_name(self, obj: Membership) -> str:
        return obj.user.get_full_name() or "-"

    @admin.display(description="schools")
    def school_codes(self, obj: Membership) -> str:
        return ", ".join(s.code for s in obj.schools.all()) or "-"

    @admin.display(description="can sign in to the admin", boolean=True)
    def staff_access(self, obj: Membership) -> bool:
        return bool(obj.user.is_staff and obj.user.is_active)
