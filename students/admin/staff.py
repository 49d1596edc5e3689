"""The district admins that show students: schools with their student count, memberships with
each case manager's caseload. Staffing builds them (`staffing.admin.access`) but may not read
the students' tables, so they are registered here with that part added."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from staffing.admin.access import MembershipAdminBase, SchoolAdminBase
from staffing.models import Membership, School
from students.models import Student


def _count(rows: QuerySet[Any], group_by: str) -> Coalesce:
    """The number of `rows` per `group_by` value, as an annotation (0 when there are none)."""
    counted = rows.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@admin.register(School)
class SchoolAdmin(SchoolAdminBase):
    list_display = ["code", "name", "student_count", "aide_count"]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        students = Student.objects.filter(
            district_id=OuterRef("district_id"), school=OuterRef("pk")
        )
        scoped = super().get_tenant_queryset(request, queryset)
        annotated: QuerySet[Any] = scoped.annotate(n_students=_count(students, "school"))
        return annotated

    @admin.display(description="students", ordering="n_students")
    def student_count(self, obj: Any) -> int:
        return int(obj.n_students)


@admin.register(Membership)
class MembershipAdmin(MembershipAdminBase):
    list_display = ["user", "full_name", "role", "school_codes", "caseload_size", "staff_access"]
    fields = ["user", "role", "schools", "caseload_students"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "caseload_students"]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        caseload = Student.case_managers.through.objects.filter(membership=OuterRef("pk"))
        scoped = super().get_tenant_queryset(request, queryset)
        annotated: QuerySet[Any] = scoped.annotate(n_caseload=_count(caseload, "membership"))
        return annotated

    @admin.display(description="caseload", ordering="n_caseload")
    def caseload_size(self, obj: Any) -> int:
        return int(obj.n_caseload)

    @admin.display(description="caseload (set on each student's page)")
    def caseload_students(self, obj: Membership) -> str:
        if obj.pk is None:
            return "-"
        students = Student.objects.filter(district_id=obj.district_id, case_managers=obj)
        return ", ".join(str(s) for s in students.order_by("last_name", "first_name")) or "-"
