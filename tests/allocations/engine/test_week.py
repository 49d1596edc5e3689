"""The week LP: its bound on tiny weeks, and whole-week decisions on weeks where a day-by-day
fill loses (each of these lost safety-tier minutes before the LP guided the fill)."""

from __future__ import annotations

from allocations.engine import allocate, bound, check, flow_bound, partition

from .conftest import Builder, day


def test_the_bound_keeps_weekly_caps_one_school_a_day_and_the_policy_order(
    make: Builder,
) -> None:
    problem = make.problem(
        aides=(
            make.aide(1, max_weekly_minutes=60, weekdays=(0, 1)),
            make.aide(2, schools=(2, 3), weekdays=(0,)),
            make.aide(3, schools=(4,), weekdays=(0,)),
        ),
        mandates=(
            make.mandate(1),
            make.mandate(2),
            make.mandate(3, school=2),
            make.mandate(4, school=3),
            make.mandate(5, school=4),
            *(make.mandate(m, school=4, support="shared", max_group=3) for m in (6, 7, 8)),
        ),
        blocks=(
            *make.blocks(10, 1, "09:00", "10:00", weekdays=(0,)),
            *make.blocks(20, 2, "09:00", "10:00", weekdays=(1,)),
            *make.blocks(30, 3, "09:00", "10:00", weekdays=(0,)),
            *make.blocks(40, 4, "11:00", "12:00", weekdays=(0,)),
            *make.blocks(50, 5, "09:00", "10:00", weekdays=(0,)),
            *(
                b
                for m in (6, 7, 8)
                for b in make.blocks(m * 10, m, "09:00", "10:00", weekdays=(0,))
            ),
        ),
        schools=(1, 2, 3, 4),
    )
    # Aide 1 can take one of its two hours (weekly cap), aide 2 one school on Monday, aide 3
    # the one-to-one student before the group of three (the safety tier first).
    assert bound(problem) == (60 + 60 + 60, 60 + 60 + 60)
    assert flow_bound(problem) == (120 + 120 + 180, 120 + 120 + 60)
    result = allocate(problem)
    assert check(problem, result) == []
    assert (result.figures.covered_minutes, result.figures.safety_covered_minutes) == (180, 180)


def test_a_contract_cap_waits_for_thursdays_one_to_one(make: Builder) -> None:
    # Monday's pair could use the whole cap; Thursday's one-to-one student needs it.
    problem = make.problem(
        aides=(make.aide(1, contract_id=7, weekdays=(0, 3)),),
        mandates=(
            make.mandate(1, support="shared", max_group=2),
            make.mandate(2, support="shared", max_group=2),
            make.mandate(3),
        ),
        blocks=(
            *make.blocks(10, 1, "09:00", "10:00", weekdays=(0,)),
            *make.blocks(20, 2, "09:00", "10:00", weekdays=(0,)),
            *make.blocks(30, 3, "09:00", "10:00", weekdays=(3,)),
        ),
        contracts=(make.contract(7, cap=60),),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert [(a.mandate_id, a.on) for a in result.assignments] == [(3, day(3))]
    assert result.figures.safety_covered_minutes == result.figures.safety_bound_minutes == 60
    assert result.figures.contract_minutes == 60


def test_an_aide_whose_weekly_cap_binds_keeps_it_for_fridays_one_to_one(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1, max_weekly_minutes=60, weekdays=(0, 4)),),
        mandates=(make.mandate(1, support="shared", max_group=3), make.mandate(2)),
        blocks=(
            *make.blocks(10, 1, "08:00", "09:00", weekdays=(0,)),
            *make.blocks(20, 2, "10:00", "11:00", weekdays=(4,)),
        ),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert [(a.mandate_id, a.on, a.start) for a in result.assignments] == [(2, day(4), 600)]
    assert (result.figures.covered_minutes, result.figures.bound_minutes) == (60, 60)


def test_a_floater_works_at_the_school_whose_one_to_one_needs_it(make: Builder) -> None:
    # School 1's pair asks first in the morning; school 2's one-to-one student comes at 11:00.
    problem = make.problem(
        aides=(make.aide(1, schools=(1, 2), weekdays=(0,)),),
        mandates=(
            make.mandate(1, support="shared", max_group=2),
            make.mandate(2, support="shared", max_group=2),
            make.mandate(3, school=2),
        ),
        blocks=(
            *make.blocks(10, 1, "08:00", "10:00", weekdays=(0,)),
            *make.blocks(20, 2, "08:00", "10:00", weekdays=(0,)),
            *make.blocks(30, 3, "11:00", "12:00", weekdays=(0,)),
        ),
        schools=(1, 2),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert [(a.mandate_id, a.start, a.end) for a in result.assignments] == [(3, 660, 720)]
    assert result.figures.safety_covered_minutes == result.figures.safety_bound_minutes == 60


def test_a_contract_cap_goes_to_the_group_that_gains_from_it(make: Builder) -> None:
    # Two independent schools share contract 7's hour. The first would spend it on a pair;
    # the second has a one-to-one student: the safety tier gets the hour.
    problem = make.problem(
        aides=(
            make.aide(1, contract_id=7, weekdays=(0,)),
            make.aide(2, schools=(2,), contract_id=7, weekdays=(0,)),
        ),
        mandates=(
            make.mandate(1, support="shared", max_group=2),
            make.mandate(2, support="shared", max_group=2),
            make.mandate(3, school=2),
        ),
        blocks=(
            *make.blocks(10, 1, "09:00", "10:00", weekdays=(0,)),
            *make.blocks(20, 2, "09:00", "10:00", weekdays=(0,)),
            *make.blocks(30, 3, "09:00", "10:00", weekdays=(0,)),
        ),
        schools=(1, 2),
        contracts=(make.contract(7, cap=60),),
    )
    assert [g.contracts[0].weekly_minute_cap for g in partition(problem)] == [0, 60]
    result = allocate(problem)
    assert check(problem, result) == []
    assert [(a.aide_id, a.mandate_id) for a in result.assignments] == [(2, 3)]
    assert result.figures.safety_covered_minutes == result.figures.safety_bound_minutes == 60
    assert bound(problem) == (60, 60)
