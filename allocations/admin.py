"""Allocation runs are read in the admin, never edited: a plan changes only by a new run."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from allocations.models import AllocationRun, Assignment, UnstaffedRun
from staffing.tenancy import TenantAdmin


class ReadOnlyAdmin(TenantAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    list_display = ["week_start", "status", "is_current", "covered_minutes", "due_minutes",
                    "bound_minutes", "progress_percent", "created_at", "total_seconds"]  # fmt: skip
    list_filter = ["status", "is_current", "week_start"]
    readonly_fields = ["rows"]
    exclude = ["district"]

    @admin.display(description="rows of this run")
    def rows(self, obj: AllocationRun) -> str:
        assignments = reverse("admin:allocations_assignment_changelist")
        unstaffed = reverse("admin:allocations_unstaffedrun_changelist")
        return format_html(
            '<a href="{}?run__id__exact={}">{} assignments</a> · '
            '<a href="{}?run__id__exact={}">{} unstaffed runs</a>',
            assignments, obj.pk, obj.assignments.count(),
            unstaffed, obj.pk, obj.unstaffed.count(),
        )  # fmt: skip


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    student_path = "mandate__student"
    list_display = ["date", "__str__", "aide", "mandate", "run"]
    list_filter = ["date"]
    list_select_related = ["aide", "mandate", "run"]
    search_fields = ["aide__code", "mandate__code", "mandate__student__code"]


@admin.register(UnstaffedRun)
class UnstaffedRunAdmin(ReadOnlyAdmin):
    student_path = "mandate__student"
    list_display = ["date", "__str__", "mandate", "reason", "run"]
    list_filter = ["reason", "date"]
    list_select_related = ["mandate", "run"]
    search_fields = ["mandate__code", "mandate__student__code"]
