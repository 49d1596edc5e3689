"""Token authentication: `Authorization: Bearer <token>`.

A token acts as the director who made it (the services record who did what), and only while
that person is still its district's director: a token whose maker left, or was made a case
manager, is refused like a revoked one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from staffing.api.models import ApiToken
from staffing.api.tokens import api_token_active
from staffing.tenancy import DIRECTOR, scope_for_user

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace") != KEYWORD:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give one token after Bearer."))
        token = api_token_active(raw=header[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked token."))
        scope = scope_for_user(token.created_by)
        if scope is None or scope.district != token.district or scope.role != DIRECTOR:
            raise exceptions.AuthenticationFailed(
                _("The director who made this token no longer directs its district.")
            )
        return token.created_by, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The token in the OpenAPI schema, so Swagger UI can send it."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A district API token."}
