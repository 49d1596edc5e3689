"""Celery tasks: thin wrappers that take ids and ISO dates and call a service.

`allocate_week` fans a district week out over workers: one `allocate_part` per independent
group of schools, then `finish_run` once all are in (a chord). Each does nothing for a run that
has ended, so redelivered and re-queued messages are harmless. An error in a step of a run
(not a lost worker) fails the run with its reason. `watch`, every
`ALLOCATION_WATCH_SECONDS` from beat, re-queues what a lost worker or a lost message left
undone (allocations/runs.py, allocations/replans.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from celery import chord, shared_task
from django.db import OperationalError, transaction
from django.utils import timezone

from allocations import fanout
from allocations.absences import absence_replan
from allocations.alerts import alerts_look_ahead, alerts_sync
from allocations.models import AllocationRun, AllocationRunPart, Assignment, UnstaffedRun
from allocations.replans import replan_request_run, replans_watch
from allocations.runs import run_fail, runs_watch
from allocations.services import allocation_run_start
from staffing.bulk import statistics_refresh
from staffing.models import District

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@contextmanager
def _failing_the_run(task: str, run: AllocationRun) -> Iterator[None]:
    """An error of a run's step fails the run with the reason, so nobody waits for it. A
    database blip is retried instead, and the watchdog is there if it persists."""
    try:
        yield
    except (OperationalError, fanout.PartsUnsolved):
        raise
    except Exception as exc:
        run_fail(run=run, reason=f"{task}: {type(exc).__name__}: {exc}")
        raise


@shared_task(name="allocations.allocate_week", acks_late=True, **RETRY)
def allocate_week(district_id: int, week_start: str, run_id: int | None = None) -> int:
    district = District.objects.get(pk=district_id)
    if run_id is None:
        run = allocation_run_start(
            district=district, week_start=dt.date.fromisoformat(week_start), via_workers=True
        )
    else:
        run = AllocationRun.objects.get(pk=run_id, district=district)
    with _failing_the_run("allocations.allocate_week", run):
        parts = fanout.allocation_parts_plan(run=run)
    unsolved = [part for part in parts if not part.finished]
    if unsolved:
        chord(allocate_part.si(district_id, part.pk) for part in unsolved)(
            finish_run.si(district_id, run.pk)
        )
    elif parts:
        finish_run.delay(district_id, run.pk)
    return run.pk


@shared_task(name="allocations.allocate_part", acks_late=True, **RETRY)
def allocate_part(district_id: int, part_id: int) -> int:
    part = AllocationRunPart.objects.select_related("run", "run__district").get(
        pk=part_id, district_id=district_id
    )
    with _failing_the_run("allocations.allocate_part", part.run):
        fanout.allocation_part_solve(part=part)
    return part.pk


@shared_task(name="allocations.finish_run", acks_late=True, **RETRY)
def finish_run(district_id: int, run_id: int, started_at: float | None = None) -> int:
    run = AllocationRun.objects.get(pk=run_id, district_id=district_id)
    was_current = run.is_current
    with _failing_the_run("allocations.finish_run", run):
        run = fanout.allocation_parts_finish(run=run, started_at=started_at)
    if run.is_current and not was_current:
        statistics_refresh(Assignment, UnstaffedRun)
        refresh_alerts.delay(district_id, run.pk)
    return run.pk


@shared_task(name="allocations.refresh_alerts", acks_late=True, **RETRY)
def refresh_alerts(district_id: int, run_id: int) -> int:
    """Bring a week's alerts in step with its plan, if the run is still the week's plan."""
    run = AllocationRun.objects.filter(pk=run_id, district_id=district_id, is_current=True).first()
    if run is None:
        return 0
    counts = alerts_sync(district=run.district, run=run)
    alerts_look_ahead(district=run.district)
    return counts.opened


@shared_task(name="allocations.replan_absence", acks_late=True, **RETRY)
def replan_absence(
    district_id: int, aide_id: int, on: str, trigger: str, request_id: int | None = None
) -> int | None:
    """Re-plan what an absence recorded, changed or removed touches; with a `request_id`
    (allocations/replans.py), once only, and marked done."""
    district = District.objects.get(pk=district_id)
    if request_id is not None:
        request = replan_request_run(district=district, request_id=request_id)
        return request.repair_id if request is not None else None
    replan = absence_replan(
        district=district, aide_id=aide_id, on=dt.date.fromisoformat(on), trigger=trigger
    )
    return replan.repair.pk if replan.repair else None


@shared_task(name="allocations.look_ahead", acks_late=True, **RETRY)
def look_ahead() -> int:
    """Daily: the alerts that look ahead (expiring qualifications, contracts, vague mandates)."""
    opened = 0
    for district in District.objects.order_by("pk"):
        opened += alerts_look_ahead(district=district).opened
    return opened


@shared_task(name="allocations.watch", acks_late=True, **RETRY)
def watch() -> dict[str, list[int]]:
    """Beat, every ALLOCATION_WATCH_SECONDS: re-queue stuck runs (or fail them with the
    reason) and re-plans whose message was lost."""
    now = timezone.now()
    with transaction.atomic():
        watched = runs_watch(now=now)
        for run in watched.requeue:
            args = (run.district_id, run.week_start.isoformat(), run.pk)
            transaction.on_commit(partial(allocate_week.delay, *args))
    replans = replans_watch(now=now)
    return {
        "runs_requeued": [run.pk for run in watched.requeue],
        "runs_failed": watched.failed,
        "replans_requeued": replans,
    }


# The delivery ledger's and the weekly shortfall report's tasks live with them; importing them
# here registers them.
from allocations.ledger.tasks import close_school_day, close_school_days  # noqa: E402, F401
from allocations.reports.tasks import weekly_report  # noqa: E402, F401
