"""API tokens in the admin: the director names one, sees its secret once, and revokes it.

Tokens are never edited or deleted: a revoked token stays, as the record of what had access."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from staffing.api.models import ApiToken
from staffing.api.tokens import api_token_issue, api_token_revoke
from staffing.tenancy import DIRECTORS, TenantAdmin, resolve_scope

SHOWN_ONCE = (
    "The token {name}: {raw} — copy it now, it is not shown again. Systems send it as "
    "'Authorization: Bearer <token>'."
)


@admin.register(ApiToken)
class ApiTokenAdmin(TenantAdmin):
    view_roles = DIRECTORS
    edit_roles = DIRECTORS
    list_display = ("name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("created_by",)
    search_fields = ("name", "prefix")
    actions = ["revoke"]
    shown_fields = ("name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["name"] if obj is None else list(self.shown_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.shown_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The list's revoke action needs it; the change page itself shows the token read-only.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return self.may_edit(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        scope = resolve_scope(request)
        if change or scope is None or scope.district is None:
            raise Http404("No district")
        raw = api_token_issue(district=scope.district, token=obj, created_by=request.user)
        self.message_user(request, SHOWN_ONCE.format(name=obj.name, raw=raw), messages.WARNING)

    @admin.action(description="Revoke the selected tokens", permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        scope = resolve_scope(request)
        if scope is None or scope.district is None:
            raise Http404("No district")
        for token in queryset:
            api_token_revoke(district=scope.district, token_id=token.pk, user=request.user)
        self.message_user(request, f"Revoked {len(queryset)} token(s).", messages.SUCCESS)
