"""The kinds of invitation the link's page knows: staffing's own (`staff`), and those other apps
register at ready (students: `family`), since staffing may not import them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from staffing.invitations.models import InvitationBase


@dataclass(frozen=True)
class InvitationKind:
    """`name` is the link's path segment; `link` makes the access (in the accepting transaction,
    with the account locked); `landing` is where the person goes once signed in; `describe` says
    what they are invited to, in the email and on the page."""

    name: str
    model: type[InvitationBase]
    link: Callable[[Any, Any], None]
    landing: Callable[[Any], str]
    describe: Callable[[Any], str]


_KINDS: dict[str, InvitationKind] = {}


def kind_register(kind: InvitationKind) -> None:
    _KINDS[kind.name] = kind


def kind_get(name: str) -> InvitationKind | None:
    return _KINDS.get(name)
