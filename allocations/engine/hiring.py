"""Hiring needs, computed rather than guessed: what one, two or three more aides at a school
would staff of the week's unstaffed minutes there.

For each group of schools that shares aides (`partition`), the engine solves the real week once
as it is (the baseline), then again with hypothetical aides added at one school: each works the
`Shift` every weekday at that school only, holds the qualifications asked for and costs
`hourly_cost`. What they cover is the school's unstaffed minutes in the baseline less those left
unstaffed with them, so every other part of the plan (other aides moving, contract caps) counts.

The qualifications tried at a school are the requirement sets of its mandates with unstaffed
minutes (an added aide holding a set can serve every mandate requiring part of it), the most
unstaffed minutes first, at most `candidates` of them; one aide of each is tried, and the set
that covers the most (then the fewest codes, then alphabetical) is tried with more aides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal

from allocations.engine.model import Aide, Problem, Qualification, Window
from allocations.engine.partition import partition
from allocations.engine.solve import allocate

WORKDAYS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Shift:
    """The hours an added aide works each weekday (minutes since midnight, `end` exclusive)."""

    start: int = 7 * 60 + 30
    end: int = 15 * 60
    hourly_cost: Decimal = Decimal("0")

    @property
    def weekly_minutes(self) -> int:
        return (self.end - self.start) * len(WORKDAYS)


@dataclass(frozen=True)
class Option:
    aides: int
    covered_minutes: int


@dataclass(frozen=True)
class HiringNeed:
    """At one school: the qualifications an added aide would need (empty: none), the minutes
    the engine leaves unstaffed there without one, and what 1..n such aides would cover."""

    school_id: int
    school_code: str
    qualifications: tuple[str, ...]
    unstaffed_minutes: int
    options: tuple[Option, ...]


def _gap_minutes(problem: Problem, school_id: int) -> int:
    """The school's unstaffed minutes when the engine solves `problem`."""
    schools = {m.id: m.school_id for m in problem.mandates}
    return sum(
        g.end - g.start for g in allocate(problem).gaps if schools[g.mandate_id] == school_id
    )


def _with_aides(
    problem: Problem, school_id: int, quals: frozenset[str], n: int, shift: Shift
) -> Problem:
    # Ids after the real ones: the engine keeps -1 for "no aide".
    last = max((a.id for a in problem.aides), default=0)
    added = tuple(
        Aide(
            id=last + k + 1,
            code=f"NEW-{k + 1}",
            school_ids=frozenset({school_id}),
            max_weekly_minutes=shift.weekly_minutes,
            hourly_cost=shift.hourly_cost,
            contract_id=None,
            windows=tuple(Window(day, shift.start, shift.end) for day in WORKDAYS),
            qualifications=tuple(Qualification(code, None) for code in sorted(quals)),
            absences=(),
        )
        for k in range(n)
    )
    return replace(problem, aides=problem.aides + added)


def _requirement_sets(
    problem: Problem, baseline_gaps: dict[int, int], limit: int
) -> list[frozenset[str]]:
    """The school's requirement sets by unstaffed minutes, most first (ties: fewest codes)."""
    minutes: dict[frozenset[str], int] = defaultdict(int)
    required = {m.id: m.required_qualifications for m in problem.mandates}
    for mandate_id, gap in baseline_gaps.items():
        minutes[required[mandate_id]] += gap
    ranked = sorted(minutes, key=lambda q: (-minutes[q], len(q), sorted(q)))
    return ranked[:limit]


def _school_need(
    group: Problem,
    school_id: int,
    school_code: str,
    gaps: dict[int, int],
    *,
    shift: Shift,
    max_aides: int,
    candidates: int,
) -> HiringNeed:
    unstaffed = sum(gaps.values())
    tried = [
        (quals, unstaffed - _gap_minutes(_with_aides(group, school_id, quals, 1, shift), school_id))
        for quals in _requirement_sets(group, gaps, candidates)
    ]
    best, one = min(tried, key=lambda t: (-t[1], len(t[0]), sorted(t[0])))
    options = [Option(1, one)]
    for n in range(2, max_aides + 1):
        left = _gap_minutes(_with_aides(group, school_id, best, n, shift), school_id)
        options.append(Option(n, unstaffed - left))
    return HiringNeed(school_id, school_code, tuple(sorted(best)), unstaffed, tuple(options))


def hiring_needs(
    problem: Problem,
    *,
    shift: Shift = Shift(),
    max_aides: int = 3,
    candidates: int = 3,
    school_ids: Collection[int] | None = None,
) -> tuple[HiringNeed, ...]:
    """Each school with unstaffed minutes in the engine's plan of `problem` (of `school_ids`,
    if given: only their groups are solved), most unstaffed first, then by code."""
    needs: list[HiringNeed] = []
    for group in partition(problem):
        wanted = {s.id for s in group.schools}
        if school_ids is not None:
            wanted &= set(school_ids)
        if not group.mandates or not wanted:
            continue  # a group with none of the schools asked for is not even solved
        school_of = {m.id: m.school_id for m in group.mandates}
        by_school: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for gap in allocate(group).gaps:
            by_school[school_of[gap.mandate_id]][gap.mandate_id] += gap.end - gap.start
        codes = {s.id: s.code for s in group.schools}
        for school_id, gaps in sorted(by_school.items()):
            if school_id not in wanted:
                continue
            needs.append(
                _school_need(
                    group,
                    school_id,
                    codes[school_id],
                    gaps,
                    shift=shift,
                    max_aides=max_aides,
                    candidates=candidates,
                )
            )
    return tuple(sorted(needs, key=lambda n: (-n.unstaffed_minutes, n.school_code)))
