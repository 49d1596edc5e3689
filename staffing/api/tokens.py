"""API tokens: issued by a district's director, revoked by one, looked up by their hash.

The secret is 256 random bits, so a plain SHA-256 of it is as good as a slow hash against a
stolen table, and unlike a keyed hash it survives a rotation of SECRET_KEY (which would
otherwise break every district system at once)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from staffing.api.models import ApiToken
from staffing.models import District
from staffing.tenancy import DIRECTOR, district_staff_scope

PREFIX = "pc_"
# A token's last use is written at most this often, so a busy system does not write a row on
# every call.
TOUCH_EVERY = dt.timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_director(*, district: District, user: Any) -> None:
    refusal = "Only the district's director manages its API tokens."
    scope = district_staff_scope(user=user, district_id=district.pk, refusal=refusal)
    if scope.role != DIRECTOR:
        raise PermissionDenied(refusal)


@transaction.atomic
def api_token_issue(*, district: District, token: ApiToken, created_by: Any) -> str:
    """Store `token` (a new, unsaved row with its name) with a fresh secret, and return the
    secret: the only time it is ever shown."""
    _check_director(district=district, user=created_by)
    raw = PREFIX + secrets.token_urlsafe(32)
    token.district = district
    token.created_by = created_by
    token.prefix = raw[: len(PREFIX) + 6]
    token.token_hash = token_digest(raw)
    token.full_clean(exclude=["created_by"])
    token.save()
    return raw


@transaction.atomic
def api_token_revoke(*, district: District, token_id: int, user: Any) -> ApiToken:
    """Revoke one of the district's tokens (already revoked: unchanged)."""
    _check_director(district=district, user=user)
    token = ApiToken.objects.select_for_update().get(pk=token_id, district=district)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_active(*, raw: str) -> ApiToken | None:
    """The live token with this secret (None for an unknown or revoked one), its use recorded."""
    token = (
        ApiToken.objects.select_related("district", "created_by")
        .filter(token_hash=token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY)
    ).update(last_used_at=now)
    return token
