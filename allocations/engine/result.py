"""Turning a finished plan into rows (assignments, gaps with reasons) and figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from allocations.engine.due import AideWeek, Demand, aide_weeks, block_slots, due_demands
from allocations.engine.model import (
    SLOT_MINUTES,
    Assignment,
    Figures,
    Gap,
    GapReason,
    Problem,
)
from allocations.engine.state import Plan


def assignments_of(plan: Plan) -> list[Assignment]:
    rows: list[Assignment] = []
    for demand, cover in zip(plan.demands, plan.cover, strict=True):
        run_start = 0
        for i in range(1, len(cover) + 1):
            if i == len(cover) or cover[i] != cover[run_start]:
                if cover[run_start] != -1:
                    rows.append(
                        Assignment(
                            aide_id=cover[run_start],
                            mandate_id=demand.mandate_id,
                            block_id=demand.block_id,
                            on=demand.on,
                            start=(demand.start + run_start) * SLOT_MINUTES,
                            end=(demand.start + i) * SLOT_MINUTES,
                        )
                    )
                run_start = i
    rows.sort(key=lambda a: (a.on, a.aide_id, a.start, a.block_id))
    return rows


def aide_minutes_of(assignments: Iterable[Assignment]) -> dict[int, int]:
    """Each aide's scheduled minutes in the week: a slot counts once however many students
    the aide serves in it (rule 7)."""
    slots: set[tuple[int, object, int]] = set()
    for a in assignments:
        start, end = block_slots(a.start, a.end)
        slots.update((a.aide_id, a.on, slot) for slot in range(start, end))
    minutes: dict[int, int] = defaultdict(int)
    for aide_id, _, _ in slots:
        minutes[aide_id] += SLOT_MINUTES
    return dict(sorted(minutes.items()))


def _reason(plan: Plan, candidates: list[AideWeek], demand: Demand, slot: int) -> GapReason:
    day = demand.day
    available = [w for w in candidates if (w.free[day] >> slot) & 1]
    if not available:
        return GapReason.NO_AIDE_AVAILABLE
    qualified = [w for w in available if demand.reqs <= w.quals[day]]
    if not qualified:
        return GapReason.NONE_QUALIFIED
    in_force = [w for w in qualified if w.in_force[day]]
    if not in_force:
        return GapReason.CONTRACT_NOT_IN_FORCE
    if all(plan.room(w) < SLOT_MINUTES for w in in_force):
        return GapReason.CAP_REACHED
    return GapReason.QUALIFIED_AIDES_BUSY


def gaps_of(plan: Plan) -> list[Gap]:
    by_school: dict[int, list[AideWeek]] = defaultdict(list)
    for week in plan.weeks.values():
        for school in week.aide.school_ids:
            by_school[school].append(week)
    rows: list[Gap] = []
    for demand, cover in zip(plan.demands, plan.cover, strict=True):
        if -1 not in cover:
            continue
        candidates = by_school.get(demand.school_id, [])
        reasons = [
            _reason(plan, candidates, demand, demand.start + i) if aide == -1 else None
            for i, aide in enumerate(cover)
        ]
        run_start = 0
        for i in range(1, len(reasons) + 1):
            if i == len(reasons) or reasons[i] != reasons[run_start]:
                reason = reasons[run_start]
                if reason is not None:
                    rows.append(
                        Gap(
                            mandate_id=demand.mandate_id,
                            block_id=demand.block_id,
                            on=demand.on,
                            start=(demand.start + run_start) * SLOT_MINUTES,
                            end=(demand.start + i) * SLOT_MINUTES,
                            reason=reason,
                        )
                    )
                run_start = i
    rows.sort(key=lambda g: (g.on, g.mandate_id, g.block_id, g.start))
    return rows


def figures_of(
    problem: Problem,
    assignments: Iterable[Assignment],
    *,
    bound_minutes: int,
    safety_bound_minutes: int,
    bound_kind: str,
    elapsed_seconds: float,
    demands: list[Demand] | None = None,
    aide_list: list[AideWeek] | None = None,
) -> Figures:
    """Recount every figure from the rows, so merged results and checks agree with them."""
    if demands is None:
        demands = due_demands(problem)
    weeks = {w.aide.id: w for w in (aide_list if aide_list is not None else aide_weeks(problem))}
    due_slots = {(d.block_id, d.on): d for d in demands}
    covered: set[tuple[int, object, int]] = set()
    aide_slots: set[tuple[int, object, int]] = set()
    pairs: dict[int, set[int]] = defaultdict(set)
    for a in assignments:
        demand = due_slots.get((a.block_id, a.on))
        start, end = block_slots(a.start, a.end)
        for slot in range(start, end):
            aide_slots.add((a.aide_id, a.on, slot))
            if demand is not None and demand.start <= slot < demand.end:
                covered.add((a.block_id, a.on, slot))
        pairs[a.mandate_id].add(a.aide_id)
    due = safety_due = covered_minutes = safety_covered = 0
    for d in demands:
        minutes = (d.end - d.start) * SLOT_MINUTES
        got = sum(SLOT_MINUTES for s in range(d.start, d.end) if (d.block_id, d.on, s) in covered)
        due += minutes
        covered_minutes += got
        if d.safety:
            safety_due += minutes
            safety_covered += got
    per_aide: dict[int, int] = defaultdict(int)
    for aide_id, _, _ in aide_slots:
        per_aide[aide_id] += SLOT_MINUTES
    cost = Decimal(0)
    contract_minutes = 0
    for aide_id in sorted(per_aide):
        week = weeks.get(aide_id)
        if week is None:
            continue
        cost += week.rate * per_aide[aide_id] / 60
        if week.aide.contract_id is not None:
            contract_minutes += per_aide[aide_id]
    return Figures(
        due_minutes=due,
        covered_minutes=covered_minutes,
        safety_due_minutes=safety_due,
        safety_covered_minutes=safety_covered,
        bound_minutes=bound_minutes,
        safety_bound_minutes=safety_bound_minutes,
        bound_kind=bound_kind,
        contract_minutes=contract_minutes,
        cost=cost.quantize(Decimal("0.01")),
        aides_per_mandate_week=(sum(len(v) for v in pairs.values()) / len(pairs) if pairs else 0.0),
        elapsed_seconds=elapsed_seconds,
    )
