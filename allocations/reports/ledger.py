"""The past week from the delivery ledger, and the last eight weeks' trend, by school.

Delivered, missed and unqualified minutes are the current delivery records of the week;
compensatory minutes accrued (approved) and made up are the entries dated in it; owed is each
student's balance now (`compensatory_balances`); notices due are missed-days notices flagged
by the week's end whose parents are not yet notified.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import F, Q, Sum

from allocations.ledger.models import CompensatoryEntry, DeliveryRecord, MissedDaysNotice
from allocations.ledger.selectors import compensatory_balances
from allocations.models import AllocationRun, Assignment, UnstaffedRun
from staffing.models import District
from students.models import Student

TREND_WEEKS = 8
LEDGER_KEYS = (
    "delivered_minutes",
    "missed_minutes",
    "unqualified_minutes",
    "accrued_minutes",
    "made_up_minutes",
    "owed_minutes",
    "notices_due",
)
UNKNOWN_SCHOOL = ""  # a ledger row of a student no longer in the district


def _school_of_students(*, district: District) -> dict[str, str]:
    return dict(Student.objects.filter(district=district).values_list("code", "school__code"))


def ledger_figures(*, district: District, week_start: dt.date) -> dict[str, Any]:
    """The ledger of the week starting `week_start` (the report's past week), by school."""
    until = week_start + dt.timedelta(days=6)
    school_of = _school_of_students(district=district)
    by_school: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LEDGER_KEYS, 0))
    for school, outcome, minutes in (
        DeliveryRecord.objects.filter(
            district=district, is_current=True, date__range=(week_start, until)
        )
        .values("school_code", "outcome")
        .annotate(m=Sum(F("end") - F("start")))
        .values_list("school_code", "outcome", "m")
    ):
        by_school[school][f"{outcome}_minutes"] += minutes
    entries = CompensatoryEntry.objects.filter(district=district, date__range=(week_start, until))
    Kind, Status = CompensatoryEntry.Kind, CompensatoryEntry.Status
    for code, kind, minutes in entries.filter(
        Q(kind=Kind.ACCRUAL, status=Status.APPROVED) | Q(kind=Kind.MAKEUP)
    ).values_list("student_code", "kind", "minutes"):
        key = "accrued_minutes" if kind == Kind.ACCRUAL else "made_up_minutes"
        by_school[school_of.get(code, UNKNOWN_SCHOOL)][key] += minutes
    for balance in compensatory_balances(district=district):
        if balance.owed:
            school = school_of.get(balance.student_code, UNKNOWN_SCHOOL)
            by_school[school]["owed_minutes"] += balance.owed
    for code in MissedDaysNotice.objects.filter(
        district=district, parents_notified_on__isnull=True, flagged_on__lte=until
    ).values_list("student_code", flat=True):
        by_school[school_of.get(code, UNKNOWN_SCHOOL)]["notices_due"] += 1
    return {
        "since": week_start.isoformat(),
        "until": until.isoformat(),
        "by_school": dict(sorted(by_school.items())),
    }


def _plan_minutes(
    *, district: District, runs: dict[int, dt.date]
) -> dict[tuple[str, dt.date], list[int]]:
    """Due and staffed minutes by school and week, of the weeks' current runs."""
    out: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    minutes = Sum(F("end") - F("start"))
    key = "mandate__student__school__code"
    for model, staffed in ((Assignment, True), (UnstaffedRun, False)):
        for run_id, school, m in (
            model.objects.filter(district=district, run_id__in=runs)
            .values("run_id", key)
            .annotate(m=minutes)
            .values_list("run_id", key, "m")
        ):
            cell = out[(school, runs[run_id])]
            cell[0] += m
            if staffed:
                cell[1] += m
    return out


def trend_figures(*, district: District, week_start: dt.date) -> dict[str, Any]:
    """The last `TREND_WEEKS` weeks up to the report's: due and staffed minutes of each week's
    plan, delivered and missed (or unqualified) minutes of its ledger, by school."""
    weeks = [week_start - dt.timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    runs = dict(
        AllocationRun.objects.filter(
            district=district, is_current=True, week_start__in=weeks
        ).values_list("id", "week_start")
    )
    plan = _plan_minutes(district=district, runs=runs)
    ledger: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    week_of = {w + dt.timedelta(days=n): w for w in weeks for n in range(7)}
    for school, on, outcome, m in (
        DeliveryRecord.objects.filter(
            district=district,
            is_current=True,
            date__range=(weeks[0], week_start + dt.timedelta(days=6)),
        )
        .values("school_code", "date", "outcome")
        .annotate(m=Sum(F("end") - F("start")))
        .values_list("school_code", "date", "outcome", "m")
    ):
        ledger[(school, week_of[on])][0 if outcome == DeliveryRecord.Outcome.DELIVERED else 1] += m
    schools = sorted({school for school, _ in plan} | {school for school, _ in ledger})
    return {
        "weeks": [w.isoformat() for w in weeks],
        "planned": sorted(w.isoformat() for w in runs.values()),
        "by_school": {
            school: [[*plan[(school, w)], *ledger[(school, w)]] for w in weeks]
            for school in schools
        },
    }
