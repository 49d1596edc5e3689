"""Absence repair: only the repaired dates change, working cover stays, one substitute per
student through the day, and a dedicated aide is never pulled off a safety-tier student."""

from __future__ import annotations

from dataclasses import replace

from allocations.engine import (
    AbsenceSpan,
    Assignment,
    Change,
    Engaged,
    Problem,
    Result,
    allocate,
    check,
    repair,
)

from .conftest import Builder, day, hm

TUESDAY = day(1)


def absent(problem: Problem, aide_id: int, span: AbsenceSpan) -> Problem:
    aides = tuple(
        replace(a, absences=(*a.absences, span)) if a.id == aide_id else a for a in problem.aides
    )
    return replace(problem, aides=aides)


def whole_day(on=TUESDAY) -> AbsenceSpan:
    return AbsenceSpan(on=on, start=None, end=None)


def combined(before: Result, fixed) -> Result:
    """The week after the repair: the old plan off the repaired dates plus the repair."""
    kept = tuple(a for a in before.assignments if a.on != TUESDAY)
    return Result(assignments=kept + tuple(fixed.assignments), gaps=(), figures=before.figures)


def test_substitute_takes_over_and_other_days_do_not_move(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1, cost="20.00"), make.aide(2, cost="30.00")),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "10:00"),
    )
    before = allocate(problem)
    assert {a.aide_id for a in before.assignments} == {1}
    after = absent(problem, 1, whole_day())
    fixed = repair(after, before.assignments, [TUESDAY])
    assert [(a.aide_id, a.on, a.start, a.end) for a in fixed.assignments] == [
        (2, TUESDAY, hm("09:00"), hm("10:00"))
    ]
    assert fixed.changes == (Change(1, 2, TUESDAY, hm("09:00"), hm("10:00"), 1, 2),)
    assert (fixed.covered_before, fixed.covered_after) == (60, 60)
    assert fixed.gaps == ()
    assert check(after, combined(before, fixed)) == []


def test_students_whose_cover_still_works_keep_it(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1), make.aide(2, cost="40.00"), make.aide(3, cost="10.00", weekdays=(1,))),
        mandates=(make.mandate(1), make.mandate(2)),
        blocks=make.blocks(1, 1, "09:00", "10:00", weekdays=(1,))
        + make.blocks(2, 2, "09:00", "10:00", weekdays=(1,)),
    )
    plan = allocate(
        replace(problem, aides=problem.aides[:2])
    ).assignments  # aide 3 joins later: cheaper, and tempting
    serving = {a.mandate_id: a.aide_id for a in plan}
    after = absent(problem, serving[1], whole_day())
    fixed = repair(after, plan, [TUESDAY])
    now = {a.mandate_id: a.aide_id for a in fixed.assignments}
    assert now == {1: 3, 2: serving[2]}
    assert [c.mandate_id for c in fixed.changes] == [1]


def test_one_substitute_through_the_day(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1), make.aide(2), make.aide(3)),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "12:00", weekdays=(1,))
        + make.blocks(2, 1, "13:00", "14:30", weekdays=(1,)),
    )
    plan = allocate(replace(problem, aides=problem.aides[:1])).assignments
    assert {a.aide_id for a in plan} == {1}
    after = absent(problem, 1, AbsenceSpan(on=TUESDAY, start=hm("10:00"), end=hm("15:00")))
    fixed = repair(after, plan, [TUESDAY])
    runs = sorted((a.start, a.end, a.aide_id) for a in fixed.assignments)
    substitutes = {aide for start, _, aide in runs if start >= hm("10:00")}
    assert len(substitutes) == 1
    assert 1 not in substitutes
    assert runs[0] == (hm("09:00"), hm("10:00"), 1)
    assert fixed.covered_after == fixed.covered_before == 270


