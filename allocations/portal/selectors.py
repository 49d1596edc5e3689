"""Reads for the parent portal: which week to show, and one child's page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from allocations.ledger.selectors import FamilyLedger, FamilyMandateRow, family_ledger
from allocations.portal.words import SETTING_NAMES, SUPPORT_NAMES, Block, blocks_in_words, label
from allocations.selectors import StudentWeek, week_for_student
from staffing.models import District
from staffing.timeofday import format_span, week_start_of
from students.models import ParaMandate, Student
from students.selectors import in_force_q

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
    allowed = _("give a date as YYYY-MM-DD between %(first)s and %(last)s") % {
        "first": date_format(weeks.first),
        "last": date_format(weeks.last + dt.timedelta(days=6)),
    }
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        message = _("“%(text)s” is not a date: %(allowed)s.")
        raise WeekRefused(message % {"text": text[:40], "allowed": allowed}) from None
    monday = week_start_of(day)
    if not weeks.first <= monday <= weeks.last:
        message = _("No plans are shown for the week of %(day)s: %(allowed)s.")
        raise WeekRefused(message % {"day": date_format(day), "allowed": allowed})
    return monday


@dataclass(frozen=True)
class PortalWeek:
    starts_on: dt.date
    title: str  # "This week", "Next week", or "" for any other
    staffing: StudentWeek


@dataclass(frozen=True)
class PortalBlock:
    when: str  # "Mon 08:00-09:15", the day in the reader's language
    setting: str
    location: str
    minutes: int


@dataclass(frozen=True)
class PortalMandate:
    """One IEP para service as a family reads it."""

    code: str
    support: str
    sentences: tuple[str, ...]
    blocks: tuple[PortalBlock, ...]
    qualifications: tuple[str, ...]
    starts_on: dt.date
    ends_on: dt.date | None
    in_force: bool
    is_safety_tier: bool
    weekly_minutes: int


@dataclass(frozen=True)
class ChildPage:
    """Everything a parent's page about one child shows."""

    today: dt.date
    mandates: tuple[PortalMandate, ...]
    weekly_minutes: int  # of the mandates in force today
    weeks: tuple[PortalWeek, PortalWeek]
    previous_week: dt.date | None  # None at the edge of the range
    next_week: dt.date | None
    delivered: FamilyLedger


def portal_mandates(
    *, district: District, student: Student, today: dt.date
) -> tuple[PortalMandate, ...]:
    """The child's mandates, in force today first, each with its blocks in plain words."""
    mandates = (
        ParaMandate.objects.filter(district=district, student=student)
        .select_related("district")
        .prefetch_related("blocks")
        .order_by("starts_on", "code")
    )
    in_force = set(
        ParaMandate.objects.filter(
            in_force_q(today), district=district, student=student
        ).values_list("pk", flat=True)
    )
    shown = []
    for m in mandates:
        rows = sorted(m.blocks.all(), key=lambda b: (b.weekday, b.start, b.pk))
        blocks = [Block(b.weekday, int(b.start), int(b.end), b.setting) for b in rows]
        shown.append(
            PortalMandate(
                code=m.code,
                support=label(SUPPORT_NAMES, m.support),
                sentences=tuple(
                    blocks_in_words(support=m.support, max_group=m.max_group, blocks=blocks)
                ),
                blocks=tuple(
                    PortalBlock(
                        when=f"{WEEKDAYS_ABBR[b.weekday]} {format_span(int(b.start), int(b.end))}",
                        setting=label(SETTING_NAMES, b.setting),
                        location=b.location,
                        minutes=int(b.end) - int(b.start),
                    )
                    for b in rows
                ),
                qualifications=tuple(m.qualification_codes),
                starts_on=m.starts_on,
                ends_on=m.ends_on,
                in_force=m.pk in in_force,
                is_safety_tier=m.is_safety_tier,
                weekly_minutes=sum(b.end - b.start for b in blocks),
            )
        )
    return tuple(sorted(shown, key=lambda m: not m.in_force))


def _week_in_words(*, district: District, student: Student, week_start: dt.date) -> StudentWeek:
    """The week's staffing with each setting in the reader's words ("Personal care")."""
    week = week_for_student(district=district, student=student, week_start=week_start)
    rows = [replace(row, setting=label(SETTING_NAMES, row.setting)) for row in week.rows]
    return replace(week, rows=rows)


def _ledger_in_words(ledger: FamilyLedger, mandates: tuple[PortalMandate, ...]) -> FamilyLedger:
    supports = {m.code: m.support for m in mandates}
    rows: list[FamilyMandateRow] = [
        replace(row, support=supports.get(row.mandate_code, "")) for row in ledger.rows
    ]
    return replace(ledger, rows=tuple(rows))


def child_page(
    *, district: District, student: Student, today: dt.date, week_start: dt.date
) -> ChildPage:
    """The IEP's para support in force `today`, the staffing of `week_start` and of the week
    after it, and the last four weeks' ledger. Pass a student the parent is a guardian of
    (`students.selectors.student_of_guardian`) and the district's today (`district_today`)."""
    weeks = portal_weeks(today=today)
    titles = {weeks.default: _("This week"), weeks.default + dt.timedelta(days=7): _("Next week")}
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
    mandates = portal_mandates(district=district, student=student, today=today)
    return ChildPage(
        today=today,
        mandates=mandates,
        weekly_minutes=sum(m.weekly_minutes for m in mandates if m.in_force),
        weeks=(shown[0], shown[1]),
        previous_week=previous_week if previous_week >= weeks.first else None,
        next_week=next_week if next_week <= weeks.last else None,
        delivered=_ledger_in_words(family_ledger(student=student, today=today), mandates),
    )
