"""Hiring needs of the report's week, computed by the engine (`allocations.engine.hiring`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allocations.adapter import problem_for_week
from allocations.engine.hiring import Shift, hiring_needs
from staffing.models import District
from staffing.timeofday import format_span

SHIFT = Shift()
MAX_AIDES = 3
# Each school asks for about five solves of its group of schools: the schools with the most
# unstaffed minutes in the plan are computed, enough for the meeting and the xl district's
# job under 90 s (docs/PERFORMANCE.md).
SCHOOLS = 25

METHOD = (
    "Computed, not guessed: the engine solves the week again as it stands (mandates, aides, "
    "hours, absences, closures, contract caps), then again with one, two and three added aides "
    "at the school, each working {shift} every weekday there only. An added aide holds the "
    "qualifications that the school's unstaffed services require, the set tried being the one "
    "whose single added aide covers the most (of the school's three most-missed sets). Covered "
    "minutes are the school's unstaffed minutes in the first solve less those left in the "
    "second, so other aides moving elsewhere and contract caps count. Computed for the {schools} "
    "schools with the most unstaffed minutes in the week's plan."
)


def hiring_figures(
    *, district: District, week_start: dt.date, unstaffed: dict[int, int]
) -> dict[str, Any]:
    """`unstaffed`: the plan's unstaffed minutes by school id."""
    worst = sorted((-m, pk) for pk, m in unstaffed.items() if m > 0)[:SCHOOLS]
    problem = problem_for_week(district=district, week_start=week_start)
    needs = hiring_needs(
        problem, shift=SHIFT, max_aides=MAX_AIDES, school_ids={pk for _, pk in worst}
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
