"""The first-fit baseline the benchmark compares against: demands in time order, each slot to
the aide already on it or else the lowest-id aide the rules allow. No look-ahead, no priorities."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from allocations.engine.due import AideWeek, aide_weeks, due_demands
from allocations.engine.model import Problem, Result
from allocations.engine.result import assignments_of, figures_of, gaps_of
from allocations.engine.state import Plan
from allocations.engine.week import bound
from allocations.engine.weeklp import BOUND_KIND


def allocate_greedy(
    problem: Problem,
    *,
    clock: Callable[[], float] = time.perf_counter,
    bounds: tuple[int, int] | None = None,
) -> Result:
    """The first-fit plan; `bounds` (all minutes, safety tier) spares recomputing the bound
    when the caller has it for the same problem."""
    started = clock()
    demands = due_demands(problem)
    weeks = aide_weeks(problem)
    plan = Plan(problem, demands, weeks)
    by_school: dict[int, list[AideWeek]] = defaultdict(list)
    for week in weeks:
        for school in week.aide.school_ids:
            by_school[school].append(week)
    for demand in demands:
        candidates = by_school.get(demand.school_id, [])
        current: AideWeek | None = None
        for slot in range(demand.start, demand.end):
            if current is not None and plan.can_serve(current, demand, slot):
                plan.serve(current, demand, slot, slot + 1)
                continue
            current = next((w for w in candidates if plan.can_serve(w, demand, slot)), None)
            if current is not None:
                plan.serve(current, demand, slot, slot + 1)
    assignments = tuple(assignments_of(plan))
    elapsed = clock() - started
    bound_minutes, safety_bound = bounds if bounds is not None else bound(problem)
    figures = figures_of(
        problem,
        assignments,
        bound_minutes=bound_minutes,
        safety_bound_minutes=safety_bound,
        bound_kind=BOUND_KIND,
        elapsed_seconds=elapsed,
    )
    return Result(assignments=assignments, gaps=tuple(gaps_of(plan)), figures=figures)
