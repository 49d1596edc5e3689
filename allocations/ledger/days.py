"""Closing a school day: the week's current staffing plan, in the light of what happened after
planning (absences, lapsed qualifications, closures, IEPs that ended or began), becomes one
`DeliveryRecord` per due span, and every missed or unqualified span accrues compensatory minutes.

The ledger lives in `allocations` because closing a day reads the plan; its rows hang off students
and mandates and survive the re-import `allocations.bundle.importer` performs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from allocations.engine.causes import LEDGER_CAUSES, broad_cause
from allocations.ledger.common import (
    MINUTES,
    NOT_DELIVERED,
    Cause,
    LedgerError,
    Outcome,
    accrual_status,
    new_accrual,
    notices_flag,
)
from allocations.ledger.models import CompensatoryEntry, DeliveryRecord
from allocations.models import Alert, Assignment, UnstaffedRun
from allocations.selectors import run_current
from staffing.models import Absence, AideQualification, Closure, District
from staffing.selectors import district_today
from staffing.timeofday import week_start_of
from students.models import MandateBlock
from students.selectors import in_force_q

WHOLE_DAY = (0, 24 * 60)


@dataclass(frozen=True)
class DaySummary:
    """A closed day: what this call wrote, and the day's current minutes by outcome."""

    district_code: str
    on: dt.date
    already_closed: bool
    rows_written: int
    accruals_written: int
    delivered_minutes: int
    missed_minutes: int
    unqualified_minutes: int
    students_flagged: tuple[str, ...]


@dataclass(frozen=True)
class _Place:
    """A due block's mandate, student and place, as the plan names them."""

    mandate_id: int
    mandate_code: str
    student_id: int
    student_code: str
    school_code: str
    setting: str
    location: str


@dataclass(frozen=True)
class _Span:
    place: _Place
    start: int
    end: int
    outcome: str
    cause: str = ""
    aide_id: int | None = None
    aide_code: str = ""
    missing: tuple[str, ...] = ()


def absence_split(
    start: int, end: int, absent: Iterable[tuple[int, int]]
) -> list[tuple[int, int, bool]]:
    """[start, end) cut into (start, end, was_absent) pieces, in order, absent pieces merged."""
    pieces: list[tuple[int, int, bool]] = []
    at = start
    for a, b in sorted((max(a, start), min(b, end)) for a, b in absent if a < end and b > start):
        if a > at:
            pieces.append((at, a, False))
        if b > at:
            if pieces and pieces[-1][2] and pieces[-1][1] >= a:
                pieces[-1] = (pieces[-1][0], b, True)
            else:
                pieces.append((max(at, a), b, True))
            at = b
    if at < end:
        pieces.append((at, end, False))
    return pieces


_PLAN_COLUMNS = (
    "mandate_id",
    "mandate__code",
    "mandate__student_id",
    "mandate__student__code",
    "mandate__student__school__code",
    "block__setting",
    "block__location",
    "start",
    "end",
)


def _due_q(on: dt.date, closed_school_ids: set[int | None]) -> Q:
    """Blocks (or plan rows) still due on `on`: the IEP in force and the school open. Closures
    and IEP ends recorded after planning count: a snow day owes nothing."""
    if None in closed_school_ids:
        return Q(pk__in=[])
    return in_force_q(on, "mandate__") & ~Q(mandate__student__school_id__in=closed_school_ids)


