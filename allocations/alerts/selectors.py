"""The reads behind the unstaffed-service alerts: a run's gaps by mandate and date, and what
is known of the aides of their schools, as the engine's cause and cover inputs.

A sync covers thousands of gaps at once, so each table is read once for all of them
(`values_list`, no model instances) and each aide's day is built once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from allocations.engine.causes import AideDay, Busy, Cause, GapDay, Span
from allocations.engine.model import Contract as ContractTerms
from allocations.engine.model import Qualification
from allocations.models import AllocationRun, Assignment, UnstaffedRun
from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    AideSchool,
    AvailabilityWindow,
    Contract,
    District,
)


@dataclass(frozen=True)
class MandateFacts:
    """What an alert says of the mandate, its student and school."""

    code: str
    support: str
    required: str
    student_id: int
    student_code: str
    first_name: str
    last_name: str
    school_id: int
    school_code: str


@dataclass(frozen=True)
class GapRun:
    start: int
    end: int
    reason: Cause
    setting: str


@dataclass
class Gaps:
    """The run's unstaffed runs, by mandate and date."""

    runs: dict[tuple[int, dt.date], list[GapRun]] = field(default_factory=lambda: defaultdict(list))
    mandates: dict[int, MandateFacts] = field(default_factory=dict)


def gaps_of(
    *, district: District, run: AllocationRun, school_ids: set[int] | None, dates: set[dt.date]
) -> Gaps:
    rows = UnstaffedRun.objects.filter(district=district, run=run, date__in=dates)
    if school_ids is not None:
        rows = rows.filter(mandate__student__school_id__in=school_ids)
    gaps = Gaps()
    for row in rows.values_list(
        "mandate_id",
        "date",
        "start",
        "end",
        "reason",
        "block__setting",
        "mandate__code",
        "mandate__support",
        "mandate__required_qualifications",
        "mandate__student_id",
        "mandate__student__code",
        "mandate__student__first_name",
        "mandate__student__last_name",
        "mandate__student__school_id",
        "mandate__student__school__code",
    ):
        mandate_id, on, start, end, reason, setting = row[:6]
        gaps.runs[(mandate_id, on)].append(GapRun(start, end, Cause(reason), setting))
        gaps.mandates[mandate_id] = MandateFacts(*row[6:])
    return gaps


def regulars_of(
    *, district: District, run: AllocationRun, mandate_ids: set[int]
) -> dict[int, frozenset[int]]:
    """The aides the run gives each mandate in its week."""
    regulars: dict[int, set[int]] = defaultdict(set)
    for mandate_id, aide_id in (
        Assignment.objects.filter(district=district, run=run, mandate_id__in=mandate_ids)
        .values_list("mandate_id", "aide_id")
        .distinct()
    ):
        regulars[mandate_id].add(aide_id)
    return {mandate_id: frozenset(aides) for mandate_id, aides in regulars.items()}


def gap_day(
    *, on: dt.date, facts: MandateFacts, runs: list[GapRun], regulars: frozenset[int]
) -> GapDay:
    spans: tuple[Span, ...] = tuple(sorted((r.start, r.end) for r in runs))
    return GapDay(
        on=on,
        school_id=facts.school_id,
        required=frozenset(q for q in facts.required.split(";") if q),
        spans=spans,
        reasons=frozenset(r.reason for r in runs),
        regular_ids=regulars,
    )


