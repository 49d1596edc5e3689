"""A run's one way to the week's plan, and the watchdog that keeps runs from hanging.

Every run stores its rows with `store.result_store` (all at once, or part by part when fanned
out over workers) and ends in `run_finish`, in one transaction with the district row locked:

- the newest run that succeeds is the week's plan. Runs are ordered by id, that is by when they
  were started: a run that finishes after a newer run of its week has succeeded is recorded as
  superseded and never becomes current, and runs older than the new plan that are still in
  flight are superseded at once, so their redelivered tasks do nothing;
- absences recorded while the run was solving are applied to it before it becomes visible:
  each school-day where it plans an absent aide, or that a re-plan was asked for since it
  started, is repaired as an absence re-plan would repair it (`absences.school_days_replan`,
  which locks the district row too, so a re-plan queues behind the switch and then sees the
  new plan).

The watchdog (`runs_watch`, run by beat through `allocations.watch`) finds runs in flight that
have been silent for `ALLOCATION_RUN_STUCK_SECONDS`: a run solved by workers is re-queued
(`ALLOCATION_RUN_REQUEUES` times; every task is idempotent), one started by a command that has
stopped, or that stalls again, is failed with its reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from allocations.absences import school_days_replan, schools_touched
from allocations.models import AllocationRun, Assignment, ReplanRequest
from staffing.models import Absence, District

Status = AllocationRun.Status
IN_FLIGHT = AllocationRun.IN_FLIGHT

# A re-plan request's row is stamped when it is written but seen by others only at its commit;
# requests this much older than a run are taken to have committed before the run loaded.
COMMIT_MARGIN = dt.timedelta(minutes=1)


def run_beat(*, run: AllocationRun, **fields: object) -> bool:
    """Record progress of a run in flight, with a heartbeat; False once it has ended."""
    updated = AllocationRun.objects.filter(pk=run.pk, status__in=IN_FLIGHT).update(
        heartbeat_at=timezone.now(), **fields
    )
    return bool(updated)


def run_fail(*, run: AllocationRun, reason: str) -> bool:
    """Fail a run in flight with its reason; False if it had already ended."""
    updated = AllocationRun.objects.filter(pk=run.pk, status__in=IN_FLIGHT).update(
        status=Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )
    return bool(updated)


def run_in_flight(*, run_id: int) -> bool:
    return AllocationRun.objects.filter(pk=run_id, status__in=IN_FLIGHT).exists()


@transaction.atomic
def run_finish(*, run: AllocationRun, figures: Mapping[str, object]) -> AllocationRun:
    """Make the run the week's plan, or record it as superseded (its rows are stored already).
    A run that has ended (a redelivered finish) is returned as it is."""
    District.objects.select_for_update().get(pk=run.district_id)
    locked = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if locked.status not in IN_FLIGHT:
        return locked
    now = timezone.now()
    week = AllocationRun.objects.filter(district_id=run.district_id, week_start=run.week_start)
    newer = week.filter(pk__gt=run.pk, status=Status.SUCCEEDED).order_by("pk").first()
    if newer is not None:
        note = f"superseded: run {newer.pk}, started later, succeeded first"
        week.filter(pk=run.pk).update(
            **{**figures, "progress_note": note}, status=Status.SUPERSEDED, finished_at=now
        )
    else:
        week.filter(is_current=True).update(is_current=False)
        week.filter(pk__lt=run.pk, status__in=IN_FLIGHT).update(
            status=Status.SUPERSEDED,
            finished_at=now,
            progress_note=f"superseded: run {run.pk}, started later, succeeded first",
        )
        week.filter(pk=run.pk).update(
            **figures,
            status=Status.SUCCEEDED,
            is_current=True,
            finished_at=now,
            heartbeat_at=now,
            progress_percent=100,
        )
        locked.refresh_from_db()
        absences_in_flight_apply(run=locked)
    locked.refresh_from_db()
    return locked


def _absent_days(run: AllocationRun) -> dict[dt.date, tuple[set[int], set[int]]]:
    """date -> (schools, aides) where the run plans an aide during their absence."""
    week_end = run.week_start + dt.timedelta(days=6)
    absences = Absence.objects.filter(
        district_id=run.district_id, date__range=(run.week_start, week_end)
    )
    aide_ids = set(absences.values_list("aide_id", flat=True))
    days: dict[dt.date, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    if not aide_ids:
        return days
    overlapping = absences.filter(aide_id=OuterRef("aide_id"), date=OuterRef("date")).filter(
        Q(start__isnull=True) | Q(start__lt=OuterRef("end"), end__gt=OuterRef("start"))
    )
    rows = (
        Assignment.objects.filter(run=run, aide_id__in=sorted(aide_ids))
        .filter(Exists(overlapping))
        .values_list("date", "aide_id", "mandate__student__school_id")
        .distinct()
    )
    for on, aide_id, school_id in rows:
        days[on][0].add(school_id)
        days[on][1].add(aide_id)
    return days


def absences_in_flight_apply(*, run: AllocationRun) -> list[int]:
    """Repair the school-days of the (now current) run that absences recorded, changed or
    removed while it was solving touch; the ids of the repairs written."""
    district = District.objects.get(pk=run.district_id)
    days = _absent_days(run)
    week_end = run.week_start + dt.timedelta(days=6)
    asked = ReplanRequest.objects.filter(
        district_id=run.district_id,
        date__range=(run.week_start, week_end),
        created_at__gte=run.created_at - COMMIT_MARGIN,
    ).values_list("date", "aide_id")
    for on, aide_id in sorted(set(asked)):
        touched = schools_touched(district=district, aide_id=aide_id, on=on)
        if touched:
            days[on][0].update(touched)
            days[on][1].add(aide_id)
    repairs = []
    for on in sorted(days):
        school_ids, aide_ids = days[on]
        repair = school_days_replan(
            district=district,
            on=on,
            school_ids=sorted(school_ids),
            aide_id=min(aide_ids) if len(aide_ids) == 1 else None,
            trigger=f"absences recorded while run {run.pk} was solving",
        )
        if repair is not None:
            repairs.append(repair.pk)
    return repairs


@dataclass(frozen=True)
class Watched:
    """What one pass of the watchdog did: runs to re-queue (on commit) and runs failed."""

    requeue: list[AllocationRun]
    failed: list[int]


def runs_stuck(*, now: dt.datetime) -> list[AllocationRun]:
    """Runs in flight, of every district, silent for longer than a healthy run ever is."""
    silent_since = now - dt.timedelta(seconds=settings.ALLOCATION_RUN_STUCK_SECONDS)
    return list(
        AllocationRun.objects.filter(status__in=IN_FLIGHT)
        .annotate(last_sign=Coalesce("heartbeat_at", "created_at"))
        .filter(last_sign__lt=silent_since)
        .order_by("pk")
    )


@transaction.atomic
def runs_watch(*, now: dt.datetime) -> Watched:
    """Re-queue the stuck runs that workers solve, or fail them (and those a command started,
    which nothing can resume) with the reason. The caller queues `requeue` on commit."""
    requeue: list[AllocationRun] = []
    failed: list[int] = []
    limit = settings.ALLOCATION_RUN_STUCK_SECONDS
    for run in runs_stuck(now=now):
        rows = AllocationRun.objects.filter(pk=run.pk, status__in=IN_FLIGHT)
        if run.via_workers and run.requeues < settings.ALLOCATION_RUN_REQUEUES:
            attempt = run.requeues + 1
            if rows.update(
                heartbeat_at=now,
                requeues=attempt,
                progress_note=f"no progress for {limit} s: re-queued (attempt {attempt})",
            ):
                requeue.append(run)
            continue
        if run.via_workers:
            reason = (
                f"stuck: no progress for {limit} s after {run.requeues} re-queue(s); "
                "a worker was lost each time (killed, or out of memory?)"
            )
        else:
            reason = (
                f"stuck: no progress for {limit} s; the process running it "
                "(manage.py allocate) stopped"
            )
        if rows.update(status=Status.FAILED, error=reason, finished_at=now):
            failed.append(run.pk)
    return Watched(requeue=requeue, failed=failed)