def _planned_spans(*, district: District, on: dt.date) -> list[_Span]:
    week_start = week_start_of(on)
    run = run_current(district=district, week_start=week_start)
    if run is None:
        raise LedgerError(
            f"district {district.code}: no current staffing plan for the week of "
            f"{week_start.isoformat()}, so what was due on {on.isoformat()} is unknown; "
            "run allocate first"
        )
    closed: set[int | None] = set(
        Closure.objects.filter(district=district, date=on).values_list("school_id", flat=True)
    )
    due = _due_q(on, closed)
    assignments = list(
        Assignment.objects.filter(due, district=district, run=run, date=on)
        .order_by("start", "mandate__code", "pk")
        .values_list("aide_id", "aide__code", "mandate__required_qualifications", *_PLAN_COLUMNS)
    )
    gaps = list(
        UnstaffedRun.objects.filter(due, district=district, run=run, date=on)
        .order_by("start", "mandate__code", "pk")
        .values_list("reason", *_PLAN_COLUMNS)
    )
    aide_ids = {row[0] for row in assignments}
    absent: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for aide_id, start, end in Absence.objects.filter(
        district=district, date=on, aide_id__in=aide_ids
    ).values_list("aide_id", "start", "end"):
        absent[aide_id].append(WHOLE_DAY if start is None or end is None else (start, end))
    valid: dict[int, set[str]] = defaultdict(set)
    lapsed: dict[int, set[str]] = defaultdict(set)
    for aide_id, code, expires_on in AideQualification.objects.filter(
        district=district, aide_id__in=aide_ids
    ).values_list("aide_id", "qualification", "expires_on"):
        (valid if expires_on is None or expires_on >= on else lapsed)[aide_id].add(code)
    staffed_in_week = set(
        Assignment.objects.filter(
            district=district, run=run, mandate_id__in={row[1] for row in gaps}
        ).values_list("mandate_id", flat=True)
    )

    spans: list[_Span] = []
    for aide_id, aide_code, required, *plan in assignments:
        place, start, end = _Place(*plan[:7]), plan[7], plan[8]
        missing = tuple(sorted({q for q in required.split(";") if q} - valid[aide_id]))
        for a, b, was_absent in absence_split(start, end, absent[aide_id]):
            outcome, cause, short = Outcome.DELIVERED, "", ()
            if was_absent:
                outcome, cause = Outcome.MISSED, Cause.AIDE_ABSENT
            elif missing:
                outcome, short = Outcome.UNQUALIFIED, missing
                cause = Cause.QUALIFICATION_EXPIRED if lapsed[aide_id] & set(missing) else ""
            spans.append(_Span(place, a, b, outcome, cause, aide_id, aide_code, short))
    # The cause the day's alert gave (one concept, one place); the plan's reason otherwise.
    alerted = dict(
        Alert.objects.filter(
            district=district, kind=Alert.Kind.UNSTAFFED, date=on, cause__in=LEDGER_CAUSES
        ).values_list("mandate_id", "cause")
    )
    for reason, *plan in gaps:
        cause = alerted.get(plan[0]) or (
            broad_cause(Cause(reason)) if plan[0] in staffed_in_week else Cause.VACANCY
        )
        spans.append(_Span(_Place(*plan[:7]), plan[7], plan[8], Outcome.MISSED, cause))
    # A block due that day that the plan does not know (an IEP or block added after planning).
    planned_blocks = [
        *Assignment.objects.filter(district=district, run=run, date=on).values_list(
            "block_id", flat=True
        ),
        *UnstaffedRun.objects.filter(district=district, run=run, date=on).values_list(
            "block_id", flat=True
        ),
    ]
    unplanned = (
        MandateBlock.objects.filter(due, district=district, weekday=on.weekday())
        .exclude(pk__in=planned_blocks)
        .order_by("start", "mandate__code", "pk")
        .values_list(*(c.removeprefix("block__") for c in _PLAN_COLUMNS))
    )
    spans.extend(
        _Span(_Place(*row[:7]), row[7], row[8], Outcome.MISSED, Cause.NOT_PLANNED)
        for row in unplanned
    )
    return spans


@transaction.atomic
def day_close(*, district: District, on: dt.date) -> DaySummary:
    """Record what `on` gave every due block, from the week's current plan; accrue compensatory
    minutes for what was missed; flag students reaching the missed-days notice threshold.

    Idempotent: a day already closed is left as it is (later changes are corrections)."""
    district = District.objects.select_for_update().get(pk=district.pk)
    today = district_today(district=district)
    if on >= today:
        raise LedgerError(
            f"district {district.code}: {on.isoformat()} is not over yet (today is "
            f"{today.isoformat()} there)"
        )
    already_closed = DeliveryRecord.objects.filter(district=district, date=on).exists()
    written: list[DeliveryRecord] = []
    accruals: list[CompensatoryEntry] = []
    flagged: list[str] = []
    if not already_closed:
        written = DeliveryRecord.objects.bulk_create(
            DeliveryRecord(
                district=district,
                date=on,
                student_id=s.place.student_id,
                mandate_id=s.place.mandate_id,
                aide_id=s.aide_id,
                student_code=s.place.student_code,
                mandate_code=s.place.mandate_code,
                school_code=s.place.school_code,
                aide_code=s.aide_code,
                setting=s.place.setting,
                location=s.place.location,
                start=s.start,
                end=s.end,
                outcome=s.outcome,
                cause=s.cause,
                missing_qualifications=";".join(s.missing),
            )
            for s in _planned_spans(district=district, on=on)
        )
        status = accrual_status(district)
        accruals = CompensatoryEntry.objects.bulk_create(
            new_accrual(record, status) for record in written if record.outcome in NOT_DELIVERED
        )
        flagged = notices_flag(
            district=district,
            student_codes={r.student_code for r in written if r.outcome in NOT_DELIVERED},
            on=on,
            today=today,
        )
    minutes = dict(
        DeliveryRecord.objects.filter(district=district, date=on, is_current=True)
        .values("outcome")
        .annotate(m=MINUTES)
        .values_list("outcome", "m")
    )
    return DaySummary(
        district_code=district.code,
        on=on,
        already_closed=already_closed,
        rows_written=len(written),
        accruals_written=len(accruals),
        delivered_minutes=minutes.get(Outcome.DELIVERED, 0),
        missed_minutes=minutes.get(Outcome.MISSED, 0),
        unqualified_minutes=minutes.get(Outcome.UNQUALIFIED, 0),
        students_flagged=tuple(flagged),
    )


def days_to_close(*, now: dt.datetime | None = None) -> list[tuple[int, dt.date]]:
    """(district id, yesterday in the district's time zone) for every district."""
    return [
        (d.pk, district_today(district=d, now=now) - dt.timedelta(days=1))
        for d in District.objects.order_by("code")
    ]
