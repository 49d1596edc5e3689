"""Expansion of a Problem into due demands, aide-days and clusters of schools.

A *demand* is one due block on one date. Times inside the engine are 15-minute slot numbers
(0..95); an aide's availability on a day is a bitmask over those slots.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from allocations.engine.model import (
    ONE_TO_ONE,
    SLOT_MINUTES,
    Aide,
    Block,
    Contract,
    Mandate,
    Problem,
)

DAYS = 7


def slot_mask(start_slot: int, end_slot: int) -> int:
    if end_slot <= start_slot:
        return 0
    return ((1 << (end_slot - start_slot)) - 1) << start_slot


def first_slot(minutes: int) -> int:
    return -(-minutes // SLOT_MINUTES)


def block_slots(start: int, end: int) -> tuple[int, int]:
    return start // SLOT_MINUTES, first_slot(end)


@dataclass(slots=True)
class Demand:
    idx: int
    mandate_id: int
    block_id: int
    student_id: int
    school_id: int
    location: str
    day: int
    on: date
    start: int  # slot
    end: int  # slot, exclusive
    shared: bool
    max_group: int  # 1 for one_to_one
    reqs: frozenset[str]
    safety: bool
    value: int  # per slot covered, in hundredths of an ordinary student-slot


def is_safety(mandate: Mandate, safety_quals: frozenset[str]) -> bool:
    return mandate.support == ONE_TO_ONE or bool(mandate.required_qualifications & safety_quals)


def mandate_due_on(mandate: Mandate, on: date, closed: set[tuple[date, int | None]]) -> bool:
    if on < mandate.starts_on or (mandate.ends_on is not None and on > mandate.ends_on):
        return False
    return (on, None) not in closed and (on, mandate.school_id) not in closed


def due_demands(problem: Problem) -> list[Demand]:
    """Every due block-date, ordered by (day, school, start, block id)."""
    policy = problem.policy
    mandates = {m.id: m for m in problem.mandates}
    closed = {(c.on, c.school_id) for c in problem.closures}
    rows: list[tuple[int, int, int, int, Block, Mandate]] = []
    for block in problem.blocks:
        mandate = mandates.get(block.mandate_id)
        if mandate is None or not 0 <= block.weekday < DAYS or block.end <= block.start:
            continue
        on = problem.week_start + timedelta(days=block.weekday)
        if mandate_due_on(mandate, on, closed):
            start, _ = block_slots(block.start, block.end)
            rows.append((block.weekday, mandate.school_id, start, block.id, block, mandate))
    rows.sort(key=lambda r: r[:4])
    demands: list[Demand] = []
    for day, _, _, _, block, mandate in rows:
        start, end = block_slots(block.start, block.end)
        shared = mandate.support != ONE_TO_ONE
        safety = is_safety(mandate, policy.safety_qualifications)
        demands.append(
            Demand(
                idx=len(demands),
                mandate_id=mandate.id,
                block_id=block.id,
                student_id=mandate.student_id,
                school_id=mandate.school_id,
                location=block.location,
                day=day,
                on=problem.week_start + timedelta(days=day),
                start=start,
                end=end,
                shared=shared,
                max_group=max(1, mandate.max_group or 1) if shared else 1,
                reqs=mandate.required_qualifications,
                safety=safety,
                value=100 * (policy.safety_weight if safety else 1),
            )
        )
    return demands


@dataclass(slots=True)
class AideWeek:
    aide: Aide
    index: int
    free: list[int]  # per day: window slots minus absences (contract dates ignored)
    avail: list[int]  # per day: free, and zero where the contract is not in force
    quals: list[frozenset[str]]  # per day: qualifications valid that date
    in_force: list[bool]
    rate: Decimal  # per hour: the contract's rate for contract staff
    penalty: int  # per slot: contract and cost tiers of the policy


def aide_weeks(problem: Problem) -> list[AideWeek]:
    contracts: dict[int, Contract] = {c.id: c for c in problem.contracts}
    aides = sorted(problem.aides, key=lambda a: a.id)
    policy = problem.policy
    rates = []
    for aide in aides:
        contract = contracts.get(aide.contract_id) if aide.contract_id is not None else None
        rates.append(contract.hourly_rate if contract is not None else aide.hourly_cost)
    top_rate = max(rates, default=Decimal(1)) or Decimal(1)
    weeks: list[AideWeek] = []
    for i, (aide, rate) in enumerate(zip(aides, rates, strict=True)):
        free = [0] * DAYS
        for w in aide.windows:
            if 0 <= w.weekday < DAYS:
                free[w.weekday] |= slot_mask(first_slot(w.start), w.end // SLOT_MINUTES)
        quals: list[frozenset[str]] = []
        in_force: list[bool] = []
        for day in range(DAYS):
            on = problem.week_start + timedelta(days=day)
            for absence in aide.absences:
                if absence.on != on:
                    continue
                if absence.start is None or absence.end is None:
                    free[day] = 0
                else:
                    free[day] &= ~slot_mask(*block_slots(absence.start, absence.end))
            quals.append(
                frozenset(
                    q.code
                    for q in aide.qualifications
                    if q.expires_on is None or on <= q.expires_on
                )
            )
            contract = contracts.get(aide.contract_id) if aide.contract_id is not None else None
            in_force.append(
                aide.contract_id is None
                or (contract is not None and contract.starts_on <= on <= contract.ends_on)
            )
        penalty = int(policy.cost_penalty_max * rate / top_rate) if top_rate > 0 else 0
        if aide.contract_id is not None:
            penalty += policy.contract_penalty
        weeks.append(
            AideWeek(
                aide=aide,
                index=i,
                free=free,
                avail=[f if ok else 0 for f, ok in zip(free, in_force, strict=True)],
                quals=quals,
                in_force=in_force,
                rate=rate,
                penalty=penalty,
            )
        )
    return weeks


class _UnionFind:
    def __init__(self, items: Iterable[int]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def school_clusters(problem: Problem) -> list[list[int]]:
    """Groups of schools linked by an aide who may work at more than one of them."""
    school_ids = {s.id for s in problem.schools} | {m.school_id for m in problem.mandates}
    uf = _UnionFind(sorted(school_ids))
    for aide in problem.aides:
        linked = sorted(aide.school_ids & school_ids)
        for other in linked[1:]:
            uf.union(linked[0], other)
    groups: dict[int, list[int]] = defaultdict(list)
    for sid in sorted(school_ids):
        groups[uf.find(sid)].append(sid)
    return [groups[k] for k in sorted(groups)]


@dataclass(slots=True)
class Cluster:
    schools: frozenset[int]
    aides: list[AideWeek]  # by aide id
    demands: list[list[Demand]]  # per day, by (school, start, block id)


def clusters_of(problem: Problem, demands: list[Demand], weeks: list[AideWeek]) -> list[Cluster]:
    groups = school_clusters(problem)
    where = {sid: i for i, group in enumerate(groups) for sid in group}
    clusters = [Cluster(frozenset(g), [], [[] for _ in range(DAYS)]) for g in groups]
    for week in weeks:
        homes = sorted(week.aide.school_ids & where.keys())
        if homes:
            clusters[where[homes[0]]].aides.append(week)
    for demand in demands:
        clusters[where[demand.school_id]].demands[demand.day].append(demand)
    return clusters


def breakpoints(demands: list[Demand], masks: Iterable[int]) -> list[int]:
    """Slot numbers where the active demands or available aides may change."""
    points: set[int] = set()
    for d in demands:
        points.add(d.start)
        points.add(d.end)
    for mask in masks:
        changes = mask ^ (mask << 1)
        while changes:
            low = changes & -changes
            points.add(low.bit_length() - 1)
            changes ^= low
    return sorted(points)


def segments(demands: list[Demand], masks: Iterable[int]) -> list[tuple[int, int, list[Demand]]]:
    """Maximal intervals over which nothing changes, each with the demands active in it."""
    if not demands:
        return []
    lo = min(d.start for d in demands)
    hi = max(d.end for d in demands)
    points = [p for p in breakpoints(demands, masks) if lo <= p <= hi]
    position = {p: i for i, p in enumerate(points)}
    active: list[list[Demand]] = [[] for _ in points]
    for d in demands:
        for i in range(position[d.start], position[d.end]):
            active[i].append(d)
    return [(points[i], points[i + 1], active[i]) for i in range(len(points) - 1) if active[i]]


def eligible(week: AideWeek, demand: Demand) -> bool:
    """Rules 3 (school list) and 4 (qualifications) and the contract dates of rule 8."""
    day = demand.day
    return (
        demand.school_id in week.aide.school_ids
        and week.in_force[day]
        and demand.reqs <= week.quals[day]
    )
