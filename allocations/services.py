"""Writes of the allocations app: starting a run of a district week, and solving one in this
process. Storing and finishing a run, whichever way it was solved, is `allocations/runs.py`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from allocations import engine
from allocations.adapter import policy_for, problem_for_week
from allocations.alerts import alerts_look_ahead, alerts_sync
from allocations.models import AllocationRun, Assignment, UnstaffedRun
from allocations.runs import run_beat, run_fail, run_finish
from allocations.store import result_store
from staffing.bulk import statistics_refresh
from staffing.models import District
from staffing.tenancy import DIRECTOR, district_staff_scope

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, str], None]
PROGRESS_EVERY_SECONDS = 1.0


class AllocationError(ValueError):
    pass


def _check_week(week_start: dt.date) -> None:
    if week_start.weekday() != 0:
        raise AllocationError(f"--week {week_start.isoformat()} is not a Monday")


def _check_director(*, district: District, user: Any) -> None:
    """A run replaces the week's plan for every school: the director's act, nobody else's."""
    refusal = "Only the district's director may run the allocation: it replaces the week's plan."
    scope = district_staff_scope(user=user, district_id=district.pk, refusal=refusal)
    if scope.role != DIRECTOR:
        raise PermissionDenied(refusal)


def policy_settings(policy: engine.Policy) -> dict[str, object]:
    def plain(value: object) -> object:
        if isinstance(value, frozenset | set | tuple | list):
            return sorted(plain(v) for v in value)  # type: ignore[type-var]
        if isinstance(value, int | float | str | bool) or value is None:
            return value
        return str(value)

    return {f.name: plain(getattr(policy, f.name)) for f in dataclasses.fields(policy)}


def allocation_run_start(
    *,
    district: District,
    week_start: dt.date,
    started_by: Any = None,
    via_workers: bool = False,
) -> AllocationRun:
    """Record a new run of the week (pending). `started_by` must be the district's director;
    without one (a command, a scheduled job) the caller is trusted."""
    _check_week(week_start)
    if started_by is not None:
        _check_director(district=district, user=started_by)
    policy = policy_for(district=district)
    return AllocationRun.objects.create(
        district=district,
        week_start=week_start,
        status=AllocationRun.Status.PENDING,
        started_by=started_by,
        via_workers=via_workers,
        solver_settings=policy_settings(policy),
    )


@transaction.atomic
def allocation_run_queue(
    *, district: District, week_start: dt.date, started_by: Any = None
) -> AllocationRun:
    """Start a run that workers solve. The run row is written first and the task queued when
    it commits, so a lost message leaves a pending run that the watchdog re-queues."""
    run = allocation_run_start(
        district=district, week_start=week_start, started_by=started_by, via_workers=True
    )
    # tasks.py imports this module, so it is imported when first needed.
    from allocations.tasks import allocate_week

    transaction.on_commit(lambda: allocate_week.delay(district.pk, week_start.isoformat(), run.pk))
    return run


def _progress_recorder(run: AllocationRun, echo: ProgressFn | None) -> ProgressFn:
    last = [0.0]

    def record(percent: int, note: str) -> None:
        if echo is not None:
            echo(percent, note)
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or percent >= 100:
            last[0] = now
            run_beat(run=run, progress_percent=min(percent, 100), progress_note=note[:200])

    return record


def _figures(result: engine.Result, started: float) -> dict[str, object]:
    fig = result.figures
    return {
        "due_minutes": fig.due_minutes,
        "covered_minutes": fig.covered_minutes,
        "safety_due_minutes": fig.safety_due_minutes,
        "safety_covered_minutes": fig.safety_covered_minutes,
        "bound_minutes": fig.bound_minutes,
        "safety_bound_minutes": fig.safety_bound_minutes,
        "bound_kind": fig.bound_kind,
        "contract_minutes": fig.contract_minutes,
        "cost": fig.cost,
        "aides_per_mandate_week": fig.aides_per_mandate_week,
        "solve_seconds": fig.elapsed_seconds,
        "total_seconds": time.perf_counter() - started,
        "progress_note": "done",
        "aide_minutes": {str(k): v for k, v in engine.aide_minutes_of(result.assignments).items()},
    }


def allocation_run(
    *,
    district: District,
    week_start: dt.date,
    started_by: Any = None,
    progress: ProgressFn | None = None,
    run: AllocationRun | None = None,
) -> AllocationRun:
    """Solve the district's week in this process and make the result the week's plan (unless
    a run started later has succeeded first: then this one is superseded)."""
    if run is None:
        run = allocation_run_start(district=district, week_start=week_start, started_by=started_by)
    started = time.perf_counter()
    record = _progress_recorder(run, progress)
    if not run_beat(run=run, status=AllocationRun.Status.RUNNING, started_at=timezone.now()):
        run.refresh_from_db()
        return run  # it has ended (superseded, say): there is nothing left to do
    try:
        record(1, "loading the district week")
        problem = problem_for_week(district=district, week_start=week_start)
        record(10, f"loaded {len(problem.blocks)} blocks, {len(problem.aides)} aides")

        def engine_progress(done: int, total: int, note: str) -> None:
            record(10 + int(80 * done / max(total, 1)), note)

        result = engine.allocate(problem, progress=engine_progress)
        record(92, "saving the plan")
        with transaction.atomic():
            result_store(run=run, assignments=result.assignments, gaps=result.gaps)
            run = run_finish(run=run, figures=_figures(result, started))
    except Exception as exc:
        logger.exception("allocation run %s failed", run.pk)
        run_fail(run=run, reason=f"{type(exc).__name__}: {exc}")
        raise
    if not run.is_current:
        return run
    statistics_refresh(Assignment, UnstaffedRun)
    alerts_sync(district=district, run=run)
    alerts_look_ahead(district=district)
    return run
