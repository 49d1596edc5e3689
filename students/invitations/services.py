"""Inviting a guardian, and what accepting makes: the guardian link."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from staffing.invitations.accounts import account_ties_from
from staffing.invitations.kinds import InvitationKind, kind_register
from staffing.invitations.services import invitation_issue
from staffing.models import District
from staffing.tenancy import DIRECTOR, scope_for_user
from students.invitations.models import GuardianInvitation
from students.models import Guardian, Student

REFUSAL = "Only the district's directors, and case managers for their own students, invite parents."


def guardian_ties(user_ids: Collection[int]) -> dict[int, set[int]]:
    """The districts each account belongs to as a guardian, or by a guardian invitation that
    made it."""
    found: dict[int, set[int]] = defaultdict(set)
    ids = list(user_ids)
    for user_id, district_id in Guardian.objects.filter(user_id__in=ids).values_list(
        "user_id", "district_id"
    ):
        found[user_id].add(district_id)
    for user_id, district_id in GuardianInvitation.objects.filter(
        user_id__in=ids, made_account=True
    ).values_list("user_id", "district_id"):
        found[user_id].add(district_id)
    return found


def _link(invitation: GuardianInvitation, user: Any) -> None:
    Guardian.objects.update_or_create(
        district=invitation.district,
        user=user,
        student=invitation.student,
        defaults={"relationship": invitation.relationship},
    )


def _describe(invitation: GuardianInvitation) -> str:
    student = invitation.student
    return (
        f"follow the para support of {student.first_name} {student.last_name} "
        f"({invitation.district.name})"
    )


FAMILY = InvitationKind(
    name="family",
    model=GuardianInvitation,
    link=_link,
    landing=lambda invitation: reverse("family:child", args=[invitation.student_id]),
    describe=_describe,
)


def register() -> None:
    """Called by `StudentsConfig.ready`."""
    kind_register(FAMILY)
    account_ties_from("guardians", guardian_ties)


def guardian_invitation_send(
    *,
    district: District,
    invited_by: Any,
    email: str,
    student: Student,
    relationship: str = "parent",
    site_url: str,
) -> GuardianInvitation:
    """Invite `email` to be a guardian of `student`: the district's directors may, and its case
    managers for students in their scope. Anyone else, and a student of another district or
    outside the case manager's scope, is refused."""
    scope = scope_for_user(invited_by)
    allowed = (
        scope is not None
        and scope.district == district
        and student.district_id == district.pk
        and (
            scope.role == DIRECTOR
            or scope.reaches_student(student_id=student.pk, school_id=student.school_id)
        )
    )
    if not allowed:
        raise PermissionDenied(REFUSAL)
    invitation, _token = invitation_issue(
        kind=FAMILY,
        district=district,
        email=email,
        invited_by=invited_by,
        site_url=site_url,
        fields={"student": student, "relationship": relationship},
    )
    return invitation  # type: ignore[no-any-return]