@dataclass
class Staff:
    """What the sync knows of the aides of the schools in scope, for causes and cover."""

    code: dict[int, str] = field(default_factory=dict)
    name: dict[int, str] = field(default_factory=dict)
    contract: dict[int, int | None] = field(default_factory=dict)
    max_minutes: dict[int, int] = field(default_factory=dict)
    used: dict[int, int] = field(default_factory=dict)
    by_school: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    quals: dict[int, list[Qualification]] = field(default_factory=lambda: defaultdict(list))
    windows: dict[tuple[int, int], list[Span]] = field(default_factory=lambda: defaultdict(list))
    absent: dict[tuple[int, dt.date], list[tuple[int | None, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    contracts: dict[int, ContractTerms] = field(default_factory=dict)
    contract_room: dict[int, int] = field(default_factory=dict)
    busy: dict[tuple[int, dt.date], list[Busy]] = field(default_factory=lambda: defaultdict(list))
    days: dict[tuple[int, dt.date], AideDay] = field(default_factory=dict)

    def school_day(self, school_id: int, on: dt.date) -> list[AideDay]:
        """The school's aides as things stand on `on`."""
        return [self.aide_day(aide_id, on) for aide_id in self.by_school.get(school_id, [])]

    def aide_day(self, aide_id: int, on: dt.date) -> AideDay:
        day = self.days.get((aide_id, on))
        if day is None:
            contract_id = self.contract.get(aide_id)
            day = self.days[(aide_id, on)] = AideDay(
                id=aide_id,
                code=self.code.get(aide_id, ""),
                name=self.name.get(aide_id, ""),
                qualifications=tuple(self.quals.get(aide_id, [])),
                windows=tuple(self.windows.get((aide_id, on.weekday()), [])),
                absences=tuple(self.absent.get((aide_id, on), [])),
                busy=tuple(self.busy.get((aide_id, on), [])),
                planned_minutes=self.used.get(aide_id, 0),
                max_weekly_minutes=self.max_minutes.get(aide_id, 0),
                contract=None if contract_id is None else self.contracts[contract_id],
                contract_room_minutes=(
                    0 if contract_id is None else self.contract_room.get(contract_id, 0)
                ),
            )
        return day


def staff_of(
    *, district: District, run: AllocationRun, school_ids: set[int], dates: set[dt.date]
) -> Staff:
    """The aides linked to the schools: who they are, their hours that weekday, absences and
    planned runs those dates, qualifications, and the room their week and contract leave."""
    staff = Staff(used={int(k): int(v) for k, v in run.aide_minutes.items()})
    links = AideSchool.objects.filter(district=district, school_id__in=school_ids)
    for aide_id, school_id in links.values_list("aide_id", "school_id"):
        staff.by_school[school_id].append(aide_id)
    aides = links.values("aide_id")
    for pk, code, name, contract_id, max_minutes in Aide.objects.filter(
        district=district, pk__in=aides
    ).values_list("id", "code", "name", "contract_id", "max_weekly_minutes"):
        staff.code[pk], staff.name[pk] = code, name
        staff.contract[pk], staff.max_minutes[pk] = contract_id, max_minutes
    for aide_id, code, expires_on in (
        AideQualification.objects.filter(district=district, aide_id__in=aides)
        .order_by("aide_id", "qualification")
        .values_list("aide_id", "qualification", "expires_on")
    ):
        staff.quals[aide_id].append(Qualification(code, expires_on))
    weekdays = {d.weekday() for d in dates}
    for aide_id, weekday, start, end in AvailabilityWindow.objects.filter(
        district=district, aide_id__in=aides, weekday__in=weekdays
    ).values_list("aide_id", "weekday", "start", "end"):
        staff.windows[(aide_id, weekday)].append((start, end))
    for aide_id, on, away_from, away_to in Absence.objects.filter(
        district=district, aide_id__in=aides, date__in=dates
    ).values_list("aide_id", "date", "start", "end"):
        staff.absent[(aide_id, on)].append((away_from, away_to))
    for aide_id, on, start, end, student, school_id, school_code in Assignment.objects.filter(
        district=district, run=run, aide_id__in=aides, date__in=dates
    ).values_list(
        "aide_id",
        "date",
        "start",
        "end",
        "mandate__student__code",
        "mandate__student__school_id",
        "mandate__student__school__code",
    ):
        staff.busy[(aide_id, on)].append(Busy(start, end, student, school_id, school_code))
    _add_contracts(district=district, staff=staff)
    return staff


def _add_contracts(*, district: District, staff: Staff) -> None:
    """Each contract's terms, and the minutes its weekly cap leaves after the run's plan."""
    spent: dict[int, int] = defaultdict(int)
    for aide_id, contract_id in Aide.objects.filter(
        district=district, contract__isnull=False
    ).values_list("id", "contract_id"):
        spent[contract_id] += staff.used.get(aide_id, 0)
    for cid, code, starts_on, ends_on, cap, rate in Contract.objects.filter(
        district=district
    ).values_list("id", "code", "starts_on", "ends_on", "weekly_minute_cap", "hourly_rate"):
        staff.contracts[cid] = ContractTerms(cid, code, starts_on, ends_on, cap, rate)
        staff.contract_room[cid] = cap - spent[cid]
