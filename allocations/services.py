"""Writes of the allocations app: running a district week and storing what it decided."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from allocations import engine
from allocations.adapter import problem_for_week
from allocations.alerts import alerts_look_ahead, alerts_sync
from allocations.models import AllocationRun, Assignment, UnstaffedRun
from staffing.bulk import bulk_insert, statistics_refresh
from staffing.models import District

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, str], None]
PROGRESS_EVERY_SECONDS = 1.0


class AllocationError(ValueError):
    pass


def _check_week(week_start: dt.date) -> None:
    if week_start.weekday() != 0:
        raise AllocationError(f"--week {week_start.isoformat()} is not a Monday")


def policy_settings(policy: engine.Policy) -> dict[str, object]:
    def plain(value: object) -> object:
        if isinstance(value, frozenset | set | tuple | list):
            return sorted(plain(v) for v in value)  # type: ignore[type-var]
        if isinstance(value, int | float | str | bool) or value is None:
            return value
        return str(value)

    return {f.name: plain(getattr(policy, f.name)) for f in dataclasses.fields(policy)}


def allocation_run_start(
    *, district: District, week_start: dt.date, started_by: Any = None
) -> AllocationRun:
    _check_week(week_start)
    policy = engine.Policy()
    return AllocationRun.objects.create(
        district=district,
        week_start=week_start,
        status=AllocationRun.Status.PENDING,
        started_by=started_by,
        solver_settings=policy_settings(policy),
    )


def _progress_recorder(run: AllocationRun, echo: ProgressFn | None) -> ProgressFn:
    last = [0.0]

    def record(percent: int, note: str) -> None:
        if echo is not None:
            echo(percent, note)
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or percent >= 100:
            last[0] = now
            AllocationRun.objects.filter(pk=run.pk).update(
                progress_percent=min(percent, 100), progress_note=note[:200]
            )

    return record


def allocation_run(
    *,
    district: District,
    week_start: dt.date,
    started_by: Any = None,
    progress: ProgressFn | None = None,
    run: AllocationRun | None = None,
) -> AllocationRun:
    """Solve the district's week in this process and make the result the week's plan."""
    if run is None:
        run = allocation_run_start(district=district, week_start=week_start, started_by=started_by)
    started = time.perf_counter()
    record = _progress_recorder(run, progress)
    AllocationRun.objects.filter(pk=run.pk).update(
        status=AllocationRun.Status.RUNNING, started_at=timezone.now()
    )
    try:
        record(1, "loading the district week")
        problem = problem_for_week(district=district, week_start=week_start)
        record(10, f"loaded {len(problem.blocks)} blocks, {len(problem.aides)} aides")

        def engine_progress(done: int, total: int, note: str) -> None:
            record(10 + int(80 * done / max(total, 1)), note)

        result = engine.allocate(problem, progress=engine_progress)
        record(92, "saving the plan")
        allocation_save(run=run, result=result, started=started)
    except Exception as exc:
        logger.exception("allocation run %s failed", run.pk)
        AllocationRun.objects.filter(pk=run.pk).update(
            status=AllocationRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    statistics_refresh(Assignment, UnstaffedRun)
    run.refresh_from_db()
    alerts_sync(district=district, run=run)
    alerts_look_ahead(district=district)
    record(100, "done")
    return run


def result_store(
    *,
    run: AllocationRun,
    assignments: Iterable[engine.Assignment],
    gaps: Iterable[engine.Gap],
) -> None:
    """Insert assignments and unstaffed runs under the run (inside a transaction)."""
    district_id = run.district_id
    bulk_insert(
        Assignment,
        ("district_id", "run_id", "aide_id", "mandate_id", "block_id", "date", "start", "end"),
        (
            (district_id, run.pk, a.aide_id, a.mandate_id, a.block_id, a.on, a.start, a.end)
            for a in assignments
        ),
    )
    bulk_insert(
        UnstaffedRun,
        ("district_id", "run_id", "mandate_id", "block_id", "date", "start", "end", "reason"),
        (
            (district_id, run.pk, g.mandate_id, g.block_id, g.on, g.start, g.end, str(g.reason))
            for g in gaps
        ),
    )


def run_make_current(*, run: AllocationRun, **figures: object) -> None:
    """Make the run the week's plan (call inside a transaction, with the district row locked)."""
    AllocationRun.objects.filter(
        district_id=run.district_id, week_start=run.week_start, is_current=True
    ).exclude(pk=run.pk).update(is_current=False)
    AllocationRun.objects.filter(pk=run.pk).update(
        status=AllocationRun.Status.SUCCEEDED,
        is_current=True,
        finished_at=timezone.now(),
        progress_percent=100,
        **figures,
    )


@transaction.atomic
def allocation_save(*, run: AllocationRun, result: engine.Result, started: float) -> None:
    """Store a result and make it the week's plan, atomically: readers see the old plan or the
    new one, never a mix. Earlier runs keep their rows."""
    District.objects.select_for_update().get(pk=run.district_id)
    result_store(run=run, assignments=result.assignments, gaps=result.gaps)
    fig = result.figures
    run_make_current(
        run=run,
        due_minutes=fig.due_minutes,
        covered_minutes=fig.covered_minutes,
        safety_due_minutes=fig.safety_due_minutes,
        safety_covered_minutes=fig.safety_covered_minutes,
        bound_minutes=fig.bound_minutes,
        safety_bound_minutes=fig.safety_bound_minutes,
        bound_kind=fig.bound_kind,
        contract_minutes=fig.contract_minutes,
        cost=fig.cost,
        aides_per_mandate_week=fig.aides_per_mandate_week,
        solve_seconds=fig.elapsed_seconds,
        total_seconds=time.perf_counter() - started,
        aide_minutes={str(k): v for k, v in engine.aide_minutes_of(result.assignments).items()},
    )
