"""Each of the eight rules, on a hand-made week that tempts the engine to break it."""

from __future__ import annotations

from allocations.engine import AbsenceSpan, Closure, GapReason, allocate, check

from .conftest import Builder, day, hm


def covered_days(result, mandate_id: int) -> list[int]:
    return sorted({(a.on - day(0)).days for a in result.assignments if a.mandate_id == mandate_id})


def test_rule1_mandate_starting_thursday_is_not_due_before(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1),),
        mandates=(make.mandate(1, starts_on=day(3)),),
        blocks=make.blocks(1, 1, "09:00", "10:00"),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert covered_days(result, 1) == [3, 4]
    assert result.figures.due_minutes == 120
    assert result.figures.covered_minutes == 120
    assert result.gaps == ()


def test_rule1_closures_of_school_and_district(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1),),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "10:00"),
        closures=(Closure(on=day(2), school_id=1), Closure(on=day(4), school_id=None)),
        schools=(1, 2),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert covered_days(result, 1) == [0, 1, 3]
    assert result.figures.due_minutes == 180


def test_rule2_partial_absence_blocks_only_its_interval(make: Builder) -> None:
    absence = AbsenceSpan(on=day(1), start=hm("09:30"), end=hm("10:00"))
    problem = make.problem(
        aides=(make.aide(1, absences=(absence,)),),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "11:00", weekdays=(1,)),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert [(a.start, a.end) for a in result.assignments] == [
        (hm("09:00"), hm("09:30")),
        (hm("10:00"), hm("11:00")),
    ]
    assert [(g.start, g.end, g.reason) for g in result.gaps] == [
        (hm("09:30"), hm("10:00"), GapReason.NO_AIDE_AVAILABLE)
    ]


def test_rule2_windows_and_whole_day_absence(make: Builder) -> None:
    problem = make.problem(
        aides=(
            make.aide(1, hours=("08:00", "09:30"), absences=(AbsenceSpan(day(0), None, None),)),
        ),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "10:00", weekdays=(0, 1)),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert [(a.on, a.start, a.end) for a in result.assignments] == [
        (day(1), hm("09:00"), hm("09:30"))
    ]
    assert result.figures.covered_minutes == 30


def test_rule3_floater_works_at_one_school_a_day(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1, schools=(1, 2)),),
        mandates=(make.mandate(1, school=1), make.mandate(2, school=2)),
        blocks=make.blocks(1, 1, "09:00", "10:00", weekdays=(0,))
        + make.blocks(2, 2, "13:00", "14:00", weekdays=(0,)),
        schools=(1, 2),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert result.figures.covered_minutes == 60
    assert len({a.mandate_id for a in result.assignments}) == 1
    assert [g.reason for g in result.gaps] == [GapReason.QUALIFIED_AIDES_BUSY]


def test_rule3_aide_never_leaves_its_schools(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1, schools=(2,)),),
        mandates=(make.mandate(1, school=1),),
        blocks=make.blocks(1, 1, "09:00", "10:00", weekdays=(0,)),
        schools=(1, 2),
    )
    result = allocate(problem)
    assert result.assignments == ()
    assert [g.reason for g in result.gaps] == [GapReason.NO_AIDE_AVAILABLE]


def test_rule4_qualification_expiring_wednesday(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1, quals=(("MEDICAL", day(2)),)), make.aide(2)),
        mandates=(make.mandate(1, quals=("MEDICAL",)),),
        blocks=make.blocks(1, 1, "09:00", "10:00"),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert covered_days(result, 1) == [0, 1, 2]
    assert {a.aide_id for a in result.assignments} == {1}
    assert [(g.on, g.reason) for g in result.gaps] == [
        (day(3), GapReason.NONE_QUALIFIED),
        (day(4), GapReason.NONE_QUALIFIED),
    ]


def test_rule5_shared_group_respects_the_smallest_max_group(make: Builder) -> None:
    mandates = tuple(
        make.mandate(i, support="shared", max_group=g) for i, g in ((1, 4), (2, 4), (3, 4), (4, 2))
    )
    blocks = tuple(
        b for m in mandates for b in make.blocks(m.id * 10, m.id, "09:00", "10:00", weekdays=(0,))
    )
    problem = make.problem(aides=(make.aide(1),), mandates=mandates, blocks=blocks)
    result = allocate(problem)
    assert check(problem, result) == []
    assert sorted(a.mandate_id for a in result.assignments) == [1, 2, 3]
    assert result.figures.covered_minutes == 180
    assert result.figures.due_minutes == 240


