"""Reads of the allocations app. Every function takes the district first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from allocations.models import AllocationRun, Assignment, UnstaffedRun
from staffing.models import District
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
