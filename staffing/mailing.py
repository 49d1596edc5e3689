"""Delivering the email outbox (`staffing.notify` writes it; the tasks in `staffing.tasks` call
this module).

Delivery is at-least-once: a row is marked sent in the transaction that claimed it, after the
mail server has accepted the message, so a worker that dies between the two leaves the row
unsent and it goes out again. Two workers never send one row at the same time: rows are claimed
with `SELECT ... FOR UPDATE SKIP LOCKED`. A failed send is retried by the next run, up to
`MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import base64
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from staffing.models import District, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
NO_ADDRESS = "not sent: the recipient is inactive or has no email address"


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
    for row in rows:
        for file in row.attachments:
            message.attach(file["name"], base64.b64decode(file["content"]), file["content_type"])
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
