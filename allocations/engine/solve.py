"""The pipeline: weekly template MIP (B, optional), exception fill (C), slot polish (D), then
the bound (A), which a finished plan lets skip most of its flows."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from allocations.engine.bound import BOUND_KIND, cluster_bound
from allocations.engine.due import (
    AideWeek,
    Cluster,
    Demand,
    aide_weeks,
    clusters_of,
    due_demands,
    slot_mask,
)
from allocations.engine.fill import fill_cluster_day
from allocations.engine.model import SLOT_MINUTES, Problem, Result
from allocations.engine.partition import split_caps
from allocations.engine.result import assignments_of, figures_of, gaps_of
from allocations.engine.state import Plan
from allocations.engine.template import template_solve

Progress = Callable[[int, int, str], None]


def polish(plan: Plan, cluster: Cluster, day: int) -> None:
    """Cover what the segment flows left open slot by slot with whatever aide time remains
    (a remainder of weekly minutes shorter than a segment, say), preferring the aide of the
    neighbouring slot."""
    open_: list[Demand] = [d for d in cluster.demands[day] if -1 in plan.cover[d.idx]]
    if not open_:
        return
    spare: list[AideWeek] = [
        w
        for w in cluster.aides
        if w.avail[day] & ~plan.busy_mask.get((w.aide.id, day), 0) and plan.room(w) >= SLOT_MINUTES
    ]
    open_.sort(key=lambda d: (-d.value, d.start, d.idx))
    for demand in open_:
        mask = slot_mask(demand.start, demand.end)
        pool = [
            w
            for w in spare
            if demand.school_id in w.aide.school_ids
            and w.avail[day] & ~plan.busy_mask.get((w.aide.id, day), 0) & mask
        ]
        if demand.shared:
            pool += [
                w
                for w in plan.by_school.get(demand.school_id, ())
                if plan.busy_mask.get((w.aide.id, day), 0) & mask
            ]
        if not pool:
            continue
        cover = plan.cover[demand.idx]
        for slot in range(demand.start, demand.end):
            if cover[slot - demand.start] != -1:
                continue
            before = cover[slot - demand.start - 1] if slot > demand.start else -1
            if before != -1 and plan.can_serve(plan.weeks[before], demand, slot):
                plan.serve(plan.weeks[before], demand, slot, slot + 1)
                continue
            for week in pool:
                if plan.can_serve(week, demand, slot):
                    plan.serve(week, demand, slot, slot + 1)
                    break


def allocate(
    problem: Problem,
    *,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Result:
    """The week's plan: safety tier first, then all student-minutes, fairness, continuity, cost."""
    started = clock()
    policy = problem.policy
    demands = due_demands(problem)
    weeks = aide_weeks(problem)
    clusters = clusters_of(problem, demands, weeks)
    shares = split_caps(problem, clusters)
    plan = Plan(problem, demands, weeks)
    steps = 3 * len(clusters)
    done = 0

    def report(note: str) -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 25 == 0 or done == steps):
            progress(done, steps, note)

    for cluster, share in zip(clusters, shares, strict=True):
        if policy.weekly_template:
            template_solve(cluster, plan, share, policy)
        report("weekly templates")
    for cluster in clusters:
        for day, day_demands in enumerate(cluster.demands):
            if day_demands:
                fill_cluster_day(plan, cluster, day, policy)
                polish(plan, cluster, day)
        report("exception fill")
    bound_minutes = safety_bound = 0
    for cluster in clusters:
        total, safety = cluster_bound(cluster, plan)
        bound_minutes += total
        safety_bound += safety
        report("bounds")
    assignments = tuple(assignments_of(plan))
    gaps = tuple(gaps_of(plan))
    figures = figures_of(
        problem,
        assignments,
        bound_minutes=bound_minutes,
        safety_bound_minutes=safety_bound,
        bound_kind=BOUND_KIND,
        elapsed_seconds=0.0,
        demands=demands,
        aide_list=weeks,
    )
    figures = replace(figures, elapsed_seconds=clock() - started)
    return Result(assignments=assignments, gaps=gaps, figures=figures)
