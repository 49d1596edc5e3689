"""The physical limit, a second figure beside the week LP's bound (weeklp.py). For every
(group of schools, date, segment), the most student-slots any valid plan could cover, by a
min-cost flow on a relaxation of the rules.

The relaxation keeps rules 1, 2, 4, 5 (in a weakened form), 6 and the contract dates, and drops
the weekly minutes, the contract caps and the one-school-a-day rule. Identical aides (same schools
and same qualifications that day) are pooled, which is exact for a flow. A shared group at one
location is a node whose k-th aide is worth min(r, n - (k-1) r) students, r being the largest
max_group there, and an aide may join it when it is qualified for any one of its students: every
valid plan is a feasible flow, so the optimum is a true upper bound.
"""

from __future__ import annotations

from collections import defaultdict

from allocations.engine.due import (
    AideWeek,
    Cluster,
    Demand,
    aide_weeks,
    clusters_of,
    due_demands,
    segments,
    slot_mask,
)
from allocations.engine.flow import SINK, SOURCE, FlowGraph
from allocations.engine.model import SLOT_MINUTES, Problem
from allocations.engine.state import Plan

FLOW_BOUND_KIND = "per-segment max-flow (physical limit)"

AideType = tuple[frozenset[int], frozenset[str]]


def group_sizes(max_groups: list[int]) -> list[int]:
    """The most students k aides can serve at one location, as marginal group sizes, ignoring
    qualifications: with max_group sorted in descending order, the best k groups cover a
    prefix in contiguous runs, and taking each run as long as its last student's max_group
    allows stays ahead of any other choice."""
    sizes: list[int] = []
    start = 0
    n = len(max_groups)
    while start < n:
        end = start + 1
        while end < n and end + 1 - start <= max_groups[end]:
            end += 1
        sizes.append(end - start)
        start = end
    return sizes


TypeOrder = dict[AideType, tuple[tuple[int, ...], tuple[str, ...]]]


def _max_covered(
    types: dict[AideType, int], demands: list[Demand], order: TypeOrder | None = None
) -> int:
    """The most students of `demands` coverable at once by the pooled aides."""
    if not demands or not types:
        return 0
    if order is None:
        order = {}

    def type_order(key: AideType) -> tuple[tuple[int, ...], tuple[str, ...]]:
        found = order.get(key)
        if found is None:
            found = order[key] = (tuple(sorted(key[0])), tuple(sorted(key[1])))
        return found

    singles: dict[tuple[int, frozenset[str]], int] = defaultdict(int)
    pods: dict[tuple[int, str], list[Demand]] = defaultdict(list)
    for d in demands:
        if d.shared:
            pods[(d.school_id, d.location)].append(d)
        else:
            singles[(d.school_id, d.reqs)] += 1
    graph = FlowGraph()
    supply = 0
    type_nodes: list[tuple[int, int, AideType]] = []
    for key in sorted(types, key=type_order):
        count = types[key]
        node = graph.node()
        graph.arc(SOURCE, node, count, 0)
        type_nodes.append((node, count, key))
        supply += count
    for (school, reqs), n in sorted(singles.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]))):
        node = graph.node()
        graph.arc(node, SINK, n, -1)
        for tnode, count, (schools, quals) in type_nodes:
            if school in schools and reqs <= quals:
                graph.arc(tnode, node, min(count, n), 0)
    for (school, _location), everyone in sorted(pods.items()):
        # A student no available aide is qualified for cannot be in anyone's group.
        members = [
            d
            for d in everyone
            if any(school in schools and d.reqs <= quals for _, _, (schools, quals) in type_nodes)
        ]
        if not members:
            continue
        node = graph.node()
        sizes = group_sizes(sorted((d.max_group for d in members), reverse=True))
        for size in sizes:
            graph.arc(node, SINK, 1, -size)
        signatures = {d.reqs for d in members}
        for tnode, count, (schools, quals) in type_nodes:
            if school in schools and any(s <= quals for s in signatures):
                graph.arc(tnode, node, min(count, len(sizes)), 0)
    cost, _ = graph.solve(supply)
    return -cost


def aide_types(weeks: list[AideWeek], day: int, start: int, end: int) -> dict[AideType, int]:
    return _types([(w.avail[day], (w.aide.school_ids, w.quals[day])) for w in weeks], start, end)


def _types(keyed: list[tuple[int, AideType]], start: int, end: int) -> dict[AideType, int]:
    mask = slot_mask(start, end)
    types: dict[AideType, int] = defaultdict(int)
    for avail, key in keyed:
        if avail & mask == mask:
            types[key] += 1
    return types


def cluster_bound(cluster: Cluster, plan: Plan | None = None) -> tuple[int, int]:
    """(student-minutes, safety-tier student-minutes) of the physical limit for one cluster.

    Given a finished plan, a segment where the plan covers every demand that some available
    aide is qualified for needs no flow: no plan can do better, so the flow's value is that
    count anyway. The figures are the same with or without the plan; only faster.
    """
    total = 0
    safety = 0
    order: TypeOrder = {}
    for day, demands in enumerate(cluster.demands):
        if not demands:
            continue
        keyed = [
            (w.avail[day], (w.aide.school_ids, w.quals[day])) for w in cluster.aides if w.avail[day]
        ]
        for start, end, active in segments(demands, [mask for mask, _ in keyed]):
            minutes = (end - start) * SLOT_MINUTES
            types = _types(keyed, start, end)
            critical = [d for d in active if d.safety]
            if plan is not None:
                reachable = [d for d in active if _reachable(types, d)]
                done = [d for d in reachable if _covered(plan, d, start, end)]
                if len(done) == len(reachable):
                    total += len(done) * minutes
                    safety += sum(1 for d in done if d.safety) * minutes
                    continue
                critical_reachable = [d for d in reachable if d.safety]
                if all(_covered(plan, d, start, end) for d in critical_reachable):
                    safety += len(critical_reachable) * minutes
                    critical = []
            covered = _max_covered(types, active, order)
            total += covered * minutes
            if not critical:
                continue
            if covered == len(active):
                safety += len(critical) * minutes
            else:
                safety += _max_covered(types, critical, order) * minutes
    return total, safety


def _reachable(types: dict[AideType, int], demand: Demand) -> bool:
    return any(demand.school_id in schools and demand.reqs <= quals for schools, quals in types)


def _covered(plan: Plan, demand: Demand, start: int, end: int) -> bool:
    cover = plan.cover[demand.idx]
    return all(cover[s - demand.start] != -1 for s in range(start, end))


def flow_bound(problem: Problem) -> tuple[int, int]:
    """(student-minutes, safety-tier student-minutes) that no valid plan can exceed, by the
    looser relaxation: the second figure beside the week LP's bound."""
    total = safety = 0
    for cluster in clusters_of(problem, due_demands(problem), aide_weeks(problem)):
        t, s = cluster_bound(cluster)
        total += t
        safety += s
    return total, safety
