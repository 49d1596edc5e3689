"""Real workers on Redis: the fan-out chord runs through the broker, not eagerly, and a worker
killed mid-run (SIGKILL to its process group) or a message lost with the broker's memory
loses neither a plan nor a re-plan, and never brings back a plan that a newer one replaced."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker

from allocations import fanout, tasks
from allocations.absences import absence_record
from allocations.models import AllocationRun, AllocationRunPart, Assignment, ReplanRequest
from allocations.replans import replan_request
from allocations.services import allocation_run, allocation_run_queue, allocation_run_start
from config.celery import app
from staffing.models import AideSchool, AvailabilityWindow
from tests import factories as f
from tests.allocations.test_tasks import _school_with_one_aide

from .workers import (
    QUEUE_KEY,
    beat,
    broker,
    broker_clear,
    row_locked,
    someone_waits_on_a_lock,
    wait_for,
    worker,
)

WEEK = dt.date(2026, 11, 23)
TUESDAY = WEEK + dt.timedelta(days=1)
PARTS = "allocations_allocationrunpart"


@pytest.fixture
def redis_worker():
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def through_redis():
    """Tasks sent by the test go through the broker, to worker processes started by the test."""
    broker_clear()
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True
        broker_clear()


@pytest.mark.django_db(transaction=True)
def test_worker_allocates_a_week_through_redis(district_a, redis_worker):
    _school_with_one_aide(district_a, "EAST")
    _school_with_one_aide(district_a, "WEST")

    run_id = tasks.allocate_week.delay(district_a.pk, WEEK.isoformat()).get(timeout=60)
    # allocate_week returns once the chord is sent; its body finishes the run on the worker.
    run = AllocationRun.objects.get(pk=run_id)
    for _ in range(240):
        run.refresh_from_db()
        if run.status != AllocationRun.Status.RUNNING:
            break
        time.sleep(0.25)
    assert (run.status, run.is_current, run.covered_minutes) == ("succeeded", True, 240)
    assert AllocationRunPart.objects.filter(run=run, finished=True).count() == 2


def _schools(district, count):
    """`count` schools that share no aide (one part each); each aide serves one student
    Monday 08:00-10:00 and Tuesday 08:00-12:00 in eight half-hour blocks."""
    aides = []
    for i in range(count):
        school = f.SchoolFactory(district=district, code=f"SCH-{i}")
        aide = f.AideFactory(district=district, code=f"AIDE-{i}")
        AideSchool.objects.create(district=district, aide=aide, school=school)
        for weekday in (0, 1):
            AvailabilityWindow.objects.create(
                district=district, aide=aide, weekday=weekday, start=480, end=720
            )
        mandate = f.MandateFactory(student=f.StudentFactory(school=school), code=f"M-{i}")
        f.BlockFactory(mandate=mandate, weekday=0, start=480, end=600)
        for start in range(480, 720, 30):
            f.BlockFactory(mandate=mandate, weekday=1, start=start, end=start + 30)
        aides.append(aide)
    return aides


def _killed_mid_run(tmp_path, run, parts_done):
    """Run `run` on a worker and SIGKILL it while it writes part `parts_done` (0-based), the
    parts before it being solved; the later parts stay queued, the one it held unacked."""
    parts = fanout.allocation_parts_plan(run=run)
    with row_locked(PARTS, parts[parts_done].pk), worker(tmp_path, "doomed") as doomed:
        tasks.allocate_week.delay(run.district_id, WEEK.isoformat(), run.pk)
        wait_for(
            lambda: (
                AllocationRunPart.objects.filter(run=run, finished=True).count() == parts_done
                and someone_waits_on_a_lock()
            ),
            f"{parts_done} parts solved and the worker stuck in the next",
        )
        doomed.kill()
    return parts


@pytest.mark.django_db(transaction=True)
def test_a_stale_run_never_overwrites_a_newer_plan_nor_undoes_a_sick_call(
    tmp_path, district_a, through_redis
):
    aides = _schools(district_a, 10)
    stale = allocation_run_start(district=district_a, week_start=WEEK, via_workers=True)
    parts = _killed_mid_run(tmp_path, stale, parts_done=3)
    assert len(parts) == 10

    # Redis hands the killed worker's part to another worker 15 s after it was taken.
    with worker(
        tmp_path, "survivor", CELERY_VISIBILITY_TIMEOUT="15", CELERY_RESTORE_INTERVAL="1"
    ) as survivor:
        newer = allocation_run_queue(district=district_a, week_start=WEEK)
        wait_for(lambda: AllocationRun.objects.get(pk=newer.pk).status == "succeeded", "newer")
        sick = aides[0]
        on_tuesday = Assignment.objects.filter(run__is_current=True, aide=sick, date=TUESDAY)
        assert on_tuesday.count() == 8

        absence_record(district=district_a, aide_code=sick.code, on=TUESDAY)
        request = replan_request(district=district_a, aide_id=sick.pk, on=TUESDAY, trigger="flu")
        wait_for(lambda: ReplanRequest.objects.get(pk=request.pk).done_at, "the re-plan")
        assert on_tuesday.count() == 0

        # The stale run's lost part comes back, and its chord's finish runs: nothing changes.
        wait_for(lambda: survivor.succeeded("allocations.finish_run", stale.pk), "stale finish")

    stale.refresh_from_db()
    newer.refresh_from_db()
    assert (stale.status, stale.is_current) == ("superseded", False)
    assert (newer.status, newer.is_current) == ("succeeded", True)
    assert AllocationRun.objects.get(district=district_a, is_current=True) == newer
    assert on_tuesday.count() == 0
    assert AllocationRunPart.objects.filter(run=stale, finished=True).count() == 9
    assert (broker().llen(QUEUE_KEY), broker().hlen("unacked")) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_was_killed_is_requeued_by_the_watchdog_and_completes(
    tmp_path, district_a, through_redis
):
    _schools(district_a, 4)
    clean = allocation_run(district=district_a, week_start=WEEK)
    run = allocation_run_start(district=district_a, week_start=WEEK, via_workers=True)
    _killed_mid_run(tmp_path, run, parts_done=1)
    killed_at = time.monotonic()

    # Redelivery is an hour away: only the watchdog can bring the run back. Short limits keep
    # the test quick; production's are 90 s silent and a watch every 30 s (docs/operations.md).
    limits = {"ALLOCATION_RUN_STUCK_SECONDS": "3", "ALLOCATION_WATCH_SECONDS": "1"}
    with (
        worker(tmp_path, "survivor", CELERY_VISIBILITY_TIMEOUT="3600", **limits),
        beat(tmp_path, **limits),
    ):
        wait_for(lambda: AllocationRun.objects.get(pk=run.pk).status == "succeeded", "recovery")
    recovered_seconds = time.monotonic() - killed_at

    run.refresh_from_db()
    assert (run.status, run.is_current, run.requeues) == ("succeeded", True, 1)
    assert (run.covered_minutes, run.due_minutes) == (clean.covered_minutes, clean.due_minutes)
    assert (
        Assignment.objects.filter(run=run).count() == Assignment.objects.filter(run=clean).count()
    )
    assert recovered_seconds < 60


@pytest.mark.django_db(transaction=True)
def test_a_replan_lost_with_the_brokers_memory_is_requeued_by_the_watchdog(
    tmp_path, district_a, through_redis
):
    aides = _schools(district_a, 2)
    allocation_run(district=district_a, week_start=WEEK)
    absence_record(district=district_a, aide_code=aides[0].code, on=TUESDAY)
    request = replan_request(district=district_a, aide_id=aides[0].pk, on=TUESDAY, trigger="flu")
    # A Redis restarted without persistence comes back empty: the queued message is gone.
    assert broker().llen(QUEUE_KEY) == 1
    broker().delete(QUEUE_KEY)

    limits = {"REPLAN_STUCK_SECONDS": "2", "ALLOCATION_WATCH_SECONDS": "1"}
    with worker(tmp_path, "after-restart", **limits), beat(tmp_path, **limits):
        wait_for(lambda: ReplanRequest.objects.get(pk=request.pk).done_at, "the re-plan")

    request.refresh_from_db()
    assert (request.requeues, request.repair.date) == (1, TUESDAY)
    planned = Assignment.objects.filter(run__is_current=True, aide=aides[0], date=TUESDAY)
    assert planned.count() == 0
