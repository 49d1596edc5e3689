"""Stage C: the exception fill. For each (group of schools, date, segment) in time order, a
min-cost flow sends the aides still free to the demands still open.

Arc costs follow the policy tiers in small integers (log C matters for cost scaling): a covered
student-slot is worth 100 (safety tier: 100 x safety_weight), then fairness, continuity (the aide
who served the previous slot, or the mandate earlier in the week), then district staff before
contract staff and cheaper before dearer, each tier below the one above for one aide.
"""

from __future__ import annotations

from collections import defaultdict

from allocations.engine.due import AideWeek, Cluster, Demand, eligible, segments, slot_mask
from allocations.engine.flow import SINK, SOURCE, FlowGraph
from allocations.engine.model import SLOT_MINUTES, Policy
from allocations.engine.state import Plan


class _Unit:
    """Demands one aide would serve together: one one_to_one student, or a shared group."""

    __slots__ = ("cap", "members", "reqs", "school")

    def __init__(self, demand: Demand) -> None:
        self.members = [demand]
        self.reqs = demand.reqs
        self.cap = demand.max_group
        self.school = demand.school_id


def _fits_whole(plan: Plan, week: AideWeek, demand: Demand, start: int, end: int) -> bool:
    return plan.can_serve_run(week, demand, start, end)


def _carry(plan: Plan, day: int, start: int, end: int, open_: list[Demand]) -> list[Demand]:
    """Keep each aide with the student it served in the slot just before (continuity), unless
    a safety-tier student would then lack a free qualified aide: then the segment is solved
    afresh. Returns the demands still open."""
    kept: list[tuple[AideWeek, Demand]] = []
    still: list[Demand] = []
    taken: set[int] = set()
    for d in open_:
        prev = plan.cover[d.idx][start - 1 - d.start] if d.start < start else -1
        if prev != -1:
            kept.append((plan.weeks[prev], d))
            taken.add(prev)
        else:
            still.append(d)
    if not kept:
        return open_
    # Solve the segment afresh only if an open safety-tier student could take an aide that
    # would otherwise be kept on a student outside the safety tier.
    movable = kept
    mask = slot_mask(start, end)
    for d in still:
        if not d.safety or not any(
            eligible(w, d) and w.avail[day] & mask == mask for w, _ in movable
        ):
            continue
        if not any(
            w.aide.id not in taken
            and w.avail[day] & mask == mask
            and not plan.busy_mask.get((w.aide.id, day), 0) & mask
            and eligible(w, d)
            for w in plan.by_school.get(d.school_id, ())
        ):
            return open_
    for week, d in kept:
        if not plan.extend(week, d, start, end):
            still.append(d)
    return still


def top_up(
    plan: Plan, weeks: list[AideWeek], day: int, start: int, end: int, open_: list[Demand]
) -> list[Demand]:
    """Seat open shared students with an aide already leading a group at their location: the
    slot costs that aide no extra minutes. Returns the demands still open."""
    leaders: dict[tuple[int, str], list[AideWeek]] = defaultdict(list)
    for week in weeks:
        service = plan.service_at(week.aide.id, day, start)
        if service is not None and service.shared:
            leaders[(service.school, service.location)].append(week)
    if not leaders:
        return open_
    still: list[Demand] = []
    for demand in open_:
        placed = False
        if demand.shared:
            for week in leaders.get((demand.school_id, demand.location), ()):
                if _fits_whole(plan, week, demand, start, end):
                    plan.serve(week, demand, start, end)
                    placed = True
                    break
        if not placed:
            still.append(demand)
    return still


def _pack(members: list[Demand], qual_sets: list[frozenset[str]]) -> list[_Unit]:
    """Group a location's open shared students into units, safety tier and rarest needs first;
    a student joins a unit if the group stays within everyone's max_group and some free aide
    holds the union of their qualifications."""
    units: list[_Unit] = []
    order = sorted(
        members, key=lambda d: (-d.value, -len(d.reqs), sorted(d.reqs), -d.max_group, d.idx)
    )
    for demand in order:
        for unit in units:
            cap = min(unit.cap, demand.max_group)
            if len(unit.members) + 1 > cap:
                continue
            reqs = unit.reqs | demand.reqs
            if any(reqs <= q for q in qual_sets):
                unit.members.append(demand)
                unit.reqs = reqs
                unit.cap = cap
                break
        else:
            units.append(_Unit(demand))
    return units


def _unit_gain(plan: Plan, unit: _Unit, policy: Policy) -> int:
    """What covering the unit is worth to any aide: its students, plus fairness when one of
    them has had nothing yet today."""
    gain = sum(d.value for d in unit.members)
    if any((d.mandate_id, d.day) not in plan.day_started for d in unit.members):
        gain += policy.fairness_bonus
    return gain


