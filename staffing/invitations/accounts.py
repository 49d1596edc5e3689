"""Which account an invitation reaches.

An account belongs to a district through a membership there, through another app's ties
(a guardian link: students registers them, `account_ties_from`), or because an invitation of
that district made it. A district may link an account that belongs to no other district, or one
that it invited itself; platform operators and deactivated accounts are never linked. An address
that matches no such account gets a new one, so that inviting an address of another district's
account, an unknown address or an unused one looks the same to the inviter: "invitation sent".
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Collection
from typing import Any

from django.contrib.auth import get_user_model

from staffing.invitations.models import StaffInvitation
from staffing.models import District, Membership

# User ids in, the districts each one belongs to through another app out (users without ties
# may be left out).
TiesSource = Callable[[Collection[int]], dict[int, set[int]]]
_ties_sources: dict[str, TiesSource] = {}


def account_ties_from(name: str, source: TiesSource) -> None:
    """Register another app's ties of accounts to districts (once per name, at app ready)."""
    _ties_sources[name] = source


def account_districts(user_ids: Collection[int]) -> dict[int, set[int]]:
    """The districts each account belongs to, in one query per source."""
    ids = list(user_ids)
    found: dict[int, set[int]] = defaultdict(set)
    for user_id, district_id in Membership.objects.filter(user_id__in=ids).values_list(
        "user_id", "district_id"
    ):
        found[user_id].add(district_id)
    for user_id, district_id in StaffInvitation.objects.filter(
        user_id__in=ids, made_account=True
    ).values_list("user_id", "district_id"):
        found[user_id].add(district_id)
    for source in _ties_sources.values():
        for user_id, districts in source(ids).items():
            found[user_id] |= districts
    return found


def account_linkable(*, district: District, user: Any) -> bool:
    """May `district` link this account (now)?"""
    if user.is_superuser or not user.is_active:
        return False
    return account_districts([user.pk]).get(user.pk, set()) <= {district.pk}


def invitation_account(*, district: District, email: str) -> tuple[Any, bool]:
    """The account an invitation of `email` reaches, and whether it was made for it: the
    oldest active, non-operator account with that address that the district may link, else a
    new account with no usable password (it signs in only once the link sets one)."""
    user_model = get_user_model()
    candidates = list(
        user_model._default_manager.filter(
            email__iexact=email, is_active=True, is_superuser=False
        ).order_by("pk")
    )
    ties = account_districts([user.pk for user in candidates])
    for user in candidates:
        if ties.get(user.pk, set()) <= {district.pk}:
            return user, False
    user = user_model(username=f"invited-{secrets.token_hex(8)}", email=email, is_active=True)
    user.set_unusable_password()
    user.save()
    return user, True
