"""The API's one error shape: `{"error": {"code", "message", "fields"}}`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(name): [str(m) for m in (value if isinstance(value, list) else [value])]
            for name, value in detail.items()
        }
    return {}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error in one shape: `{"error": {"code", "message", "fields"}}`. Django's own
    refusals from services (PermissionDenied, ValidationError, DoesNotExist) are worded the
    same way as DRF's."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, ObjectDoesNotExist | Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    detail = exc.detail
    fields = _fields(detail)
    general = fields.pop("non_field_errors", [])
    if isinstance(detail, list):
        general = [str(message) for message in detail]
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        message = " ".join(general) or "Some values are not valid: see fields."
    else:
        code = str(exc.get_codes()) if not isinstance(detail, dict | list) else exc.default_code
        message = str(detail)
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response
