"""The alert email outbox: who is told, once only, at once or in the daily digest."""

from __future__ import annotations

import smtplib

import psycopg
import pytest
from django.core.mail import EmailMessage
from django.db import connection
from django.urls import reverse

from staffing import mailing, notify, tasks
from staffing.models import Notification

KEY = "alert:42:open:3"


def _urgent(district, users, key=KEY):
    return notify.notify(
        district=district,
        users=users,
        key=key,
        subject="Unstaffed: Ava Alpha",
        body="Monday 08:00-09:00 has no aide.",
        urgent=True,
    )


def test_notify_twice_with_one_key_mails_each_user_once(
    district_a, director_a, case_manager_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as first:
        created = _urgent(district_a, [director_a, case_manager_a, director_a])
    with django_capture_on_commit_callbacks(execute=True) as second:
        again = _urgent(district_a, [director_a, case_manager_a])

    assert (created, again) == (2, 0)
    assert (len(first), len(second)) == (1, 0)
    assert Notification.objects.filter(district=district_a, key=KEY).count() == 2
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0
    assert sorted((m.to, m.subject, m.body, m.from_email) for m in mailoutbox) == [
        (
            ["case_manager_a@example.org"],
            "Unstaffed: Ava Alpha",
            "Monday 08:00-09:00 has no aide.",
            "paracover@localhost",
        ),
        (
            ["director_a@example.org"],
            "Unstaffed: Ava Alpha",
            "Monday 08:00-09:00 has no aide.",
            "paracover@localhost",
        ),
    ]


def test_a_subject_with_a_line_break_is_folded(district_a, director_a):
    notify.notify(
        district=district_a, users=[director_a], key=KEY, subject="Unstaffed:\n Ava",
        body="-", urgent=False,
    )  # fmt: skip

    assert Notification.objects.get().subject == "Unstaffed: Ava"


def test_digest_sends_one_email_per_user_then_nothing(
    district_a, director_a, case_manager_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for n in (1, 2, 3):
            notify.notify(
                district=district_a, users=[director_a, case_manager_a], key=f"alert:{n}",
                subject=f"Alert {n}", body=f"Body {n}", urgent=False,
            )  # fmt: skip

    assert (len(callbacks), len(mailoutbox)) == (0, 0)
    assert mailing.digests_send(district_id=district_a.pk) == 2
    assert mailing.digests_send(district_id=district_a.pk) == 0
    assert sorted((m.to, m.subject, m.body) for m in mailoutbox) == [
        (
            [f"{name}@example.org"],
            "ParaCover: 3 alerts for Alpha Unified",
            "Alert 1\nBody 1\n\nAlert 2\nBody 2\n\nAlert 3\nBody 3",
        )
        for name in ("case_manager_a", "director_a")
    ]
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_an_smtp_failure_leaves_the_row_unsent_for_the_next_run(
    district_a, director_a, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPException("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            _urgent(district_a, [director_a])

    row = Notification.objects.get()
    assert (row.sent_at, row.attempts, row.last_error) == (
        None,
        1,
        "SMTPException: mail server down",
    )
    assert len(mailoutbox) == 0

    assert mailing.pending_send(district_id=district_a.pk) == 1
    row.refresh_from_db()
    assert (row.sent_at is not None, row.attempts, row.last_error) == (True, 1, "")
    assert [m.to for m in mailoutbox] == [["director_a@example.org"]]


def test_a_row_that_failed_max_attempts_times_is_not_retried(district_a, director_a, mailoutbox):
    _urgent(district_a, [director_a])
    Notification.objects.update(attempts=mailing.MAX_ATTEMPTS)

    assert mailing.pending_send(district_id=district_a.pk) == 0
    assert Notification.objects.get().sent_at is None
    assert len(mailoutbox) == 0


def test_a_recipient_without_an_address_is_given_up(district_a, director_a, mailoutbox):
    _urgent(district_a, [director_a])
    director_a.email = ""
    director_a.save()

    assert mailing.pending_send(district_id=district_a.pk) == 0
    row = Notification.objects.get()
    assert (row.sent_at, row.attempts, row.last_error) == (
        None,
        mailing.MAX_ATTEMPTS,
        mailing.NO_ADDRESS,
    )
    assert len(mailoutbox) == 0


def test_pending_send_sends_only_its_own_district(
    district_a, district_b, director_a, director_b, mailoutbox
):
    # Outside django_capture_on_commit_callbacks nothing is sent on commit: only the call below.
    _urgent(district_a, [director_a])
    _urgent(district_b, [director_b])

    assert mailing.pending_send(district_id=district_a.pk) == 1
    assert [m.to for m in mailoutbox] == [["director_a@example.org"]]
    assert list(
        Notification.objects.filter(sent_at__isnull=True).values_list("district_id", flat=True)
    ) == [district_b.pk]


def test_tasks_send_every_districts_mail(
    district_a, district_b, director_a, director_b, mailoutbox
):
    _urgent(district_a, [director_a])
    _urgent(district_b, [director_b])
    notify.notify(
        district=district_b, users=[director_b], key="daily", subject="Daily", body="-",
        urgent=False,
    )  # fmt: skip

    assert tasks.send_notifications.delay(district_a.pk).get() == 1
    assert tasks.send_notifications.delay().get() == 1
    assert tasks.send_digests.delay().get() == 1
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("director_a@example.org", "Unstaffed: Ava Alpha"),
        ("director_b@example.org", "ParaCover: 1 alert for Beta Unified"),
        ("director_b@example.org", "Unstaffed: Ava Alpha"),
    ]


def test_admin_shows_directors_their_districts_outbox_only(
    client, district_a, district_b, director_a, case_manager_a, director_b
):
    _urgent(district_a, [director_a])
    _urgent(district_b, [director_b], key="alert:beta")
    own = Notification.objects.get(district=district_a)
    foreign = Notification.objects.get(district=district_b)

    client.force_login(director_a)
    listing = client.get(reverse("admin:staffing_notification_changelist"))
    pending = client.get(reverse("admin:staffing_notification_changelist") + "?delivery=pending")
    sent = client.get(reverse("admin:staffing_notification_changelist") + "?delivery=sent")
    page = client.get(reverse("admin:staffing_notification_change", args=[own.pk]))
    other = client.get(reverse("admin:staffing_notification_change", args=[foreign.pk]))
    client.force_login(case_manager_a)
    refused = client.get(reverse("admin:staffing_notification_changelist"))

    assert (listing.status_code, page.status_code, other.status_code) == (200, 200, 404)
    assert [r.context["cl"].result_count for r in (listing, pending, sent)] == [1, 1, 0]
    assert 'name="_save"' not in page.content.decode()
    assert refused.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_rows_claimed_by_another_worker_are_skipped(district_a, director_a, mailoutbox):
    # Committed rows, written directly: notify() would send the urgent one on commit.
    for urgent in (True, False):
        Notification.objects.create(
            district=district_a, user=director_a, key=f"alert:{urgent}", subject="Alert",
            body="-", urgent=urgent,
        )  # fmt: skip
    with psycopg.connect(**connection.get_connection_params()) as other_worker:
        other_worker.execute("SELECT id FROM staffing_notification FOR UPDATE")

        assert mailing.pending_send(district_id=district_a.pk) == 0
        assert mailing.digests_send(district_id=district_a.pk) == 0
        assert len(mailoutbox) == 0

    assert mailing.pending_send(district_id=district_a.pk) == 1
    assert mailing.digests_send(district_id=district_a.pk) == 1