def _sticky(plan: Plan, unit: _Unit, start: int, policy: Policy) -> dict[int, int]:
    """Continuity bonus by aide: the aide of the previous slot, else one who has served one of
    the unit's mandates this week."""
    bonus: dict[int, int] = {}
    for d in unit.members:
        for aide_id in sorted(plan.aides_of.get(d.mandate_id, ())):
            bonus.setdefault(aide_id, policy.same_week_bonus)
    for d in unit.members:
        if start > d.start:
            prev = plan.cover[d.idx][start - 1 - d.start]
            if prev != -1:
                bonus[prev] = policy.same_day_bonus
    return bonus


Stuck = tuple[frozenset[int], frozenset[int]]  # open demands, free aides: no arc between them


def _free_aides(
    plan: Plan, weeks: list[AideWeek], day: int, start: int, end: int, open_: list[Demand]
) -> list[AideWeek]:
    minutes = (end - start) * SLOT_MINUTES
    mask = slot_mask(start, end)
    schools = {d.school_id for d in open_}
    free: list[AideWeek] = []
    for week in weeks:
        key = (week.aide.id, day)
        if (
            week.avail[day] & mask == mask
            and not plan.busy_mask.get(key, 0) & mask
            and plan.minutes_left[week.aide.id] >= minutes
            and plan.contract_room(week) >= minutes
            and plan.day_school.get(key, -1) in schools | {-1}
            and not week.aide.school_ids.isdisjoint(schools)
        ):
            free.append(week)
    return free


def fill_segment(
    plan: Plan,
    weeks: list[AideWeek],
    day: int,
    start: int,
    end: int,
    active: list[Demand],
    policy: Policy,
    stuck: Stuck | None = None,
) -> Stuck | None:
    """Fill one segment; returns what was left stuck (open demands no free aide can take), so
    that the next segment can skip its flow when nothing new has come in."""
    open_ = [d for d in active if plan.cover[d.idx][start - d.start] == -1]
    if not open_:
        return None
    open_ = _carry(plan, day, start, end, open_)
    open_ = top_up(plan, weeks, day, start, end, open_)
    for _ in range(3):
        if not open_:
            return None
        free = _free_aides(plan, weeks, day, start, end, open_)
        now: Stuck = (frozenset(d.idx for d in open_), frozenset(w.aide.id for w in free))
        if not free:
            return now
        if stuck is not None:
            # Only a newly open demand or a newly free aide can make a new match: solve the
            # schools they touch, and leave the rest as it was.
            touched = {d.school_id for d in open_ if d.idx not in stuck[0]}
            for week in free:
                if week.aide.id not in stuck[1]:
                    touched |= week.aide.school_ids
            if not touched:
                return now
            sub_open = [d for d in open_ if d.school_id in touched]
            sub_free = [w for w in free if not w.aide.school_ids.isdisjoint(touched)]
        else:
            sub_open, sub_free = open_, free
        if not sub_open or not sub_free:
            return now
        still = _flow_round(plan, sub_free, day, start, end, sub_open, policy)
        if still is None:
            return now
        stuck = now
        open_ = top_up(
            plan,
            weeks,
            day,
            start,
            end,
            [d for d in open_ if plan.cover[d.idx][start - d.start] == -1],
        )
        stuck = (
            (
                frozenset(d.idx for d in open_),
                frozenset(w.aide.id for w in _free_aides(plan, weeks, day, start, end, open_)),
            )
            if open_
            else None
        )
    return stuck


