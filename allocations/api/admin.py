"""Bundle imports sent to the API, for the district's director to look back on (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from allocations.api.models import ImportJob
from staffing.tenancy import DIRECTORS, TenantAdmin


@admin.register(ImportJob)
class ImportJobAdmin(TenantAdmin):
    view_roles = DIRECTORS
    edit_roles = frozenset()
    list_display = ("file_name", "status", "progress_percent", "created_by", "created_at")
    list_select_related = ("created_by",)
    list_filter = ("status",)
    fields = (
        "file_name",
        "size_bytes",
        "status",
        "progress_percent",
        "progress_note",
        "errors",
        "summary",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Imports are sent to the API (POST /api/v1/imports/), not typed in here.
        return False
