"""Hiring needs: the engine staffs a school's unstaffed minutes with hypothetical aides."""

from __future__ import annotations

from decimal import Decimal

from allocations.engine import allocate
from allocations.engine.hiring import HiringNeed, Option, Shift, hiring_needs


def _two_behavior_students(make, *, with_plain=True):
    """School 1: two 1:1 BEHAVIOR students 09:00-12:00 every weekday (900 minutes a week
    each), nobody holds BEHAVIOR; a plain 1:1 student 13:00-14:00 served by the one aide."""
    mandates = [make.mandate(1, quals=("BEHAVIOR",)), make.mandate(2, quals=("BEHAVIOR",))]
    blocks = make.blocks(10, 1, "09:00", "12:00") + make.blocks(20, 2, "09:00", "12:00")
    if with_plain:
        mandates.append(make.mandate(3))
        blocks += make.blocks(30, 3, "13:00", "14:00")
    return make.problem(aides=(make.aide(1),), mandates=tuple(mandates), blocks=blocks)


def _needs(problem, **kwargs):
    return hiring_needs(problem, allocate(problem).gaps, **kwargs)


def test_one_two_three_aides_with_the_missing_qualification(make):
    needs = _needs(_two_behavior_students(make))

    assert needs == (
        HiringNeed(
            school_id=1,
            school_code="S1",
            qualifications=("BEHAVIOR",),
            unstaffed_minutes=1800,
            options=(Option(1, 900), Option(2, 1800), Option(3, 1800)),
        ),
    )


def test_a_school_with_nothing_unstaffed_needs_nobody(make):
    problem = make.problem(
        aides=(make.aide(1),),
        mandates=(make.mandate(3),),
        blocks=make.blocks(30, 3, "13:00", "14:00"),
    )

    assert _needs(problem) == ()


def test_a_mandate_requiring_two_codes_asks_for_an_aide_holding_both(make):
    problem = make.problem(
        aides=(make.aide(1, quals=(("MEDICAL", None),)),),
        mandates=(make.mandate(1, quals=("MEDICAL", "PERSONAL_CARE")),),
        blocks=make.blocks(10, 1, "09:00", "10:00"),
    )

    (need,) = _needs(problem)

    assert (need.qualifications, need.unstaffed_minutes, need.options[0]) == (
        ("MEDICAL", "PERSONAL_CARE"),
        300,
        Option(1, 300),
    )


def test_a_shift_outside_the_gaps_covers_nothing(make):
    late = Shift(start=14 * 60, end=17 * 60, hourly_cost=Decimal("20"))

    (need,) = _needs(_two_behavior_students(make, with_plain=False), shift=late)

    assert need.options == (Option(1, 0), Option(2, 0), Option(3, 0))


def test_only_the_schools_asked_for(make):
    problem = make.problem(
        aides=(),
        mandates=(make.mandate(1), make.mandate(2, school=2)),
        blocks=make.blocks(10, 1, "09:00", "10:00") + make.blocks(20, 2, "09:00", "11:00"),
        schools=(1, 2),
    )

    assert [n.school_code for n in _needs(problem)] == ["S2", "S1"]
    assert [n.school_code for n in _needs(problem, school_ids={1})] == ["S1"]
    assert _needs(problem, school_ids={1}, max_aides=1)[0].options == (Option(1, 300),)


def test_only_the_minutes_left_unstaffed_count_and_the_plan_stays(make):
    """A shared group of three at 10:00-11:00 Monday: the one aide staffs it; a 1:1 BEHAVIOR
    student at the same time is unstaffed. The added aide is asked only for that hour."""
    problem = make.problem(
        aides=(make.aide(1),),
        mandates=(
            make.mandate(1, quals=("BEHAVIOR",)),
            make.mandate(2, support="shared", max_group=3),
        ),
        blocks=make.blocks(10, 1, "10:00", "11:00", weekdays=(0,))
        + make.blocks(20, 2, "10:00", "11:00", weekdays=(0,)),
    )

    (need,) = _needs(problem, max_aides=2)

    assert (need.qualifications, need.unstaffed_minutes, need.options) == (
        ("BEHAVIOR",),
        60,
        (Option(1, 60), Option(2, 60)),
    )
