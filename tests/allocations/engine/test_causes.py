"""Why a gap is unstaffed, found without a database: each rule of `cause_of` in its order."""

from __future__ import annotations

from datetime import date

from allocations.engine import GapReason
from allocations.engine.causes import (
    ALERT_CAUSES,
    LEDGER_CAUSES,
    SOLVER_REASONS,
    AideDay,
    Cause,
    GapDay,
    broad_cause,
    cause_of,
    overlap,
)
from allocations.engine.model import Contract, Qualification

from .conftest import day, hm

TUESDAY = day(1)
NINE_TO_TEN = ((hm("09:00"), hm("10:00")),)


def aide(
    id: int,
    *,
    quals: tuple[tuple[str, date | None], ...] = (("MEDICAL", None),),
    absences: tuple[tuple[int | None, int | None], ...] = (),
    contract: Contract | None = None,
) -> AideDay:
    return AideDay(
        id=id,
        code=f"A{id}",
        name=f"Aide {id}",
        qualifications=tuple(Qualification(code, until) for code, until in quals),
        windows=((hm("08:00"), hm("12:00")),),
        absences=absences,
        busy=(),
        planned_minutes=0,
        max_weekly_minutes=2400,
        contract=contract,
        contract_room_minutes=0,
    )


def gap(
    *,
    regulars: frozenset[int] = frozenset({1}),
    reasons: frozenset[Cause] = frozenset({Cause.NONE_QUALIFIED}),
    required: frozenset[str] = frozenset({"MEDICAL"}),
) -> GapDay:
    return GapDay(
        on=TUESDAY,
        school_id=1,
        required=required,
        spans=NINE_TO_TEN,
        reasons=reasons,
        regular_ids=regulars,
    )


ALL_DAY = ((None, None),)


def test_the_students_own_aide_absent_comes_first():
    assert cause_of(gap(reasons=frozenset(SOLVER_REASONS)), [aide(1, absences=ALL_DAY)]) == (
        Cause.AIDE_ABSENT
    )


def test_an_absence_that_misses_the_gap_is_not_the_cause():
    away = ((hm("10:00"), hm("11:00")),)
    assert cause_of(gap(), [aide(1, absences=away)]) == Cause.NO_QUALIFIED_AIDE


def test_a_mandate_nobody_serves_is_a_vacancy_unless_a_qualified_aide_is_out():
    unserved = gap(regulars=frozenset())
    assert cause_of(unserved, [aide(2)]) == Cause.VACANCY
    assert cause_of(unserved, [aide(2, absences=((hm("09:45"), hm("10:15")),))]) == (
        Cause.AIDE_ABSENT
    )
    assert cause_of(unserved, [aide(2, quals=(), absences=ALL_DAY)]) == Cause.VACANCY


def test_the_contracts_limits_come_before_qualifications():
    for reason in (Cause.CAP_REACHED, Cause.CONTRACT_NOT_IN_FORCE):
        assert cause_of(gap(reasons=frozenset({reason})), [aide(1)]) == (
            Cause.CONTRACT_ENDED_OR_CAP
        )


def test_qualifications_held_but_lapsed_that_day():
    lapsed = aide(2, quals=(("MEDICAL", day(0)),))
    assert cause_of(gap(regulars=frozenset({9})), [lapsed]) == Cause.QUALIFICATION_EXPIRED
    valid_that_day = aide(2, quals=(("MEDICAL", TUESDAY),))
    assert cause_of(gap(regulars=frozenset({9})), [valid_that_day]) == Cause.NO_QUALIFIED_AIDE


def test_a_qualified_aide_of_the_school_absent_then_no_qualified_aide_free():
    assert cause_of(gap(regulars=frozenset({9})), [aide(2, absences=ALL_DAY)]) == (
        Cause.AIDE_ABSENT
    )
    assert cause_of(gap(regulars=frozenset({9})), [aide(2)]) == Cause.NO_QUALIFIED_AIDE


def test_without_required_qualifications_nothing_can_have_expired():
    nobody_qualified = gap(regulars=frozenset({9}), required=frozenset())
    assert cause_of(nobody_qualified, [aide(2, quals=())]) == Cause.NO_QUALIFIED_AIDE


def test_overlap_counts_minutes_inside_the_span_and_a_whole_day_absence_takes_all():
    spans = ((540, 600), (660, 720))
    assert overlap(spans, 570, 690) == 60
    assert overlap(spans, None, None) == 120
    assert overlap(spans, 600, 660) == 0


def test_one_list_the_solver_alerts_and_ledger_draw_from():
    assert GapReason is Cause
    assert [c.value for c in SOLVER_REASONS] == [
        "no_aide_available",
        "none_qualified",
        "qualified_aides_busy",
        "cap_reached",
        "contract_not_in_force",
    ]
    assert [c.value for c in ALERT_CAUSES] == [
        "aide_absent",
        "no_qualified_aide",
        "qualification_expired",
        "contract_ended_or_cap",
        "vacancy",
        "qualification_expiring",
        "contract_ending",
        "contract_cap",
        "vague_mandate",
    ]
    assert [c.value for c in LEDGER_CAUSES[-2:]] == ["not_planned", "other"]
    assert {c.name.lower() for c in Cause} == {c.value for c in Cause}


def test_a_solver_reason_in_a_directors_words():
    assert [broad_cause(r) for r in SOLVER_REASONS] == [
        Cause.NO_QUALIFIED_AIDE,
        Cause.NO_QUALIFIED_AIDE,
        Cause.NO_QUALIFIED_AIDE,
        Cause.CONTRACT_ENDED_OR_CAP,
        Cause.CONTRACT_ENDED_OR_CAP,
    ]
