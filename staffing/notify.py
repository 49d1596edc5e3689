"""Email through a transactional outbox.

`notify` writes `Notification` rows in the caller's transaction and, once it commits, asks a
worker to send the urgent ones; the others wait for the daily digest. A repeated dedupe key is
ignored, so a message raised twice queues nobody's email twice. Whom to tell is the caller's
decision (for a student: `students.scope.StaffReach`); delivery is `staffing.mailing`'s.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from staffing.models import District, Notification
from staffing.tasks import send_notifications


def notify(
    *,
    district: District,
    users: Iterable[AbstractBaseUser],
    key: str,
    subject: str,
    body: str,
    urgent: bool,
    attachments: Sequence[tuple[str, str, bytes]] = (),
) -> int:
    """Queue one email per user under the dedupe `key`, with `attachments` (file name, content
    type, content) if any; returns how many rows are new."""
    files = [
        {"name": name, "content_type": kind, "content": base64.b64encode(content).decode()}
        for name, kind, content in attachments
    ]
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
                    attachments=files,
                )
                for user_id in user_ids
            ],
            ignore_conflicts=True,
        )
        created = owed.count() - before
        if urgent and created:
            send_notifications.delay_on_commit(district.pk)
    return created