def _flow_round(
    plan: Plan,
    free: list[AideWeek],
    day: int,
    start: int,
    end: int,
    open_: list[Demand],
    policy: Policy,
) -> list[Demand] | None:
    """One min-cost flow of the free aides to the open units; returns what is still open, or
    None when nothing could be placed."""
    minutes = (end - start) * SLOT_MINUTES
    schools = {d.school_id for d in open_}
    units: list[_Unit] = [_Unit(d) for d in open_ if not d.shared]
    pods: dict[tuple[int, str], list[Demand]] = defaultdict(list)
    for d in open_:
        if d.shared:
            pods[(d.school_id, d.location)].append(d)
    for (school, _loc), members in sorted(pods.items()):
        qual_sets = sorted({w.quals[day] for w in free if school in w.aide.school_ids}, key=sorted)
        units.extend(_pack(members, qual_sets))
    graph = FlowGraph()
    # One_to_one units alike to every aide (school, needs, worth) share one class node, so the
    # graph grows with the kinds of need, not the number of students; an aide with a
    # continuity bonus for one unit reaches it through that unit's own node.
    classes: dict[tuple[int, frozenset[str], int, bool], list[_Unit]] = defaultdict(list)
    for unit in units:
        classes[(unit.school, unit.reqs, _unit_gain(plan, unit, policy), unit.cap > 1)].append(unit)
    by_school: dict[int, list[tuple[int, frozenset[str], int, list[_Unit]]]] = defaultdict(list)
    unit_node: dict[int, int] = {}
    sticky_by_aide: dict[int, list[tuple[int, _Unit, int]]] = defaultdict(list)
    for (school, reqs, gain, _group), alike in sorted(
        classes.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]), -kv[0][2], kv[0][3])
    ):
        node = graph.node()
        graph.arc(node, SINK, len(alike), 0)
        by_school[school].append((node, reqs, gain, alike))
        for one in alike:
            for aide_id, bonus in _sticky(plan, one, start, policy).items():
                if id(one) not in unit_node:
                    unit_node[id(one)] = graph.node()
                    graph.arc(unit_node[id(one)], node, 1, 0)
                sticky_by_aide[aide_id].append((unit_node[id(one)], one, gain + bonus))
    # Aides alike (schools, qualifications, penalty, contract, school of the day) and with no
    # continuity claim on an open unit are pooled into one node too.
    pools: dict[tuple[object, ...], list[AideWeek]] = defaultdict(list)
    for week in free:
        aide_id = week.aide.id
        key: tuple[object, ...] = (aide_id,)
        if aide_id not in sticky_by_aide:
            key = (
                tuple(sorted(week.aide.school_ids & schools)),
                tuple(sorted(week.quals[day])),
                week.penalty,
                week.aide.contract_id,
                plan.day_school.get((aide_id, day)),
            )
        pools[key].append(week)
    contract_nodes: dict[int, int] = {}
    class_arcs: list[tuple[int, list[AideWeek], list[_Unit]]] = []
    unit_arcs: list[tuple[int, AideWeek, _Unit]] = []
    for group in pools.values():
        first = group[0]
        node = graph.node()
        contract_id = first.aide.contract_id
        if contract_id is None:
            graph.arc(SOURCE, node, len(group), 0)
        else:
            if contract_id not in contract_nodes:
                contract_nodes[contract_id] = graph.node()
                cap = plan.contract_left.get(contract_id, 0) // minutes
                graph.arc(SOURCE, contract_nodes[contract_id], cap, 0)
            graph.arc(contract_nodes[contract_id], node, len(group), 0)
        locked = plan.day_school.get((first.aide.id, day))
        quals = first.quals[day]
        for school in sorted(first.aide.school_ids & schools):
            if locked is not None and locked != school:
                continue
            for cnode, reqs, gain, alike in by_school[school]:
                if reqs <= quals:
                    cap = min(len(group), len(alike))
                    arc = graph.arc(node, cnode, cap, first.penalty - gain)
                    class_arcs.append((arc, group, alike))
        if len(group) == 1:
            for unode, unit, value in sticky_by_aide.get(first.aide.id, ()):
                if unit.reqs <= quals and (locked is None or locked == unit.school):
                    arc = graph.arc(node, unode, 1, first.penalty - value)
                    unit_arcs.append((arc, first, unit))
    if not class_arcs:
        return None
    _, flows = graph.solve(len(free))
    placed = False
    taken: set[int] = set()
    busy: set[int] = set()
    chosen: list[tuple[AideWeek, _Unit]] = []
    for arc, week, unit in unit_arcs:
        if flows[arc]:
            taken.add(id(unit))
            busy.add(week.aide.id)
            chosen.append((week, unit))
    for arc, group, alike in class_arcs:
        for _ in range(flows[arc]):
            week = next(w for w in group if w.aide.id not in busy)
            picked = next(u for u in alike if id(u) not in taken)
            busy.add(week.aide.id)
            taken.add(id(picked))
            chosen.append((week, picked))
    for week, picked in chosen:
        for d in picked.members:
            if _fits_whole(plan, week, d, start, end):
                plan.serve(week, d, start, end)
                placed = True
    if not placed:
        return None
    return [d for d in open_ if plan.cover[d.idx][start - d.start] == -1]


def fill_cluster_day(plan: Plan, cluster: Cluster, day: int, policy: Policy) -> None:
    demands = cluster.demands[day]
    if not demands:
        return
    masks = [w.avail[day] for w in cluster.aides if w.avail[day]]
    stuck: Stuck | None = None
    for start, end, active in segments(demands, masks):
        stuck = fill_segment(plan, cluster.aides, day, start, end, active, policy, stuck)
