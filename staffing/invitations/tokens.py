"""The secret in an invitation link. Only a keyed hash is stored, so the table alone (a backup,
a read replica) opens no invitation; rotating SECRET_KEY voids the links not yet used."""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

_SALT = "paracover.invitation"


def token_digest(token: str) -> str:
    return salted_hmac(_SALT, token, algorithm="sha256").hexdigest()


def token_new() -> tuple[str, str]:
    """A fresh token (256 random bits, for the link) and its digest (for the database)."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)
