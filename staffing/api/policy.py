"""Who may call the API, how lists are cut into pages, and how often one may call."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, pagination, permissions, throttling
from rest_framework.request import Request

from staffing.api.models import ApiToken
from staffing.tenancy import resolve_scope


class StaffOnly(permissions.BasePermission):
    """Signed-in staff of one district: directors and case managers (or a token, which acts as
    its director). Parents and platform operators get nothing from the API; writes need one of
    the view's `write_roles`."""

    message = "The API is for a district's staff and its systems."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated
        scope = resolve_scope(request)
        if scope is None or scope.district is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        roles: frozenset[str] = getattr(view, "write_roles", frozenset())
        if scope.role not in roles:
            self.message = "Your role may not do this."
            return False
        return True


class Pages(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class PersonThrottle(throttling.UserRateThrottle):
    """Per signed-in person (session); calls with a token count against the token instead."""

    scope = "person"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            return None
        return super().get_cache_key(request, view)


class TokenThrottle(throttling.SimpleRateThrottle):
    """Per API token."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
