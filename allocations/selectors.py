"""Reads of the allocations app. Every function takes the district first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, Sum

from allocations.labels import cause_label
from allocations.models import Alert, AllocationRun, Assignment, PlanRepair, UnstaffedRun
from staffing.models import District
from staffing.timeofday import format_span
from students.models import MandateBlock


def run_current(*, district: District, week_start: dt.date) -> AllocationRun | None:
    return AllocationRun.objects.filter(
        district=district, week_start=week_start, is_current=True
    ).first()


@dataclass(frozen=True)
class AssignmentRow:
    date: dt.date
    aide_code: str
    student_code: str
    mandate_code: str
    start: int
    end: int


def assignment_rows(*, district: District, run: AllocationRun) -> list[AssignmentRow]:
    """One row per contiguous run of one aide with one mandate on one date: touching blocks of
    the same mandate served by the same aide are joined."""
    runs: dict[tuple[dt.date, str, str, str], list[list[int]]] = defaultdict(list)
    rows = (
        Assignment.objects.filter(district=district, run=run)
        .order_by("date", "aide__code", "mandate__code", "start")
        .values_list(
            "date", "aide__code", "mandate__student__code", "mandate__code", "start", "end"
        )
    )
    for on, aide_code, student_code, mandate_code, start, end in rows:
        spans = runs[(on, aide_code, student_code, mandate_code)]
        if spans and spans[-1][1] >= start:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [
        AssignmentRow(on, aide, student, mandate, start, end)
        for (on, aide, student, mandate), spans in runs.items()
        for start, end in spans
    ]


@dataclass(frozen=True)
class ShortfallRow:
    date: dt.date
    school_code: str
    student_code: str
    mandate_code: str
    support: str
    setting: str
    start: int
    end: int
    due_minutes: int
    staffed_minutes: int
    unstaffed_minutes: int


def shortfall_rows(*, district: District, run: AllocationRun) -> Iterator[ShortfallRow]:
    """One row per due mandate block per date. A block-date is due in a run exactly when the run
    staffed or left unstaffed some of it (the engine accounts for every due minute)."""
    staffed: dict[tuple[int, dt.date], int] = defaultdict(int)
    unstaffed: dict[tuple[int, dt.date], int] = defaultdict(int)
    for block_id, on, start, end in Assignment.objects.filter(
        district=district, run=run
    ).values_list("block_id", "date", "start", "end"):
        staffed[(block_id, on)] += end - start
    for block_id, on, start, end in UnstaffedRun.objects.filter(
        district=district, run=run
    ).values_list("block_id", "date", "start", "end"):
        unstaffed[(block_id, on)] += end - start
    keys = set(staffed) | set(unstaffed)
    blocks = {
        row[0]: row[1:]
        for row in MandateBlock.objects.filter(
            district=district, id__in={block_id for block_id, _ in keys}
        ).values_list(
            "id",
            "mandate__student__school__code",
            "mandate__student__code",
            "mandate__code",
            "mandate__support",
            "setting",
            "start",
            "end",
        )
    }
    for block_id, on in sorted(
        keys, key=lambda k: (k[1], blocks[k[0]][0], blocks[k[0]][2], blocks[k[0]][5])
    ):
        school, student, mandate, support, setting, start, end = blocks[block_id]
        done, missing = staffed[(block_id, on)], unstaffed[(block_id, on)]
        yield ShortfallRow(
            on,
            school,
            student,
            mandate,
            support,
            setting,
            start,
            end,
            done + missing,
            done,
            missing,
        )


@dataclass(frozen=True)
class CoverageRow:
    label: str
    staffed_minutes: int
    unstaffed_minutes: int

    @property
    def due_minutes(self) -> int:
        return self.staffed_minutes + self.unstaffed_minutes

    @property
    def coverage(self) -> float:
        return self.staffed_minutes / self.due_minutes if self.due_minutes else 1.0


def _minutes_by(
    *, district: District, run: AllocationRun, key: str
) -> tuple[dict[object, int], dict[object, int]]:
    minutes = Sum(F("end") - F("start"))
    staffed = {
        row[key]: row["m"]
        for row in Assignment.objects.filter(district=district, run=run)
        .values(key)
        .annotate(m=minutes)
    }
    unstaffed = {
        row[key]: row["m"]
        for row in UnstaffedRun.objects.filter(district=district, run=run)
        .values(key)
        .annotate(m=minutes)
    }
    return staffed, unstaffed


def coverage_by_school(*, district: District, run: AllocationRun) -> list[CoverageRow]:
    """Per school, worst coverage first."""
    key = "mandate__student__school__code"
    staffed, unstaffed = _minutes_by(district=district, run=run, key=key)
    rows = [
        CoverageRow(str(code), staffed.get(code, 0), unstaffed.get(code, 0))
        for code in set(staffed) | set(unstaffed)
    ]
    return sorted(rows, key=lambda r: (r.coverage, r.label))


def coverage_by_day(*, district: District, run: AllocationRun) -> list[CoverageRow]:
    staffed, unstaffed = _minutes_by(district=district, run=run, key="date")
    days = sorted(set(staffed) | set(unstaffed))  # type: ignore[type-var]
    return [
        CoverageRow(f"{day:%a %b %d}", staffed.get(day, 0), unstaffed.get(day, 0)) for day in days
    ]


def unstaffed_by_reason(*, district: District, run: AllocationRun) -> list[tuple[str, int]]:
    rows = (
        UnstaffedRun.objects.filter(district=district, run=run)
        .values("reason")
        .annotate(m=Sum(F("end") - F("start")))
        .order_by("-m", "reason")
    )
    return [(cause_label(row["reason"]), row["m"]) for row in rows]


def runs_recent(*, district: District, limit: int = 10) -> list[AllocationRun]:
    return list(AllocationRun.objects.filter(district=district).order_by("-created_at")[:limit])


@dataclass(frozen=True)
class StudentWeekRow:
    date: dt.date
    span: str
    setting: str
    aide: str | None


@dataclass(frozen=True)
class StudentWeek:
    planned: bool
    rows: list[StudentWeekRow]
    staffed_minutes: int
    due_minutes: int
    previous: dt.date
    next: dt.date


def week_for_student(*, district: District, student: Any, week_start: dt.date) -> StudentWeek:
    """What the week's current plan gives one student: who (first name only) staffs each block
    when, and what is unstaffed. For the parent portal."""
    run = run_current(district=district, week_start=week_start)
    rows: list[StudentWeekRow] = []
    staffed = unstaffed = 0
    if run is not None:
        for on, start, end, setting, aide_name in Assignment.objects.filter(
            district=district, run=run, mandate__student=student
        ).values_list("date", "start", "end", "block__setting", "aide__name"):
            rows.append(StudentWeekRow(on, format_span(start, end), setting, aide_name.split()[0]))
            staffed += end - start
        for on, start, end, setting in UnstaffedRun.objects.filter(
            district=district, run=run, mandate__student=student
        ).values_list("date", "start", "end", "block__setting"):
            rows.append(StudentWeekRow(on, format_span(start, end), setting, None))
            unstaffed += end - start
    rows.sort(key=lambda r: (r.date, r.span))
    return StudentWeek(
        planned=run is not None,
        rows=rows,
        staffed_minutes=staffed,
        due_minutes=staffed + unstaffed,
        previous=week_start - dt.timedelta(days=7),
        next=week_start + dt.timedelta(days=7),
    )


@dataclass(frozen=True)
class AlertRow:
    date: dt.date | None  # always set for unstaffed-service alerts
    school_code: str
    student_code: str
    mandate_code: str
    severity: str
    cause: str
    unstaffed_minutes: int
    status: str


def alert_rows(*, district: District, week_start: dt.date) -> list[AlertRow]:
    """The week's unstaffed-service alerts, open, acknowledged or resolved (alerts.csv)."""
    rows = (
        Alert.objects.filter(
            district=district,
            kind=Alert.Kind.UNSTAFFED,
            date__range=(week_start, week_start + dt.timedelta(days=6)),
        )
        .order_by("date", "school__code", "student__code", "mandate__code")
        .values_list(
            "date",
            "school__code",
            "student__code",
            "mandate__code",
            "severity",
            "cause",
            "minutes",
            "status",
        )
    )
    return [AlertRow(*row) for row in rows]


