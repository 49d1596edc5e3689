"""The pipeline: the week LP per group of schools (the bound, and the fill's guide), the
weekly template MIP (optional), then the guided exception fill and slot polish."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from allocations.engine.due import (
    AideWeek,
    Cluster,
    Demand,
    aide_weeks,
    clusters_of,
    due_demands,
    slot_mask,
)
from allocations.engine.model import SLOT_MINUTES, Problem, Result
from allocations.engine.result import assignments_of, figures_of, gaps_of
from allocations.engine.state import Plan
from allocations.engine.template import template_solve
from allocations.engine.week import fill_guided, guides_of, master
from allocations.engine.weeklp import BOUND_KIND

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
    """The week's plan: safety tier first, then all student-minutes, fairness, continuity, cost.

    The week LP of each group of schools (after the master step shares contract caps) is the
    run's bound and guides the fill (week.py)."""
    started = clock()
    policy = problem.policy
    demands = due_demands(problem)
    weeks = aide_weeks(problem)
    clusters = clusters_of(problem, demands, weeks)
    bound_started = clock()
    shares, models, bounds = master(problem, clusters)
    bound_minutes = sum(t for t, _ in bounds)
    safety_bound = sum(s for _, s in bounds)
    guides = guides_of(models)
    del models
    bound_seconds = clock() - bound_started
    plan = Plan(problem, demands, weeks)
    steps = (2 if policy.weekly_template else 1) * len(clusters)
    done = 0

    def report(note: str) -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 25 == 0 or done == steps):
            progress(done, steps, note)

    for cluster, share, guide, limit in zip(clusters, shares, guides, bounds, strict=True):
        if policy.weekly_template:
            before = dict(plan.contract_left)
            template_solve(cluster, plan, share, policy)
            share = {c: m - (before[c] - plan.contract_left[c]) for c, m in share.items()}
            report("weekly template")
        fill_guided(plan, cluster, share, guide, policy, polish, limit)
        report("guided fill")
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
    figures = replace(figures, elapsed_seconds=clock() - started, bound_seconds=bound_seconds)
    return Result(assignments=assignments, gaps=gaps, figures=figures)
