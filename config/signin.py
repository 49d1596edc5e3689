"""The address that sign-in attempts are counted against (the throttle, docs/security.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    """The connecting peer, or, behind `TRUSTED_PROXY_COUNT` reverse proxies, the address the
    outermost of them saw. Each proxy appends the address it saw to X-Forwarded-For; whatever
    stands before those entries the client wrote itself, so it is never believed."""
    peer = str(request.META.get("REMOTE_ADDR", ""))
    count = int(settings.TRUSTED_PROXY_COUNT)
    if count <= 0:
        return peer
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    return forwarded[-count] if len(forwarded) >= count else peer


def lockout_response(
    request: HttpRequest, response: HttpResponse | None, credentials: dict[str, object] | None
) -> HttpResponse:
    """The page a refused sign-in gets instead of the form (429 Too Many Requests)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
