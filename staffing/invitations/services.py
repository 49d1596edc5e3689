"""Sending and accepting invitations, for every kind (`invitation_issue`, `invitation_accept`),
and staffing's own kind: a membership (`staff_invitation_send`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from staffing.invitations.accounts import account_linkable, invitation_account
from staffing.invitations.kinds import InvitationKind, kind_get, kind_register
from staffing.invitations.models import StaffInvitation
from staffing.invitations.tokens import token_digest, token_new
from staffing.models import District, Membership, School
from staffing.notify import notify
from staffing.tenancy import DIRECTOR, scope_for_user


class InvitationUnusable(Exception):
    """The link is unknown, used, expired, or its account now belongs to another district: one
    answer for all, so the page tells nothing about other people's invitations."""


def invitation_expiry() -> dt.timedelta:
    return dt.timedelta(days=settings.INVITATION_EXPIRY_DAYS)


def email_normalize(email: str) -> str:
    return BaseUserManager.normalize_email(email.strip())


def invitation_issue(
    *,
    kind: InvitationKind,
    district: District,
    email: str,
    invited_by: Any,
    site_url: str,
    fields: dict[str, Any],
    many: dict[str, Iterable[Any]] | None = None,
) -> tuple[Any, str]:
    """Store an invitation of `kind` (with its own `fields` and many-to-many rows `many`) and
    queue its email, in one transaction; returns the invitation and the link's token (stored
    only as a hash)."""
    email = email_normalize(email)
    with transaction.atomic():
        return _issue(
            kind=kind,
            district=district,
            email=email,
            invited_by=invited_by,
            site_url=site_url,
            fields=fields,
            many=many or {},
        )


def _issue(
    *,
    kind: InvitationKind,
    district: District,
    email: str,
    invited_by: Any,
    site_url: str,
    fields: dict[str, Any],
    many: dict[str, Iterable[Any]],
) -> tuple[Any, str]:
    user, made = invitation_account(district=district, email=email)
    token, digest = token_new()
    now = timezone.now()
    invitation = kind.model._default_manager.create(
        district=district,
        email=email,
        user=user,
        made_account=made,
        token_hash=digest,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + invitation_expiry(),
        **fields,
    )
    for name, rows in many.items():
        getattr(invitation, name).set(rows)
    link = site_url.rstrip("/") + reverse(
        "invitations:accept", kwargs={"kind": kind.name, "token": token}
    )
    inviter = invited_by.get_full_name() or invited_by.get_username()
    expires_on = timezone.localtime(invitation.expires_at).date()
    body = (
        f"{inviter} invites you to {kind.describe(invitation)} on ParaCover.\n\n"
        f"Open this link to choose your password and sign in. It works once, until "
        f"{expires_on:%B} {expires_on.day}, {expires_on.year}:\n{link}\n\n"
        "If you did not expect this invitation, ignore this email."
    )
    notify(
        district=district,
        users=[user],
        key=f"invitation:{kind.name}:{invitation.pk}",
        subject=f"Your invitation to ParaCover ({district.name})",
        body=body,
        urgent=True,
    )
    return invitation, token


def invitation_open(*, kind: InvitationKind, token: str) -> Any:
    """The usable invitation behind a link, or InvitationUnusable."""
    invitation = (
        kind.model._default_manager.select_related("district", "user")
        .filter(
            token_hash=token_digest(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )
    if invitation is None:
        raise InvitationUnusable
    return invitation


def invitation_accept(
    *, kind: InvitationKind, token: str, password: str, username: str | None = None
) -> Any:
    """Use an invitation once: set the account's password (and, for an account made for the
    invitation, the username the person chose) and make its access, in one transaction. The
    password is checked by the caller's form against Django's validators. Returns the account."""
    with transaction.atomic():
        invitation = invitation_open(kind=kind, token=token)
        invitation = kind.model._default_manager.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationUnusable
        # Locking the account serialises two districts accepting for one address.
        user = get_user_model()._default_manager.select_for_update().get(pk=invitation.user_id)
        if not invitation.made_account and not account_linkable(
            district=invitation.district, user=user
        ):
            raise InvitationUnusable
        if invitation.made_account and username:
            user.username = username
        user.is_active = True
        user.set_password(password)
        user.save()
        kind.link(invitation, user)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


def _staff_link(invitation: StaffInvitation, user: Any) -> None:
    # A membership elsewhere makes this fail on the one-membership constraint, never move.
    membership, _ = Membership.objects.update_or_create(
        district=invitation.district, user=user, defaults={"role": invitation.role}
    )
    membership.schools.set(invitation.schools.all())
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def _staff_describe(invitation: StaffInvitation) -> str:
    role = invitation.get_role_display().lower()
    schools = ", ".join(s.name for s in invitation.schools.order_by("name"))
    where = f" at {schools}" if schools else ""
    return f"be {role}{where} in {invitation.district.name}"


STAFF = InvitationKind(
    name="staff",
    model=StaffInvitation,
    link=_staff_link,
    landing=lambda invitation: reverse("home"),
    describe=_staff_describe,
)
kind_register(STAFF)


def staff_invitation_send(
    *,
    district: District,
    invited_by: Any,
    email: str,
    role: str,
    schools: Iterable[School] = (),
    site_url: str,
) -> StaffInvitation:
    """Invite `email` to a membership of `district`: its directors may, and platform operators
    (who provision a district's first director). Schools limit a case manager only."""
    scope = scope_for_user(invited_by)
    allowed = scope is not None and (
        scope.is_operator or (scope.district == district and scope.role == DIRECTOR)
    )
    chosen = list(schools) if role == Membership.Role.CASE_MANAGER else []
    if not allowed or any(school.district_id != district.pk for school in chosen):
        raise PermissionDenied("Only the district's directors invite its staff.")
    invitation, _token = invitation_issue(
        kind=STAFF,
        district=district,
        email=email,
        invited_by=invited_by,
        site_url=site_url,
        fields={"role": role},
        many={"schools": chosen},
    )
    return invitation  # type: ignore[no-any-return]


def invitation_kind(name: str) -> InvitationKind | None:
    return kind_get(name)
