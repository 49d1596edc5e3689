"""The email outbox, read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from staffing.mailing import MAX_ATTEMPTS
from staffing.models import Notification
from staffing.tenancy import DIRECTORS, TenantAdmin, TenantListFilter


class DeliveryFilter(TenantListFilter):
    title = "delivery"
    parameter_name = "delivery"
    CHOICES = {
        "pending": Q(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS),
        "sent": Q(sent_at__isnull=False),
        "given_up": Q(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS),
    }

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("pending", "Pending"), ("sent", "Sent"), ("given_up", "Given up")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(self.CHOICES[value]) if value in self.CHOICES else queryset.none()


@admin.register(Notification)
class NotificationAdmin(TenantAdmin):
    """The email outbox, read-only: rows are written by `staffing.notify` and sent by workers.
    Directors only, since each row holds one person's alert."""

    view_roles = DIRECTORS
    edit_roles = frozenset()
    list_display = ["created_at", "user", "subject", "urgent", "sent_at", "attempts"]
    list_filter = ["urgent", DeliveryFilter]
    list_select_related = ["user"]
    search_fields = ["key", "subject", "user__username", "user__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fields = (
        "user",
        "key",
        "subject",
        "body",
        "urgent",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
