"""Independent groups of schools, each with its share of every contract's weekly cap (the
master step of `week.py`), so that groups solved apart never jointly exceed a contract."""

from __future__ import annotations

from dataclasses import replace

from allocations.engine.due import (
    Cluster,
    aide_weeks,
    clusters_of,
    due_demands,
)
from allocations.engine.model import (
    Aide,
    Block,
    Closure,
    Mandate,
    Problem,
    Result,
    School,
)
from allocations.engine.result import figures_of
from allocations.engine.week import master


def problem_clusters(problem: Problem) -> list[Cluster]:
    return clusters_of(problem, due_demands(problem), aide_weeks(problem))


def partition(problem: Problem) -> list[Problem]:
    """One Problem per independent group of schools, each with its share of every contract cap
    (contracts with no share there keep a cap of 0, so the shares always sum to the cap)."""
    clusters = problem_clusters(problem)
    shares, _, _ = master(problem, clusters)
    where = {sid: k for k, cluster in enumerate(clusters) for sid in cluster.schools}
    schools: list[list[School]] = [[] for _ in clusters]
    aides: list[list[Aide]] = [[] for _ in clusters]
    mandates: list[list[Mandate]] = [[] for _ in clusters]
    blocks: list[list[Block]] = [[] for _ in clusters]
    closures: list[list[Closure]] = [[] for _ in clusters]
    for school in problem.schools:
        schools[where[school.id]].append(school)
    for aide in problem.aides:
        homes = sorted(aide.school_ids & where.keys())
        if homes:
            aides[where[homes[0]]].append(aide)
    mandate_group: dict[int, int] = {}
    for mandate in problem.mandates:
        mandate_group[mandate.id] = where[mandate.school_id]
        mandates[where[mandate.school_id]].append(mandate)
    for block in problem.blocks:
        if block.mandate_id in mandate_group:
            blocks[mandate_group[block.mandate_id]].append(block)
    for closure in problem.closures:
        if closure.school_id is None:
            for group in closures:
                group.append(closure)
        elif closure.school_id in where:
            closures[where[closure.school_id]].append(closure)
    return [
        replace(
            problem,
            schools=tuple(schools[k]),
            aides=tuple(aides[k]),
            contracts=tuple(
                replace(c, weekly_minute_cap=share.get(c.id, 0)) for c in problem.contracts
            ),
            mandates=tuple(mandates[k]),
            blocks=tuple(blocks[k]),
            closures=tuple(closures[k]),
        )
        for k, share in enumerate(shares)
    ]


def merge_results(problem: Problem, results: list[Result]) -> Result:
    """Recombine the groups' results and recount the figures over the whole problem."""
    assignments = tuple(
        sorted(
            (a for r in results for a in r.assignments),
            key=lambda a: (a.on, a.aide_id, a.start, a.block_id),
        )
    )
    gaps = tuple(
        sorted(
            (g for r in results for g in r.gaps),
            key=lambda g: (g.on, g.mandate_id, g.block_id, g.start),
        )
    )
    figures = figures_of(
        problem,
        assignments,
        bound_minutes=sum(r.figures.bound_minutes for r in results),
        safety_bound_minutes=sum(r.figures.safety_bound_minutes for r in results),
        bound_kind=results[0].figures.bound_kind if results else "",
        elapsed_seconds=sum(r.figures.elapsed_seconds for r in results),
    )
    return Result(assignments=assignments, gaps=gaps, figures=figures)
