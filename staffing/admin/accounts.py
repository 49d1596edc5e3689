"""Platform accounts (users, groups) are the operators' business: a director must never browse
other districts' people, even if someone grants them Django's model permissions on users."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest


class OperatorOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


class PlatformUserAdmin(OperatorOnly, UserAdmin):  # type: ignore[type-arg]
    pass


class PlatformGroupAdmin(OperatorOnly, GroupAdmin):
    pass


for _model, _admin in (
    (get_user_model(), PlatformUserAdmin),
    (Group, PlatformGroupAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
