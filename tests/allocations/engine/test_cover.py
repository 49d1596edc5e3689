"""Ranking the cover for a gap, without a database: who is listed, in which order, and the
facts that say why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from allocations.engine.causes import AideDay, Busy, Cause, GapDay
from allocations.engine.cover import Clash, free_minutes, rank_cover
from allocations.engine.model import SLOT_MINUTES, Contract, Qualification

from .conftest import day, hm

TUESDAY = day(1)
GAP = GapDay(
    on=TUESDAY,
    school_id=1,
    required=frozenset({"MEDICAL"}),
    spans=((hm("09:00"), hm("10:00")),),
    reasons=frozenset({Cause.NONE_QUALIFIED}),
    regular_ids=frozenset({2}),
)


def contract(*, ends_on: date) -> Contract:
    return Contract(
        id=7,
        code="AGENCY",
        starts_on=day(-30),
        ends_on=ends_on,
        weekly_minute_cap=600,
        hourly_rate=Decimal("50.00"),
    )


def aide(
    id: int,
    *,
    quals: tuple[tuple[str, date | None], ...] = (("MEDICAL", date(2027, 6, 30)),),
    windows: tuple[tuple[int, int], ...] = ((hm("08:00"), hm("12:00")),),
    absences: tuple[tuple[int | None, int | None], ...] = (),
    busy: tuple[Busy, ...] = (),
    planned: int = 0,
    max_minutes: int = 2400,
    agency: Contract | None = None,
    room: int = 0,
) -> AideDay:
    return AideDay(
        id=id,
        code=f"A{id}",
        name=f"Aide {id}",
        qualifications=tuple(Qualification(code, until) for code, until in quals),
        windows=windows,
        absences=absences,
        busy=busy,
        planned_minutes=planned,
        max_weekly_minutes=max_minutes,
        contract=agency,
        contract_room_minutes=room,
    )


def test_free_minutes_count_grid_slots_in_hours_not_absent_not_busy():
    partly = aide(
        1,
        windows=((hm("09:15"), hm("12:00")),),
        absences=((hm("09:30"), hm("09:45")),),
        busy=(Busy(hm("09:45"), hm("10:15"), "STU-X", 1, "S1"),),
    )
    assert free_minutes(partly, GAP.spans) == SLOT_MINUTES
    assert free_minutes(aide(1, absences=((None, None),)), GAP.spans) == 0
    assert free_minutes(aide(1), GAP.spans) == 60


def test_only_qualified_aides_not_out_for_the_whole_gap_are_listed():
    listed = rank_cover(
        GAP,
        [
            aide(1, quals=(("BEHAVIOR", None),)),
            aide(2, quals=(("MEDICAL", day(0)),)),  # lapsed the day before
            aide(3, absences=((None, None),)),
            aide(4, absences=((hm("09:00"), hm("09:30")),)),
        ],
    )
    assert [(c.code, c.free_minutes) for c in listed] == [("A4", 30)]


def test_the_most_it_can_take_first_then_the_students_own_aide_then_district_staff():
    listed = rank_cover(
        GAP,
        [
            aide(1, planned=120),
            aide(2, planned=600),  # the regular
            aide(3, agency=contract(ends_on=day(30)), room=600),
            aide(4, windows=((hm("09:30"), hm("12:00")),)),
            aide(5, max_minutes=30),
        ],
    )
    assert [(c.code, c.free_minutes, c.weekly_room_minutes, c.regular) for c in listed] == [
        ("A2", 60, 1800, True),
        ("A1", 60, 2280, False),
        ("A3", 60, 600, False),
        ("A5", 60, 30, False),
        ("A4", 30, 2400, False),
    ]
    assert [c.in_window_minutes for c in listed] == [60, 60, 60, 60, 30]


def test_what_stands_in_the_way_another_school_a_clash_an_ended_contract_a_full_cap():
    elsewhere = aide(1, busy=(Busy(hm("08:00"), hm("08:30"), "STU-Y", 2, "ROOSEVELT"),))
    clashing = aide(
        2,
        busy=(
            Busy(hm("09:30"), hm("10:30"), "STU-Z", 1, "S1"),
            Busy(hm("09:30"), hm("10:30"), "STU-Z", 1, "S1"),
        ),
    )
    ended = aide(3, agency=contract(ends_on=day(-1)), room=600)
    capped = aide(4, agency=contract(ends_on=day(30)), room=0)
    listed = {c.code: c for c in rank_cover(GAP, [elsewhere, clashing, ended, capped])}

    assert (listed["A1"].elsewhere, listed["A1"].free_minutes) == (("ROOSEVELT",), 0)
    assert listed["A2"].clashes == (Clash(hm("09:30"), hm("10:30"), "STU-Z"),)
    assert listed["A2"].free_minutes == 30
    assert (
        listed["A3"].contract_in_force,
        listed["A3"].contract_ends_on,
        listed["A3"].free_minutes,
        listed["A3"].day_free_minutes,
        listed["A3"].weekly_room_minutes,
    ) == (False, day(-1), 0, 60, 0)
    assert (listed["A4"].contract_cap_reached, listed["A4"].weekly_room_minutes) == (True, 0)
    assert [c.code for c in rank_cover(GAP, [elsewhere, clashing, ended, capped])] == [
        "A2",
        "A4",
        "A1",
        "A3",
    ]


def test_at_most_five_and_a_stable_order_among_equals():
    listed = rank_cover(GAP, [aide(i) for i in (9, 8, 7, 6, 5, 4, 3)])
    assert [c.aide_id for c in listed] == [3, 4, 5, 6, 7]
    assert [c.held for c in listed[:1]] == [(Qualification("MEDICAL", date(2027, 6, 30)),)]
