"""Hiring needs of the report's week, computed by the engine (`allocations.engine.hiring`) on
the week's plan: its unstaffed runs, under their mandates' terms."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from allocations import engine
from allocations.adapter import problem_for_week
from allocations.engine.hiring import HiringNeed, Shift, hiring_needs
from allocations.models import AllocationRun, UnstaffedRun
from staffing.models import District
from staffing.timeofday import format_span

SHIFT = Shift()
MAX_AIDES = 3
# About four small solves a school, some 20 ms each: the schools with the most unstaffed
# minutes are computed, which keeps the xl district's weekly job within its time
# (docs/PERFORMANCE.md) and covers the meeting's list.
SCHOOLS = 40

METHOD = (
    "Computed, not guessed: for each school, the engine staffs the minutes the week's plan "
    "leaves unstaffed there (each gap at its own time and place, under its mandate's terms: "
    "1:1 or a shared group, the qualifications it requires) with only one, two or three added "
    "aides, each working {shift} every weekday at that school and holding the qualifications "
    "shown. The plan's aides keep their work, so the figure is what hiring alone would add; "
    "the qualifications are the set, among the three sets most missed at the school, whose "
    "single added aide covers the most. Computed for the {schools} schools with the most "
    "unstaffed minutes."
)


def hiring_figures(*, district: District, run: AllocationRun) -> dict[str, Any]:
    rows = UnstaffedRun.objects.filter(district=district, run=run).values_list(
        "mandate_id", "block_id", "date", "start", "end", "reason", "mandate__student__school_id"
    )
    gaps: list[engine.Gap] = []
    unstaffed: dict[int, int] = defaultdict(int)
    for mandate_id, block_id, on, start, end, reason, school_id in rows:
        gaps.append(engine.Gap(mandate_id, block_id, on, start, end, engine.GapReason(reason)))
        unstaffed[school_id] += end - start
    worst = {pk for _, pk in sorted((-m, pk) for pk, m in unstaffed.items())[:SCHOOLS]}
    needs: tuple[HiringNeed, ...] = ()
    if gaps:
        problem = problem_for_week(district=district, week_start=run.week_start, school_ids=worst)
        wanted = {m.id for m in problem.mandates}
        needs = hiring_needs(
            problem, [g for g in gaps if g.mandate_id in wanted], shift=SHIFT, max_aides=MAX_AIDES
        )
    shift = format_span(SHIFT.start, SHIFT.end)
    return {
        "shift": shift,
        "method": METHOD.format(shift=shift, schools=SCHOOLS),
        "needs": [
            {
                "school_code": need.school_code,
                "qualifications": list(need.qualifications),
                "unstaffed_minutes": need.unstaffed_minutes,
                "options": [[o.aides, o.covered_minutes] for o in need.options],
            }
            for need in needs
        ],
    }
