"""Writing a plan's rows: the one writer of assignments and unstaffed runs, used by a whole-week
run, by each part of a fanned-out run and by the re-plan after an absence."""

from __future__ import annotations

from collections.abc import Iterable

from allocations import engine
from allocations.models import AllocationRun, Assignment, UnstaffedRun
from staffing.bulk import bulk_insert


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
