"""Email through a transactional outbox.

`notify` writes `Notification` rows in the caller's transaction and, once it commits, asks a
worker to send the urgent ones; the others wait for the daily digest. A repeated dedupe key is
ignored, so a message raised twice queues nobody's email twice. Whom to tell is the caller's
decision (for a student: `students.scope.StaffReach`); delivery is `staffing.mailing`'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef

from staffing.models import District, Membership, Notification
from staffing.tasks import send_notifications


class Recipients:
    """Who is told about an alert: the district's directors, the case managers of the student's
    school, those with the student in their caseload and those limited to neither; active users
    with an email address only. Loaded once per district (three queries), then asked per alert."""

    def __init__(self, *, district: District) -> None:
        # Like the admin's scope: operators are nobody's director, and a user with memberships
        # in several districts is refused everywhere until one is removed.
        elsewhere = Membership.objects.filter(user=OuterRef("user_id")).exclude(district=district)
        members = (
            Membership.objects.filter(
                district=district,
                user__is_active=True,
                user__is_superuser=False,
            )
            .exclude(user__email="")
            .exclude(Exists(elsewhere))
            .select_related("user")
        )
        self.everything: list[AbstractBaseUser] = []
        managers: dict[int, AbstractBaseUser] = {}
        for member in members:
            if member.role == Membership.Role.DIRECTOR:
                self.everything.append(member.user)
            else:
                managers[member.pk] = member.user
        self.by_school: dict[int, list[AbstractBaseUser]] = defaultdict(list)
        for member_id, school_id in Membership.schools.through.objects.filter(
            membership_id__in=managers
        ).values_list("membership_id", "school_id"):
            self.by_school[school_id].append(managers[member_id])
        self.by_student: dict[int, list[AbstractBaseUser]] = defaultdict(list)
        for member_id, student_id in Membership.caseload.through.objects.filter(
            membership_id__in=managers
        ).values_list("membership_id", "student_id"):
            self.by_student[student_id].append(managers[member_id])
        # A case manager with neither schools nor a caseload sees the whole district (the
        # admin's scope rule), so hears of all of it.
        placed = {u.pk for users in self.by_school.values() for u in users}
        placed |= {u.pk for users in self.by_student.values() for u in users}
        self.everything += [u for u in managers.values() if u.pk not in placed]

    def __call__(
        self, school_id: int | None, student_id: int | None = None
    ) -> list[AbstractBaseUser]:
        people = [
            *self.everything,
            *self.by_school.get(school_id or 0, []),
            *self.by_student.get(student_id or 0, []),
        ]
        unique = {user.pk: user for user in people}
        return sorted(unique.values(), key=lambda user: user.get_username())


def alert_recipients(
    *, district: District, school_id: int | None, student_id: int | None = None
) -> list[AbstractBaseUser]:
    """`Recipients` for one alert."""
    return Recipients(district=district)(school_id, student_id)


def notify(
    *,
    district: District,
    users: Iterable[AbstractBaseUser],
    key: str,
    subject: str,
    body: str,
    urgent: bool,
) -> int:
    """Queue one email per user under the dedupe `key`; returns how many rows are new."""
    user_ids = sorted({user.pk for user in users})
    # Django refuses a line break in a header at send time, so fold whitespace here instead.
    subject = " ".join(subject.split())
    owed = Notification.objects.filter(district=district, key=key, user_id__in=user_ids)
    with transaction.atomic():
        before = owed.count()
        Notification.objects.bulk_create(
            [
                Notification(
                    district=district,
                    user_id=user_id,
                    key=key,
                    subject=subject,
                    body=body,
                    urgent=urgent,
                )
                for user_id in user_ids
            ],
            ignore_conflicts=True,
        )
        created = owed.count() - before
        if urgent and created:
            send_notifications.delay_on_commit(district.pk)
    return created
