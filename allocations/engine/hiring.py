"""Hiring needs, computed rather than guessed: what one, two or three more aides at a school
would staff of the minutes the week's plan leaves unstaffed there.

The plan stays as it is (the aides keep their work): for each school, the engine solves the
school's unstaffed minutes of the real week (each gap a block of its mandate, at its place and
time, under its mandate's terms) with only the added aides, each working the `Shift` every
weekday at that school and holding the qualifications asked for. What they cover is what an
added aide would take off the unstaffed list without moving anybody, which is the figure to
hire on (a re-plan around them could do a little better, never worse).

The qualifications tried at a school are the requirement sets of its mandates with unstaffed
minutes (an aide holding a set can serve every mandate requiring part of it), the most
unstaffed minutes first, at most `candidates` of them; one aide of each is tried, and the set
that covers the most (then the fewest codes, then alphabetical) is tried with more aides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from allocations.engine.model import (
    Aide,
    Block,
    Gap,
    Mandate,
    Policy,
    Problem,
    Qualification,
    School,
    Window,
)
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
    """At one school: the qualifications an added aide would need (empty: none), the plan's
    unstaffed minutes there, and what 1..n such aides would cover of them."""

    school_id: int
    school_code: str
    qualifications: tuple[str, ...]
    unstaffed_minutes: int
    options: tuple[Option, ...]


@dataclass(frozen=True)
class _Unstaffed:
    """One school's unstaffed minutes as a problem of their own, without aides."""

    problem: Problem
    minutes: int
    by_requirement: dict[frozenset[str], int]


def _unstaffed_at(
    problem: Problem, school: School, gaps: list[Gap], mandates: dict[int, Mandate]
) -> _Unstaffed:
    blocks = {b.id: b for b in problem.blocks}
    residual = tuple(
        Block(
            id=n + 1,
            mandate_id=gap.mandate_id,
            setting=blocks[gap.block_id].setting,
            location=blocks[gap.block_id].location,
            weekday=gap.on.weekday(),
            start=gap.start,
            end=gap.end,
        )
        for n, gap in enumerate(gaps)
    )
    by_requirement: dict[frozenset[str], int] = defaultdict(int)
    for gap in gaps:
        by_requirement[mandates[gap.mandate_id].required_qualifications] += gap.end - gap.start
    wanted = {gap.mandate_id for gap in gaps}
    return _Unstaffed(
        problem=Problem(
            week_start=problem.week_start,
            schools=(school,),
            aides=(),
            contracts=(),
            mandates=tuple(m for m in problem.mandates if m.id in wanted),
            blocks=residual,
            closures=(),
            policy=Policy(safety_qualifications=problem.policy.safety_qualifications),
        ),
        minutes=sum(gap.end - gap.start for gap in gaps),
        by_requirement=dict(by_requirement),
    )


def _covered(unstaffed: _Unstaffed, quals: frozenset[str], n: int, shift: Shift) -> int:
    """Minutes `n` added aides holding `quals` would staff of the school's unstaffed minutes."""
    school = unstaffed.problem.schools[0]
    aides = tuple(
        Aide(
            id=k + 1,
            code=f"NEW-{k + 1}",
            school_ids=frozenset({school.id}),
            max_weekly_minutes=shift.weekly_minutes,
            hourly_cost=shift.hourly_cost,
            contract_id=None,
            windows=tuple(Window(day, shift.start, shift.end) for day in WORKDAYS),
            qualifications=tuple(Qualification(code, None) for code in sorted(quals)),
            absences=(),
        )
        for k in range(n)
    )
    problem = unstaffed.problem
    result = allocate(
        Problem(
            week_start=problem.week_start,
            schools=problem.schools,
            aides=aides,
            contracts=(),
            mandates=problem.mandates,
            blocks=problem.blocks,
            closures=(),
            policy=problem.policy,
        )
    )
    return sum(a.end - a.start for a in result.assignments)


def _school_need(
    unstaffed: _Unstaffed, *, shift: Shift, max_aides: int, candidates: int
) -> HiringNeed:
    minutes = unstaffed.by_requirement
    sets = sorted(minutes, key=lambda q: (-minutes[q], len(q), sorted(q)))[:candidates]
    tried = [(quals, _covered(unstaffed, quals, 1, shift)) for quals in sets]
    best, one = min(tried, key=lambda t: (-t[1], len(t[0]), sorted(t[0])))
    options = [Option(1, one)]
    for n in range(2, max_aides + 1):
        options.append(Option(n, _covered(unstaffed, best, n, shift)))
    school = unstaffed.problem.schools[0]
    return HiringNeed(
        school.id, school.code, tuple(sorted(best)), unstaffed.minutes, tuple(options)
    )


def hiring_needs(
    problem: Problem,
    gaps: Iterable[Gap],
    *,
    shift: Shift = Shift(),
    max_aides: int = 3,
    candidates: int = 3,
    school_ids: Collection[int] | None = None,
) -> tuple[HiringNeed, ...]:
    """Each school with some of `gaps` (the week's plan's unstaffed runs; of `school_ids`, if
    given), most unstaffed first, then by code."""
    mandates = {m.id: m for m in problem.mandates}
    schools = {s.id: s for s in problem.schools}
    by_school: dict[int, list[Gap]] = defaultdict(list)
    for gap in gaps:
        school_id = mandates[gap.mandate_id].school_id
        if school_ids is None or school_id in school_ids:
            by_school[school_id].append(gap)
    needs = [
        _school_need(
            _unstaffed_at(problem, schools[school_id], sorted(found, key=_order), mandates),
            shift=shift,
            max_aides=max_aides,
            candidates=candidates,
        )
        for school_id, found in sorted(by_school.items())
    ]
    return tuple(sorted(needs, key=lambda n: (-n.unstaffed_minutes, n.school_code)))


def _order(gap: Gap) -> tuple[object, ...]:
    return (gap.on, gap.start, gap.mandate_id, gap.block_id)
