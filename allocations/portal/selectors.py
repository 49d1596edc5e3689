"""Reads for the parent portal: which week to show, and one child's page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from allocations.ledger.selectors import FamilyLedger, family_ledger
from allocations.selectors import StudentWeek, week_for_student
from staffing.models import District
from staffing.timeofday import week_start_of
from students.models import Setting, Student
from students.selectors import StudentSchedule, student_schedule

# Two years either way covers last school year's plans and the next one's; the bound also keeps
# date arithmetic far from the calendar's ends (year 1 and 9999).
WEEKS_AROUND_TODAY = 104

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class WeekRefused(ValueError):
    """A `?week=` a parent cannot be shown; the message says which weeks can be."""


@dataclass(frozen=True)
class WeekRange:
    """The weeks (their Mondays) the portal shows, and the one a parent opens by default."""

    first: dt.date
    last: dt.date
    default: dt.date


def portal_weeks(*, today: dt.date) -> WeekRange:
    """The current school week is this one, or the coming one at the weekend."""
    monday = week_start_of(today)
    default = monday + dt.timedelta(days=7) if today.weekday() >= 5 else monday
    around = dt.timedelta(weeks=WEEKS_AROUND_TODAY)
    return WeekRange(first=monday - around, last=monday + around, default=default)


def portal_week(*, today: dt.date, text: str | None) -> dt.date:
    """The Monday of the week of `text` (YYYY-MM-DD), or the default week when it is empty.
    Raises `WeekRefused` for anything else, and for weeks outside the portal's range."""
    weeks = portal_weeks(today=today)
    if not text:
        return weeks.default
    allowed = (
        f"give a date as YYYY-MM-DD between {weeks.first:%b %-d, %Y} "
        f"and {weeks.last + dt.timedelta(days=6):%b %-d, %Y}"
    )
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise WeekRefused(f"“{text[:40]}” is not a date: {allowed}.") from None
    monday = week_start_of(day)
    if not weeks.first <= monday <= weeks.last:
        raise WeekRefused(f"No plans are shown for the week of {day:%b %-d, %Y}: {allowed}.")
    return monday


@dataclass(frozen=True)
class PortalWeek:
    starts_on: dt.date
    title: str  # "This week", "Next week", or "" for any other
    staffing: StudentWeek


@dataclass(frozen=True)
class ChildPage:
    """Everything a parent's page about one child shows."""

    today: dt.date
    schedule: StudentSchedule
    weeks: tuple[PortalWeek, PortalWeek]
    previous_week: dt.date | None  # None at the edge of the range
    next_week: dt.date | None
    delivered: FamilyLedger


def _week_in_words(*, district: District, student: Student, week_start: dt.date) -> StudentWeek:
    """The week's staffing with each setting as the IEP page names it ("Personal care")."""
    week = week_for_student(district=district, student=student, week_start=week_start)
    labels = dict(Setting.choices)
    rows = [replace(row, setting=labels.get(row.setting, row.setting)) for row in week.rows]
    return replace(week, rows=rows)


def child_page(
    *, district: District, student: Student, today: dt.date, week_start: dt.date
) -> ChildPage:
    """The IEP's para support in force `today`, the staffing of `week_start` and of the week
    after it, and the last four weeks' ledger. Pass a student the parent is a guardian of
    (`students.selectors.student_of_guardian`) and the district's today (`district_today`)."""
    weeks = portal_weeks(today=today)
    titles = {weeks.default: "This week", weeks.default + dt.timedelta(days=7): "Next week"}
    shown = tuple(
        PortalWeek(
            starts_on=monday,
            title=titles.get(monday, ""),
            staffing=_week_in_words(district=district, student=student, week_start=monday),
        )
        for monday in (week_start, week_start + dt.timedelta(days=7))
    )
    previous_week = week_start - dt.timedelta(days=7)
    next_week = week_start + dt.timedelta(days=7)
    return ChildPage(
        today=today,
        schedule=student_schedule(district=district, student=student, on=today),
        weeks=(shown[0], shown[1]),
        previous_week=previous_week if previous_week >= weeks.first else None,
        next_week=next_week if next_week <= weeks.last else None,
        delivered=family_ledger(student=student, today=today),
    )
