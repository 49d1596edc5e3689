"""The record of access in the admin: directors read their district's log, per student through
the search box (a student's code) or `?student_code=`; nobody adds, changes or deletes a row."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from allocations.access.models import StudentAccess
from staffing.tenancy import DIRECTORS, TenantAdmin


@admin.register(StudentAccess)
class StudentAccessAdmin(TenantAdmin):
    # Scoped like the students' own pages (an operator or a director sees the district; the
    # scope rule would narrow anyone else); reading the log is not a read of the records.
    student_path = "student"
    view_roles = DIRECTORS
    edit_roles = frozenset()
    list_display = ["at", "student_code", "user_name", "role", "door", "what"]
    list_filter = ["door", "role"]
    search_fields = ["=student_code", "user_name"]
    fields = ("at", "student_code", "student_id", "user_name", "user_id", "role", "door", "what")
    readonly_fields = fields
    actions = None
    show_full_result_count = False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        return lookup == "student_code" or super().lookup_allowed(lookup, value, request)

    def students_read(self, request: HttpRequest, objects: list[Any], page: str) -> None:
        return None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
