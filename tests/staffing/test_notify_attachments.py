"""Files sent with an outbox email: kept on the row, attached when it is sent, urgent or in
the digest."""

from __future__ import annotations

from django.core import mail

from staffing import mailing
from staffing.models import Notification
from staffing.notify import notify

FILES = [("week.pdf", "application/pdf", b"%PDF-1.4 fake"), ("week.csv", "text/csv", b"a,b\n1,2\n")]


def test_an_urgent_email_carries_its_files(district_a, director_a):
    notify(
        district=district_a,
        users=[director_a],
        key="k1",
        subject="S",
        body="B",
        urgent=True,
        attachments=FILES,
    )

    assert mailing.pending_send(district_id=district_a.pk) == 1
    (email,) = mail.outbox
    assert email.attachments == [
        ("week.pdf", b"%PDF-1.4 fake", "application/pdf"),
        ("week.csv", "a,b\n1,2\n", "text/csv"),
    ]


def test_a_digest_carries_the_files_of_its_rows_and_a_row_without_none(district_a, director_a):
    notify(
        district=district_a,
        users=[director_a],
        key="k1",
        subject="S1",
        body="B",
        urgent=False,
        attachments=FILES[:1],
    )
    notify(district=district_a, users=[director_a], key="k2", subject="S2", body="B", urgent=False)

    assert mailing.digests_send(district_id=district_a.pk) == 1
    (email,) = mail.outbox
    assert [a[0] for a in email.attachments] == ["week.pdf"]
    assert list(Notification.objects.order_by("key").values_list("attachments", flat=True))[1] == []
