"""Scaling a district week out over workers: one part per independent group of schools.

Schools linked by an aide who may work at both stay in one group; each contract's weekly cap is
split across groups by the engine's master step, so parts never jointly exceed a contract.

Every step is idempotent and does nothing once the run has ended (succeeded, failed or been
superseded by a newer run): a redelivered or re-queued task can never touch a plan that is in
use. A part's rows are written with the part row locked, so two deliveries of one part that
run at once write its rows once.
"""

from __future__ import annotations

import time
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from allocations import engine
from allocations.adapter import problem_for_week
from allocations.models import AllocationRun, AllocationRunPart, Assignment, UnstaffedRun
from allocations.runs import run_beat, run_finish, run_in_flight
from allocations.store import result_store

FIGURE_SUMS = (
    "due_minutes",
    "covered_minutes",
    "safety_due_minutes",
    "safety_covered_minutes",
    "bound_minutes",
    "safety_bound_minutes",
    "contract_minutes",
)


class PartsUnsolved(RuntimeError):
    """Finishing was asked for before every part was solved."""


def allocation_parts_plan(*, run: AllocationRun) -> list[AllocationRunPart]:
    """Split the run's week into parts (an existing split is returned as it is); no parts for a
    run that has ended."""
    if not run_in_flight(run_id=run.pk):
        return []
    existing = list(AllocationRunPart.objects.filter(district=run.district, run=run))
    if existing:
        run_beat(run=run, status=AllocationRun.Status.RUNNING, via_workers=True)
        return existing
    problem = problem_for_week(district=run.district, week_start=run.week_start)
    parts = [
        AllocationRunPart(
            district=run.district,
            run=run,
            index=i,
            school_ids=sorted(s.id for s in group.schools),
            contract_caps={str(c.id): c.weekly_minute_cap for c in group.contracts},
        )
        for i, group in enumerate(engine.partition(problem))
    ]
    AllocationRunPart.objects.bulk_create(parts, ignore_conflicts=True)
    run_beat(
        run=run,
        status=AllocationRun.Status.RUNNING,
        via_workers=True,
        started_at=timezone.now(),
        progress_note=f"solving {len(parts)} groups of schools",
    )
    return list(AllocationRunPart.objects.filter(district=run.district, run=run))


def _part_figures(result: engine.Result) -> dict[str, object]:
    fig = result.figures
    figures: dict[str, object] = {name: getattr(fig, name) for name in FIGURE_SUMS}
    figures |= {"cost": str(fig.cost), "solve_seconds": fig.elapsed_seconds}
    figures["bound_kind"] = fig.bound_kind
    figures["aide_minutes"] = {
        str(k): v for k, v in engine.aide_minutes_of(result.assignments).items()
    }
    return figures


def allocation_part_solve(*, part: AllocationRunPart) -> bool:
    """Solve one group and store its rows under the run (not yet the week's plan). False when
    there was nothing to do: the part was solved already, or the run has ended."""
    run = part.run
    if part.finished or not run_in_flight(run_id=run.pk):
        return False
    problem = problem_for_week(
        district=run.district,
        week_start=run.week_start,
        school_ids=part.school_ids,
        contract_caps={int(k): v for k, v in part.contract_caps.items()},
    )
    result = engine.allocate(problem)
    mandate_ids = [m.id for m in problem.mandates]
    with transaction.atomic():
        locked = AllocationRunPart.objects.select_for_update().get(pk=part.pk)
        if locked.finished or not run_in_flight(run_id=run.pk):
            return False
        Assignment.objects.filter(run=run, mandate_id__in=mandate_ids).delete()
        UnstaffedRun.objects.filter(run=run, mandate_id__in=mandate_ids).delete()
        result_store(run=run, assignments=result.assignments, gaps=result.gaps)
        AllocationRunPart.objects.filter(pk=part.pk).update(
            finished=True, figures=_part_figures(result)
        )
        done = AllocationRunPart.objects.filter(run=run, finished=True).count()
        total = AllocationRunPart.objects.filter(run=run).count()
        run_beat(
            run=run,
            progress_percent=int(95 * done / max(total, 1)),
            progress_note=f"{done} of {total} groups solved",
        )
    return True


def allocation_parts_finish(
    *, run: AllocationRun, started_at: float | None = None
) -> AllocationRun:
    """Once every part is solved, add the figures up and finish the run (`runs.run_finish`:
    the week's plan, or superseded). A run that has ended is returned as it is."""
    with transaction.atomic():
        parts = list(AllocationRunPart.objects.select_for_update().filter(run=run))
        if not run_in_flight(run_id=run.pk):
            run.refresh_from_db()
            return run
        missing = [p.index for p in parts if not p.finished]
        if missing:
            raise PartsUnsolved(f"run {run.pk}: parts {missing} are not solved yet")
        totals: dict[str, object] = {
            name: sum(int(p.figures[name]) for p in parts) for name in FIGURE_SUMS
        }
        pairs = (
            Assignment.objects.filter(run=run)
            .values("mandate_id")
            .annotate(aides=Count("aide_id", distinct=True))
        )
        per_mandate = [row["aides"] for row in pairs]
        aide_minutes: dict[str, int] = {}
        for part in parts:
            aide_minutes |= part.figures.get("aide_minutes", {})
        if started_at is None and run.started_at is not None:
            started_at = run.started_at.timestamp()
        figures = totals | {
            "aide_minutes": aide_minutes,
            "progress_note": f"done: {len(parts)} groups",
            "cost": sum((Decimal(p.figures["cost"]) for p in parts), Decimal(0)),
            "bound_kind": parts[0].figures["bound_kind"] if parts else "",
            "aides_per_mandate_week": sum(per_mandate) / len(per_mandate) if per_mandate else 0.0,
            "solve_seconds": max((float(p.figures["solve_seconds"]) for p in parts), default=0.0),
            "total_seconds": time.time() - started_at if started_at else 0.0,
        }
        return run_finish(run=run, figures=figures)
