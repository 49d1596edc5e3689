"""Builders for hand-made engine Problems: a Monday week, one school unless told otherwise."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from allocations.engine import (
    AbsenceSpan,
    Aide,
    Block,
    Closure,
    Contract,
    Mandate,
    Policy,
    Problem,
    Qualification,
    School,
    Window,
)

WEEK = date(2026, 11, 23)  # a Monday


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def day(offset: int) -> date:
    return WEEK + timedelta(days=offset)


class Builder:
    """Small factory of engine inputs with the defaults a test does not care about."""

    week = WEEK

    def aide(
        self,
        id: int,
        *,
        schools: tuple[int, ...] = (1,),
        hours: tuple[str, str] = ("08:00", "15:00"),
        weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
        max_weekly_minutes: int = 2400,
        cost: str = "25.00",
        contract_id: int | None = None,
        quals: tuple[tuple[str, date | None], ...] = (),
        absences: tuple[AbsenceSpan, ...] = (),
    ) -> Aide:
        return Aide(
            id=id,
            code=f"A{id}",
            school_ids=frozenset(schools),
            max_weekly_minutes=max_weekly_minutes,
            hourly_cost=Decimal(cost),
            contract_id=contract_id,
            windows=tuple(Window(d, hm(hours[0]), hm(hours[1])) for d in weekdays),
            qualifications=tuple(Qualification(code, exp) for code, exp in quals),
            absences=absences,
        )

    def mandate(
        self,
        id: int,
        *,
        school: int = 1,
        support: str = "one_to_one",
        max_group: int | None = None,
        quals: tuple[str, ...] = (),
        starts_on: date = WEEK - timedelta(days=30),
        ends_on: date | None = None,
    ) -> Mandate:
        return Mandate(
            id=id,
            code=f"M{id}",
            student_id=100 + id,
            school_id=school,
            support=support,
            max_group=max_group,
            required_qualifications=frozenset(quals),
            starts_on=starts_on,
            ends_on=ends_on,
        )

    def blocks(
        self,
        first_id: int,
        mandate_id: int,
        start: str,
        end: str,
        *,
        weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
        location: str = "R1",
        setting: str = "classroom",
    ) -> tuple[Block, ...]:
        return tuple(
            Block(first_id + i, mandate_id, setting, location, d, hm(start), hm(end))
            for i, d in enumerate(weekdays)
        )

    def contract(
        self, id: int, *, cap: int = 10_000, starts_on: int = -30, ends_on: int = 60
    ) -> Contract:
        return Contract(
            id=id,
            code=f"C{id}",
            starts_on=day(starts_on),
            ends_on=day(ends_on),
            weekly_minute_cap=cap,
            hourly_rate=Decimal("50.00"),
        )

    def problem(
        self,
        *,
        aides: tuple[Aide, ...],
        mandates: tuple[Mandate, ...],
        blocks: tuple[Block, ...],
        schools: tuple[int, ...] = (1,),
        contracts: tuple[Contract, ...] = (),
        closures: tuple[Closure, ...] = (),
        policy: Policy | None = None,
    ) -> Problem:
        return Problem(
            week_start=WEEK,
            schools=tuple(School(id=s, code=f"S{s}") for s in schools),
            aides=aides,
            contracts=contracts,
            mandates=mandates,
            blocks=blocks,
            closures=closures,
            policy=policy or Policy(),
        )


@pytest.fixture
def make() -> Builder:
    return Builder()