def one_to_one_beside_a_pair(make: Builder) -> Problem:
    """Tuesday 09:00-10:00: a 1:1 student and a shared pair, two aides."""
    return make.problem(
        aides=(make.aide(1), make.aide(2)),
        mandates=(
            make.mandate(1),
            make.mandate(2, support="shared", max_group=2),
            make.mandate(3, support="shared", max_group=2),
        ),
        blocks=make.blocks(1, 1, "09:00", "10:00", weekdays=(1,))
        + make.blocks(2, 2, "09:00", "10:00", weekdays=(1,))
        + make.blocks(3, 3, "09:00", "10:00", weekdays=(1,)),
    )


def test_dedicated_aide_is_never_pulled_off_a_safety_student_for_a_group(make: Builder) -> None:
    problem = one_to_one_beside_a_pair(make)
    plan = allocate(problem).assignments
    group_aide = next(a.aide_id for a in plan if a.mandate_id == 2)
    one_to_one_aide = next(a.aide_id for a in plan if a.mandate_id == 1)
    after = absent(problem, group_aide, whole_day())
    fixed = repair(after, plan, [TUESDAY])
    assert {(a.mandate_id, a.aide_id) for a in fixed.assignments} == {(1, one_to_one_aide)}
    assert sorted((g.mandate_id, g.start, g.end) for g in fixed.gaps) == [
        (2, hm("09:00"), hm("10:00")),
        (3, hm("09:00"), hm("10:00")),
    ]
    assert fixed.moved_minutes == 0
    assert (fixed.covered_before, fixed.covered_after) == (180, 60)


def test_safety_student_takes_an_aide_off_a_shared_group(make: Builder) -> None:
    problem = one_to_one_beside_a_pair(make)
    week = allocate(problem)
    plan = week.assignments
    one_to_one_aide = next(a.aide_id for a in plan if a.mandate_id == 1)
    group_aide = next(a.aide_id for a in plan if a.mandate_id == 2)
    after = absent(problem, one_to_one_aide, whole_day())
    fixed = repair(after, plan, [TUESDAY])
    assert {(a.mandate_id, a.aide_id) for a in fixed.assignments} == {(1, group_aide)}
    assert fixed.moved_minutes == 120
    assert (fixed.safety_covered_before, fixed.safety_covered_after) == (60, 60)
    assert check(after, combined(week, fixed)) == []


def test_aide_engaged_at_another_school_that_day_is_not_used(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1), make.aide(2, schools=(1, 2))),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "10:00", weekdays=(1,)),
    )
    plan = allocate(replace(problem, aides=problem.aides[:1])).assignments
    after = absent(problem, 1, whole_day())
    elsewhere = [Engaged(aide_id=2, on=TUESDAY, start=hm("13:00"), end=hm("14:00"), school_id=2)]
    fixed = repair(after, plan, [TUESDAY], elsewhere)
    assert fixed.assignments == ()
    assert [(g.mandate_id, g.reason.value) for g in fixed.gaps] == [(1, "qualified_aides_busy")]
    free = repair(after, plan, [TUESDAY])
    assert {a.aide_id for a in free.assignments} == {2}


def test_weekly_minutes_spent_on_other_days_count(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1), make.aide(2, max_weekly_minutes=300)),
        mandates=(make.mandate(1), make.mandate(2)),
        blocks=make.blocks(1, 1, "09:00", "10:00") + make.blocks(6, 2, "11:00", "12:00"),
    )
    plan = [
        Assignment(aide, mandate, first + d, day(d), hm(start), hm(end))
        for aide, mandate, first, start, end in (
            (1, 1, 1, "09:00", "10:00"),
            (2, 2, 6, "11:00", "12:00"),
        )
        for d in range(5)
    ]
    after = absent(problem, 1, whole_day())
    fixed = repair(after, plan, [TUESDAY])
    # Aide 2 has its 300 minutes of the week planned already (Tuesday's included).
    assert {(a.mandate_id, a.aide_id) for a in fixed.assignments} == {(2, 2)}
    assert [(g.mandate_id, g.reason.value) for g in fixed.gaps] == [(1, "cap_reached")]
    assert fixed.aide_minutes == {1: 240, 2: 300}