def alerts_open(
    *, district: District, week_start: dt.date, students: Q, limit: int = 12
) -> list[Alert]:
    """The most urgent alerts still open or acknowledged: the week's unstaffed services, then
    what looks ahead. `students` limits them to the reader's students (`Scope.students_q`)."""
    week_end = week_start + dt.timedelta(days=6)
    return list(
        Alert.objects.filter(students, district=district)
        .exclude(status=Alert.Status.RESOLVED)
        .filter(Q(date__range=(week_start, week_end)) | ~Q(kind=Alert.Kind.UNSTAFFED))
        .order_by("rank", "status", "date", "-minutes")[:limit]
    )


def alert_counts(*, district: District, week_start: dt.date, students: Q) -> dict[str, int]:
    week_end = week_start + dt.timedelta(days=6)
    counts = dict(
        Alert.objects.filter(students, district=district)
        .exclude(status=Alert.Status.RESOLVED)
        .filter(Q(date__range=(week_start, week_end)) | ~Q(kind=Alert.Kind.UNSTAFFED))
        .values_list("severity")
        .annotate(n=Count("id"))
        .values_list("severity", "n")
    )
    return {s.value: counts.get(s.value, 0) for s in Alert.Severity}


def alert_minutes_by_cause(
    *, district: District, week_start: dt.date, students: Q
) -> list[tuple[str, int]]:
    """Open unstaffed student-minutes of the week by cause, most first."""
    rows = (
        Alert.objects.filter(
            students,
            district=district,
            kind=Alert.Kind.UNSTAFFED,
            date__range=(week_start, week_start + dt.timedelta(days=6)),
        )
        .exclude(status=Alert.Status.RESOLVED)
        .values_list("cause")
        .annotate(m=Sum("minutes"))
        .values_list("cause", "m")
    )
    return sorted(((cause_label(c), m) for c, m in rows), key=lambda r: (-r[1], r[0]))


def repairs_recent(*, district: District, week_start: dt.date, limit: int = 8) -> list[PlanRepair]:
    return list(
        PlanRepair.objects.filter(district=district, run__week_start=week_start)
        .select_related("aide")
        .order_by("-created_at")[:limit]
    )
