"""Schools and memberships (who may sign in, with which role and schools): the bases of their
admins, which `students.admin.staff` registers with the students' part added."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest

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


class MembershipAdminBase(TenantAdmin):
    """Directors grant and shape access; an operator may provision any district's first
    director. Nobody edits their own membership here (no accidental self-lockout). Registered
    by `students.admin.staff`, which adds each case manager's caseload."""

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

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        scope = resolve_scope(request)
        if scope is not None and scope.is_operator and obj is None:
            return ["district", "user", "role", "schools"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["user"] if obj is not None else []

    def linkable_users(self, request: HttpRequest, db_field: Any) -> QuerySet[Any]:
        # A staff user belongs to one district: nobody already a member elsewhere.
        scope = resolve_scope(request)
        others = Membership.objects.filter(user=OuterRef("pk"))
        if scope is not None and scope.district is not None:
            others = others.exclude(district=scope.district)
        return super().linkable_users(request, db_field).filter(~Exists(others))

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
