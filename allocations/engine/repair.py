"""Absence repair: re-plan a few dates of a few schools around the plan already made.

The problem holds the schools to repair (every mandate there, the whole week) and the aides who
may work there. The current plan comes in as assignments; time those aides already give to other
schools comes in as `Engaged` spans, and each contract's cap as what the rest of the district
leaves of it. Then:

1. Assignments on other dates are kept as they are, whatever changed: nothing moves there.
2. Assignments on the repaired dates that still obey every rule are kept: students whose cover
   still works keep it.
3. The exception fill runs on the repaired dates for what is open. Its continuity rules (the aide
   of the previous slot first, then one who served the student this week) keep one substitute
   with a student through the day.
4. The only move: a safety-tier student still without cover takes a qualified aide off a shared
   group outside the safety tier (the policy's first tier). A dedicated aide is never taken off a
   safety-tier student, and nobody is taken off a one_to_one student.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from allocations.engine.due import (
    AideWeek,
    Cluster,
    Demand,
    aide_weeks,
    block_slots,
    due_demands,
    eligible,
    segments,
)
from allocations.engine.fill import fill_segment
from allocations.engine.model import SLOT_MINUTES, Assignment, Gap, Problem
from allocations.engine.result import assignments_of, gaps_of
from allocations.engine.solve import polish
from allocations.engine.state import Plan


@dataclass(frozen=True)
class Engaged:
    """A span of the current plan in which an aide serves a school outside the repair."""

    aide_id: int
    on: date
    start: int
    end: int
    school_id: int


@dataclass(frozen=True)
class Change:
    """A run of one block on one date whose aide changed (None = unstaffed)."""

    mandate_id: int
    block_id: int
    on: date
    start: int
    end: int
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Repair:
    assignments: tuple[Assignment, ...]  # on the repaired dates
    gaps: tuple[Gap, ...]  # on the repaired dates
    changes: tuple[Change, ...]
    covered_before: int  # student-minutes on the repaired dates
    covered_after: int
    safety_covered_before: int
    safety_covered_after: int
    moved_minutes: int  # student-minutes of shared groups given up for safety-tier students
    aide_minutes: dict[int, int]  # each aide's scheduled minutes in the week, after
    elapsed_seconds: float


Cover = dict[tuple[int, int], int]  # (demand index, slot) -> aide id


def _old_cover(current: Iterable[Assignment], demand_at: dict[tuple[int, date], Demand]) -> Cover:
    cover: Cover = {}
    for a in current:
        demand = demand_at.get((a.block_id, a.on))
        if demand is None:
            continue
        start, end = block_slots(a.start, a.end)
        for slot in range(max(start, demand.start), min(end, demand.end)):
            cover.setdefault((demand.idx, slot), a.aide_id)
    return cover


def _pin(plan: Plan, cover: Cover, days: set[int], *, checked: bool) -> None:
    """Put the old plan back: on other days as it was, on the repaired days where still valid."""
    for (idx, slot), aide_id in sorted(cover.items()):
        demand = plan.demands[idx]
        week = plan.weeks.get(aide_id)
        if week is None or (demand.day in days) != checked:
            continue
        if plan.cover[idx][slot - demand.start] != -1:
            continue
        if not checked or plan.can_serve(week, demand, slot):
            plan.serve(week, demand, slot, slot + 1)


def _masks(plan: Plan, weeks: list[AideWeek], demands: list[Demand], day: int) -> list[int]:
    """Where anything changes within the day: availability, time taken, and kept cover, so that
    each fill segment starts uniform."""
    masks = [w.avail[day] for w in weeks if w.avail[day]]
    masks += [plan.busy_mask.get((w.aide.id, day), 0) for w in weeks]
    for demand in demands:
        mask = 0
        for i, aide in enumerate(plan.cover[demand.idx]):
            if aide != -1:
                mask |= 1 << (demand.start + i)
        masks.append(mask)
    return masks


def _rescue_safety(plan: Plan, weeks: list[AideWeek], demands: list[Demand], day: int) -> int:
    """Give safety-tier students still open an aide taken off a non-safety shared group,
    preferring the aide of the previous slot; returns the student-minutes given up."""
    moved = 0
    for demand in sorted((d for d in demands if d.safety), key=lambda d: (d.start, d.idx)):
        for slot in range(demand.start, demand.end):
            if plan.cover[demand.idx][slot - demand.start] != -1:
                continue
            before = plan.cover[demand.idx][slot - demand.start - 1] if slot > demand.start else -1
            order = sorted(weeks, key=lambda w: (w.aide.id != before, w.penalty, w.aide.id))
            for week in order:
                service = plan.service_at(week.aide.id, day, slot)
                if (
                    service is None
                    or not service.shared
                    or service.school != demand.school_id
                    or any(plan.demands[i].safety for i in service.members)
                    or not eligible(week, demand)
                    or not (week.avail[day] >> slot) & 1
                ):
                    continue
                moved += SLOT_MINUTES * len(plan.release(week.aide.id, day, slot))
                plan.serve(week, demand, slot, slot + 1)
                break
    return moved


def _covered(cover: Cover, demands: list[Demand], days: set[int]) -> tuple[int, int]:
    total = safety = 0
    for idx, _slot in cover:
        demand = demands[idx]
        if demand.day in days:
            total += SLOT_MINUTES
            if demand.safety:
                safety += SLOT_MINUTES
    return total, safety


def _changes(before: Cover, plan: Plan, days: set[int]) -> list[Change]:
    rows: list[Change] = []
    for demand in plan.demands:
        if demand.day not in days:
            continue
        pairs: list[tuple[int | None, int | None]] = []
        for slot in range(demand.start, demand.end):
            aide = plan.cover[demand.idx][slot - demand.start]
            pairs.append((before.get((demand.idx, slot)), aide if aide != -1 else None))
        first = 0
        for i in range(1, len(pairs) + 1):
            if i == len(pairs) or pairs[i] != pairs[first]:
                old, new = pairs[first]
                if old != new:
                    rows.append(
                        Change(
                            demand.mandate_id,
                            demand.block_id,
                            demand.on,
                            (demand.start + first) * SLOT_MINUTES,
                            (demand.start + i) * SLOT_MINUTES,
                            old,
                            new,
                        )
                    )
                first = i
    rows.sort(key=lambda c: (c.on, c.start, c.mandate_id, c.block_id))
    return rows


def repair(
    problem: Problem,
    current: Iterable[Assignment],
    dates: Iterable[date],
    engaged: Iterable[Engaged] = (),
) -> Repair:
    """Re-plan `dates` of the problem's schools around `current`, the plan for its week."""
    started = time.perf_counter()
    current = list(current)
    days = {(on - problem.week_start).days for on in dates}
    demands = due_demands(problem)
    weeks = aide_weeks(problem)
    plan = Plan(problem, demands, weeks)
    for span in sorted(engaged, key=lambda e: (e.aide_id, e.on, e.start)):
        week = plan.weeks.get(span.aide_id)
        day = (span.on - problem.week_start).days
        if week is not None and 0 <= day < len(week.avail):
            plan.engage(week, day, *block_slots(span.start, span.end), span.school_id)
    demand_at = {(d.block_id, d.on): d for d in demands}
    before = _old_cover(current, demand_at)
    _pin(plan, before, days, checked=False)
    _pin(plan, before, days, checked=True)
    cluster = Cluster(frozenset(s.id for s in problem.schools), weeks, [[] for _ in range(7)])
    for demand in demands:
        cluster.demands[demand.day].append(demand)
    moved = 0
    for day in sorted(days):
        todays = cluster.demands[day] if 0 <= day < len(cluster.demands) else []
        if not todays:
            continue
        for start, end, active in segments(todays, _masks(plan, weeks, todays, day)):
            fill_segment(plan, weeks, day, start, end, active, problem.policy)
        polish(plan, cluster, day)
        moved += _rescue_safety(plan, weeks, todays, day)
        polish(plan, cluster, day)
    after: Cover = {
        (d.idx, d.start + i): aide
        for d in demands
        if d.day in days
        for i, aide in enumerate(plan.cover[d.idx])
        if aide != -1
    }
    covered_before, safety_before = _covered(before, demands, days)
    covered_after, safety_after = _covered(after, demands, days)
    aide_minutes = {
        w.aide.id: max(0, w.aide.max_weekly_minutes) - plan.minutes_left[w.aide.id] for w in weeks
    }
    return Repair(
        assignments=tuple(
            a for a in assignments_of(plan) if (a.on - problem.week_start).days in days
        ),
        gaps=tuple(g for g in gaps_of(plan) if (g.on - problem.week_start).days in days),
        changes=tuple(_changes(before, plan, days)),
        covered_before=covered_before,
        covered_after=covered_after,
        safety_covered_before=safety_before,
        safety_covered_after=safety_after,
        moved_minutes=moved,
        aide_minutes=aide_minutes,
        elapsed_seconds=time.perf_counter() - started,
    )
