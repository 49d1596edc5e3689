"""Email for alerts through a transactional outbox.

`notify` writes `Notification` rows in the caller's transaction and, once it commits, asks a
worker to send the urgent ones; the others wait for the daily digest. A repeated dedupe key is
ignored, so an alert raised twice queues nobody's email twice.

Delivery is at-least-once: a row is marked sent in the transaction that claimed it, after the
mail server has accepted the message, so a worker that dies between the two leaves the row
unsent and it goes out again. Two workers never send one row at the same time: rows are claimed
with `SELECT ... FOR UPDATE SKIP LOCKED`. A failed send is retried by the next run, up to
`MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

# Module imports on both sides: staffing.tasks imports this module too.
from staffing import tasks
from staffing.models import District, Membership, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
NO_ADDRESS = "not sent: the recipient is inactive or has no email address"


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
            transaction.on_commit(functools.partial(tasks.send_notifications.delay, district.pk))
    return created


def _sendable(district_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(
        district_id=district_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS
    )


def _claim(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    # `of`: lock the notification rows only, not the joined users.
    return queryset.select_related("user").select_for_update(skip_locked=True, of=("self",))


def _deliver(rows: list[Notification], *, subject: str, body: str) -> bool:
    """Send one message to the rows' user and record the outcome on the rows (all of them
    belong to that user, claimed in the current transaction). True if it was sent."""
    user = rows[0].user
    ids = [row.pk for row in rows]
    if not (user.is_active and user.email):
        Notification.objects.filter(pk__in=ids).update(attempts=MAX_ATTEMPTS, last_error=NO_ADDRESS)
        return False
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    try:
        message.send()
    except OSError as error:  # smtplib.SMTPException is an OSError, as are connection errors
        logger.warning("notification %s to user %s not sent: %s", ids, user.pk, error)
        for row in rows:
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {error}"
        Notification.objects.bulk_update(rows, ["attempts", "last_error"])
        return False
    Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now(), last_error="")
    return True


def pending_send(*, district_id: int) -> int:
    """Send the district's unsent urgent notifications, one email each; returns how many went."""
    sent = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            row = (
                _claim(_sendable(district_id).filter(urgent=True, pk__gt=last_pk))
                .order_by("pk")
                .first()
            )
            if row is None:
                return sent
            last_pk = row.pk
            sent += _deliver([row], subject=row.subject, body=row.body)


def digest_text(*, rows: list[Notification], district: District) -> tuple[str, str]:
    """The subject and body of one user's digest of `rows`, oldest first."""
    count = len(rows)
    subject = f"ParaCover: {count} alert{'s' if count != 1 else ''} for {district.name}"
    body = "\n\n".join(f"{row.subject}\n{row.body}" for row in rows)
    return subject, body


def digests_send(*, district_id: int) -> int:
    """Send each user one email listing their unsent non-urgent notifications; returns how many
    emails went."""
    district = District.objects.get(pk=district_id)
    waiting = _sendable(district_id).filter(urgent=False)
    user_ids = waiting.order_by("user_id").values_list("user_id", flat=True).distinct()
    sent = 0
    for user_id in list(user_ids):
        with transaction.atomic():
            rows = list(_claim(waiting.filter(user_id=user_id)).order_by("created_at", "pk"))
            if not rows:
                continue
            subject, body = digest_text(rows=rows, district=district)
            sent += _deliver(rows, subject=subject, body=body)
    return sent
