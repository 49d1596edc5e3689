"""The watchdog: runs stuck after their worker was lost are re-queued or failed with the reason,
re-plans whose message was lost are re-queued, and the dashboard calls a stuck run stuck."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from allocations import tasks
from allocations.models import AllocationRun, ReplanRequest
from allocations.replans import replan_request
from allocations.runs import runs_watch
from allocations.services import allocation_run_queue, allocation_run_start
from staffing.models import Absence, Aide

from .conftest import TUESDAY, WEEK, plan

LONG_AGO = dt.timedelta(minutes=10)


def _silent(run: AllocationRun) -> None:
    """The run's worker was lost ten minutes ago, and nothing has been heard of it since."""
    AllocationRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - LONG_AGO, created_at=timezone.now() - LONG_AGO
    )


def test_a_stuck_run_that_workers_solve_is_requeued_and_completes(
    week, director_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # its message is lost
        run = allocation_run_queue(district=week, week_start=WEEK, started_by=director_a)
    _silent(run)

    with django_capture_on_commit_callbacks(execute=True):
        watched = tasks.watch.delay().get()

    run.refresh_from_db()
    assert watched == {"runs_requeued": [run.pk], "runs_failed": [], "replans_requeued": []}
    assert (run.status, run.is_current, run.requeues, run.covered_minutes) == (
        "succeeded", True, 1, 360,
    )  # fmt: skip


def test_a_run_stuck_again_after_its_requeue_is_failed_with_the_reason(week, settings):
    run = allocation_run_start(district=week, week_start=WEEK, via_workers=True)
    AllocationRun.objects.filter(pk=run.pk).update(requeues=settings.ALLOCATION_RUN_REQUEUES)
    _silent(run)

    watched = runs_watch(now=timezone.now())

    run.refresh_from_db()
    assert (watched.requeue, watched.failed) == ([], [run.pk])
    assert (run.status, run.is_current) == ("failed", False)
    assert run.error == (
        "stuck: no progress for 90 s after 1 re-queue(s); "
        "a worker was lost each time (killed, or out of memory?)"
    )


def test_a_stuck_run_of_a_command_is_failed_not_requeued(week):
    run = allocation_run_start(district=week, week_start=WEEK)
    _silent(run)

    watched = runs_watch(now=timezone.now())

    run.refresh_from_db()
    assert (watched.requeue, watched.failed) == ([], [run.pk])
    assert run.error == (
        "stuck: no progress for 90 s; the process running it (manage.py allocate) stopped"
    )


def test_runs_that_make_progress_or_have_ended_are_left_alone(week):
    current = AllocationRun.objects.get(district=week, is_current=True)
    solving = allocation_run_start(district=week, week_start=WEEK, via_workers=True)
    AllocationRun.objects.filter(pk=current.pk).update(created_at=timezone.now() - LONG_AGO)

    watched = runs_watch(now=timezone.now())

    assert (watched.requeue, watched.failed) == ([], [])
    assert list(AllocationRun.objects.order_by("pk").values_list("status", "requeues")) == [
        ("succeeded", 0),
        ("pending", 0),
    ]
    assert solving.is_stuck is False


def test_the_dashboard_shows_a_stuck_run_as_stuck(client, week, director_a):
    run = allocation_run_start(district=week, week_start=WEEK, via_workers=True)
    _silent(run)
    client.force_login(director_a)

    page = client.get(reverse("allocations:dashboard"), {"week": WEEK.isoformat()})
    progress = client.get(reverse("allocations:run_progress", args=[run.pk]))

    text = page.content.decode()
    assert "Allocation of the week of Nov. 23, 2026 is stuck:</strong> no progress since" in text
    assert "Stuck: no progress for a while; the watchdog re-queues it or fails it" in text
    assert progress.json()["status"] == "stuck"


def test_a_replan_whose_message_was_lost_is_requeued_and_done_once(
    week, django_capture_on_commit_callbacks
):
    aide = Aide.objects.get(district=week, code="AIDE-1")
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the message
        Absence.objects.create(district=week, aide=aide, date=TUESDAY)
        request = replan_request(district=week, aide_id=aide.pk, on=TUESDAY, trigger="sick call")
    ReplanRequest.objects.filter(pk=request.pk).update(queued_at=timezone.now() - LONG_AGO)

    with django_capture_on_commit_callbacks(execute=True):
        watched = tasks.watch.delay().get()
    # The lost message turns up after all: the re-plan is not done twice.
    tasks.replan_absence.delay(week.pk, aide.pk, TUESDAY.isoformat(), "sick call", request.pk)

    request.refresh_from_db()
    assert watched["replans_requeued"] == [request.pk]
    assert (request.requeues, request.done_at is not None, request.repair.trigger) == (
        1, True, "sick call",
    )  # fmt: skip
    assert request.repair.run.pk == AllocationRun.objects.get(is_current=True).pk
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
    assert request.repair.run.repairs.count() == 1


@pytest.mark.parametrize("requeues", [0, 4])
def test_a_replan_done_is_never_requeued(week, requeues, django_capture_on_commit_callbacks):
    aide = Aide.objects.get(district=week, code="AIDE-1")
    with django_capture_on_commit_callbacks(execute=True):
        request = replan_request(district=week, aide_id=aide.pk, on=TUESDAY, trigger="check")
    ReplanRequest.objects.filter(pk=request.pk).update(
        queued_at=timezone.now() - LONG_AGO, requeues=requeues
    )

    with django_capture_on_commit_callbacks(execute=True):
        watched = tasks.watch.delay().get()

    request.refresh_from_db()
    assert watched["replans_requeued"] == []
    assert (request.requeues, request.done_at is not None) == (requeues, True)


def test_an_absence_saved_in_the_admin_is_a_replan_request_that_survives_a_lost_message(
    client, week, director_a, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    aide = Aide.objects.get(district=week, code="AIDE-1")
    form = {"aide": aide.pk, "date": TUESDAY.isoformat(), "start": "", "end": "", "reason": "flu"}
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the message
        response = client.post(reverse("admin:staffing_absence_add"), form)
    request = ReplanRequest.objects.get()
    assert (response.status_code, request.aide, request.date, request.done_at) == (
        302, aide, TUESDAY, None,
    )  # fmt: skip
    assert request.trigger == "absence recorded by director_a"
    ReplanRequest.objects.filter(pk=request.pk).update(queued_at=timezone.now() - LONG_AGO)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.watch.delay().get()

    request.refresh_from_db()
    assert (request.requeues, request.done_at is not None) == (1, True)
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