def test_rule5_shared_group_stays_at_one_location(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1),),
        mandates=(
            make.mandate(1, support="shared", max_group=3),
            make.mandate(2, support="shared", max_group=3),
        ),
        blocks=make.blocks(10, 1, "09:00", "10:00", weekdays=(0,), location="R1")
        + make.blocks(20, 2, "09:00", "10:00", weekdays=(0,), location="R2"),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert result.figures.covered_minutes == 60


def test_rule5_safety_tier_keeps_its_dedicated_aide(make: Builder) -> None:
    shared = tuple(make.mandate(i, support="shared", max_group=4) for i in (2, 3, 4))
    problem = make.problem(
        aides=(make.aide(1),),
        mandates=(make.mandate(1), *shared),
        blocks=tuple(
            b for m in (1, 2, 3, 4) for b in make.blocks(m * 10, m, "09:00", "10:00", weekdays=(0,))
        ),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert [a.mandate_id for a in result.assignments] == [1]
    assert result.figures.safety_covered_minutes == 60
    assert result.figures.covered_minutes == 60


def test_rule6_one_aide_per_slot(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1), make.aide(2)),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "10:00", weekdays=(0,)),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert len(result.assignments) == 1
    assert result.figures.covered_minutes == 60


def test_rule7_weekly_cap(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1, max_weekly_minutes=120),),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "10:00"),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert result.figures.covered_minutes == 120
    assert sum(g.end - g.start for g in result.gaps) == 180
    assert {g.reason for g in result.gaps} == {GapReason.CAP_REACHED}


def test_rule7_a_slot_counts_once_for_a_group(make: Builder) -> None:
    mandates = tuple(make.mandate(i, support="shared", max_group=3) for i in (1, 2, 3))
    blocks = tuple(b for m in (1, 2, 3) for b in make.blocks(m * 10, m, "09:00", "10:00"))
    problem = make.problem(
        aides=(make.aide(1, max_weekly_minutes=300),), mandates=mandates, blocks=blocks
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert result.figures.covered_minutes == 900


def test_rule8_contract_ending_tuesday(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1, contract_id=7),),
        contracts=(make.contract(7, ends_on=1),),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "10:00"),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert covered_days(result, 1) == [0, 1]
    assert [g.reason for g in result.gaps] == [GapReason.CONTRACT_NOT_IN_FORCE] * 3


def test_rule8_contract_cap_over_all_its_staff(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1, contract_id=7), make.aide(2, contract_id=7)),
        contracts=(make.contract(7, cap=90),),
        mandates=(make.mandate(1), make.mandate(2)),
        blocks=make.blocks(10, 1, "09:00", "10:00", weekdays=(0,))
        + make.blocks(20, 2, "09:00", "10:00", weekdays=(0,)),
    )
    result = allocate(problem)
    assert check(problem, result) == []
    assert result.figures.contract_minutes == 90
    assert result.figures.covered_minutes == 90
    assert {g.reason for g in result.gaps} == {GapReason.CAP_REACHED}


def test_district_staff_before_contract_staff(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1, contract_id=7, cost="20.00"), make.aide(2, cost="30.00")),
        contracts=(make.contract(7),),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "10:00"),
    )
    result = allocate(problem)
    assert {a.aide_id for a in result.assignments} == {2}
    assert result.figures.contract_minutes == 0
    assert str(result.figures.cost) == "150.00"


def test_continuity_keeps_one_aide_through_the_week(make: Builder) -> None:
    problem = make.problem(
        aides=(make.aide(1), make.aide(2), make.aide(3)),
        mandates=(make.mandate(1),),
        blocks=make.blocks(1, 1, "09:00", "11:00") + make.blocks(10, 1, "13:00", "14:00"),
    )
    result = allocate(problem)
    assert result.figures.aides_per_mandate_week == 1.0
    assert len(result.assignments) == 10
