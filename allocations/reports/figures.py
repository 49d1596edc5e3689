"""The week's figures from its plan and its alerts, by school: the same reads as
`export_allocation` (`shortfall_rows`, `alert_rows`), summed, so the report agrees with
shortfall.csv and alerts.csv to the minute.

Everything is keyed by school code, so that a reader limited to some schools is shown exactly
their part of it (`reports.scoped`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from allocations.engine.due import is_safety
from allocations.engine.model import Mandate
from allocations.models import Alert, AllocationRun
from allocations.selectors import AlertRow, alert_rows, shortfall_rows
from staffing.models import Aide, Contract, District, School
from students.models import ParaMandate

STUDENTS_PER_SCHOOL = 15


def schools_of(*, district: District) -> dict[str, dict[str, Any]]:
    return {
        code: {"id": pk, "name": name}
        for pk, code, name in School.objects.filter(district=district)
        .order_by("code")
        .values_list("id", "code", "name")
    }


def _safety_codes(*, district: District, mandate_codes: set[str]) -> set[str]:
    """The mandates of the safety tier: the engine's own rule (`is_safety`)."""
    safety = set()
    for code, support, required in ParaMandate.objects.filter(
        district=district, code__in=mandate_codes
    ).values_list("code", "support", "required_qualifications"):
        terms = Mandate(
            id=0,
            code=code,
            student_id=0,
            school_id=0,
            support=support,
            max_group=None,
            required_qualifications=frozenset(q for q in required.split(";") if q),
            starts_on=dt.date.min,
            ends_on=None,
        )
        if is_safety(terms, district.safety_codes):
            safety.add(code)
    return safety


def plan_figures(*, district: District, run: AllocationRun) -> dict[str, Any]:
    """Due, staffed and unstaffed minutes by school, setting and support (report.csv); by
    school and day (the heat map); the safety tier by school."""
    rows: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    heat: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    by_mandate: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    days: set[dt.date] = set()
    for s in shortfall_rows(district=district, run=run):
        row = rows[(s.school_code, s.setting, s.support)]
        row[0] += s.due_minutes
        row[1] += s.staffed_minutes
        row[2] += s.unstaffed_minutes
        cell = heat[s.school_code][s.date.isoformat()]
        cell[0] += s.due_minutes
        cell[1] += s.staffed_minutes
        minutes = by_mandate[(s.school_code, s.mandate_code)]
        minutes[0] += s.due_minutes
        minutes[1] += s.staffed_minutes
        days.add(s.date)
    safety_codes = _safety_codes(district=district, mandate_codes={code for _, code in by_mandate})
    safety: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (school, code), (due, staffed) in by_mandate.items():
        if code in safety_codes:
            safety[school][0] += due
            safety[school][1] += staffed
    week = [run.week_start + dt.timedelta(days=i) for i in range(7)]
    return {
        "rows": [[*key, *value] for key, value in sorted(rows.items())],
        "days": [d.isoformat() for d in week if d.weekday() < 5 or d in days],
        "heat": {school: dict(cells) for school, cells in sorted(heat.items())},
        "safety": dict(sorted(safety.items())),
    }


def _still_open(row: AlertRow) -> bool:
    return row.status != Alert.Status.RESOLVED


def cause_figures(*, district: District, week_start: dt.date) -> dict[str, dict[str, int]]:
    """The week's unstaffed minutes by school and cause, from its open and acknowledged
    unstaffed-service alerts (alerts.csv without the resolved rows)."""
    causes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in alert_rows(district=district, week_start=week_start):
        if _still_open(row):
            causes[row.school_code][row.cause] += row.unstaffed_minutes
    return {school: dict(sorted(c.items())) for school, c in sorted(causes.items())}


def _best_cover(suggestions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first ranked aide free for some of the missing minutes: one free for none of them
    is no suggestion at all."""
    for s in suggestions:
        if int(s.get("free_minutes", 0)) > 0:
            return {k: s[k] for k in ("aide", "name", "free_minutes", "why")}
    return None


def student_figures(*, district: District, week_start: dt.date) -> list[dict[str, Any]]:
    """Per school, the students with the most open unstaffed minutes in the week (at most
    `STUDENTS_PER_SCHOOL`), each with the cause of most of them and the best cover suggestion
    of their largest gap."""
    alerts = (
        Alert.objects.filter(
            district=district,
            kind=Alert.Kind.UNSTAFFED,
            date__range=(week_start, week_start + dt.timedelta(days=6)),
        )
        .exclude(status=Alert.Status.RESOLVED)
        .order_by("student_id", "-minutes", "date", "pk")
        .values_list(
            "student_id",
            "student__code",
            "student__first_name",
            "student__last_name",
            "school__code",
            "cause",
            "minutes",
            "suggestions",
        )
    )
    students: dict[int, dict[str, Any]] = {}
    causes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for student_id, code, first, last, school, cause, minutes, suggestions in alerts:
        entry = students.setdefault(
            student_id,
            {
                "id": student_id,
                "code": code,
                "name": f"{first} {last}",
                "school_code": school,
                "minutes": 0,
                "cover": _best_cover(suggestions),  # of the largest gap: rows come largest first
            },
        )
        entry["minutes"] += minutes
        causes[student_id][cause] += minutes
    for student_id, entry in students.items():
        entry["cause"] = min(causes[student_id].items(), key=lambda c: (-c[1], c[0]))[0]
    by_school: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in sorted(students.values(), key=lambda e: (-e["minutes"], e["code"])):
        if len(by_school[entry["school_code"]]) < STUDENTS_PER_SCHOOL:
            by_school[entry["school_code"]].append(entry)
    return sorted(
        (e for rows in by_school.values() for e in rows), key=lambda e: (-e["minutes"], e["code"])
    )


def contract_figures(*, district: District, run: AllocationRun) -> dict[str, Any]:
    """Each contract's planned minutes against its weekly cap, and the week's cost (the run's)."""
    used: dict[int, int] = defaultdict(int)
    for aide_id, contract_id in Aide.objects.filter(
        district=district, contract__isnull=False
    ).values_list("id", "contract_id"):
        used[contract_id] += int(run.aide_minutes.get(str(aide_id), 0))
    contracts = [
        {
            "code": code,
            "agency": agency,
            "cap_minutes": cap,
            "used_minutes": used[pk],
            "hourly_rate": str(rate),
            "cost": str((Decimal(used[pk]) * rate / 60).quantize(Decimal("0.01"))),
        }
        for pk, code, agency, cap, rate in Contract.objects.filter(district=district)
        .order_by("code")
        .values_list("id", "code", "agency", "weekly_minute_cap", "hourly_rate")
    ]
    return {
        "contracts": contracts,
        "contract_minutes": run.contract_minutes,
        "cost": str(run.cost),
    }
