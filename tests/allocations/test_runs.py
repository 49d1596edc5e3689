"""Allocation runs through the ORM: stored, made current atomically, exported exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from allocations import fanout
from allocations.models import AllocationRun, Assignment, UnstaffedRun
from allocations.services import allocation_run, allocation_run_queue, allocation_run_start
from staffing.models import AideSchool, AvailabilityWindow
from tests import factories as f

WEEK = dt.date(2026, 11, 23)


@pytest.fixture
def small_week(school_a, student_a):
    """Two students at one school, one 1:1 Mon 08:00-09:00 and one shared Tue 10:00-11:00,
    and one aide free Mon and Tue 08:00-12:00."""
    district = school_a.district
    aide = f.AideFactory(district=district, code="AIDE-1", name="Ann Aide")
    AideSchool.objects.create(district=district, aide=aide, school=school_a)
    for weekday in (0, 1):
        AvailabilityWindow.objects.create(
            district=district, aide=aide, weekday=weekday, start=8 * 60, end=12 * 60
        )
    one = f.MandateFactory(student=student_a, code="M-1TO1", support="one_to_one")
    f.BlockFactory(mandate=one, weekday=0, start=8 * 60, end=9 * 60)
    other = f.StudentFactory(school=school_a, code="STU-A2")
    shared = f.MandateFactory(student=other, code="M-SHARED", support="shared", max_group=3)
    f.BlockFactory(mandate=shared, weekday=1, start=10 * 60, end=11 * 60, setting="lunch")
    # Wednesday: nobody is available, so it stays unstaffed.
    f.BlockFactory(mandate=shared, weekday=2, start=10 * 60, end=10 * 60 + 30, setting="lunch")
    return district


def test_run_stores_assignments_and_unstaffed_minutes(small_week):
    run = allocation_run(district=small_week, week_start=WEEK)

    assert (run.status, run.is_current) == (AllocationRun.Status.SUCCEEDED, True)
    assert (run.due_minutes, run.covered_minutes, run.bound_minutes) == (150, 120, 120)
    assert (run.safety_due_minutes, run.safety_covered_minutes) == (60, 60)
    rows = sorted(
        Assignment.objects.filter(run=run).values_list(
            "aide__code", "mandate__code", "date", "start", "end"
        )
    )
    assert rows == [
        ("AIDE-1", "M-1TO1", dt.date(2026, 11, 23), 480, 540),
        ("AIDE-1", "M-SHARED", dt.date(2026, 11, 24), 600, 660),
    ]
    gaps = list(UnstaffedRun.objects.filter(run=run).values_list("date", "start", "end", "reason"))
    assert gaps == [(dt.date(2026, 11, 25), 600, 630, "no_aide_available")]


def test_rerun_replaces_the_plan_and_keeps_the_earlier_run_readable(small_week):
    first = allocation_run(district=small_week, week_start=WEEK)
    second = allocation_run(district=small_week, week_start=WEEK)

    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert Assignment.objects.filter(run=first).count() == 2
    assert Assignment.objects.filter(run=second).count() == 2
    assert AllocationRun.objects.filter(district=small_week, is_current=True).get() == second


def test_allocate_refuses_a_week_that_is_not_a_monday(small_week):
    with pytest.raises(CommandError, match="not a Monday"):
        call_command("allocate", district=small_week.code, week="2026-11-24")
    assert AllocationRun.objects.count() == 0


def test_allocate_refuses_an_unknown_district(small_week):
    with pytest.raises(CommandError, match="no district with that code"):
        call_command("allocate", district="NOPE", week="2026-11-23")
    assert AllocationRun.objects.count() == 0


def test_export_writes_the_spec_files_exactly(small_week, tmp_path, capsys):
    call_command("allocate", district=small_week.code, week="2026-11-23")
    assert "Coverage:        120 of 150 student-minutes (80.00%)" in capsys.readouterr().out

    call_command("export_allocation", district=small_week.code, week="2026-11-23", out=tmp_path)

    assignments = (tmp_path / "assignments.csv").read_text().splitlines()
    assert assignments == [
        "date,aide_code,student_code,mandate_code,start,end",
        "2026-11-23,AIDE-1,STU-A,M-1TO1,08:00,09:00",
        "2026-11-24,AIDE-1,STU-A2,M-SHARED,10:00,11:00",
    ]
    assert (tmp_path / "shortfall.csv").read_text().splitlines() == [
        "date,school_code,student_code,mandate_code,support,setting,start,end,"
        "due_minutes,staffed_minutes,unstaffed_minutes",
        "2026-11-23,LINCOLN,STU-A,M-1TO1,one_to_one,classroom,08:00,09:00,60,60,0",
        "2026-11-24,LINCOLN,STU-A2,M-SHARED,shared,lunch,10:00,11:00,60,60,0",
        "2026-11-25,LINCOLN,STU-A2,M-SHARED,shared,lunch,10:00,10:30,30,0,30",
    ]


def test_export_refuses_a_week_without_a_plan(small_week, tmp_path):
    with pytest.raises(CommandError, match=r"run `manage\.py allocate"):
        call_command("export_allocation", district=small_week.code, week="2026-11-23", out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_runs_of_another_district_are_untouched(small_week, district_b):
    other = allocation_run(district=district_b, week_start=WEEK)
    mine = allocation_run(district=small_week, week_start=WEEK)

    other.refresh_from_db()
    assert (other.is_current, mine.is_current) == (True, True)
    assert Assignment.objects.filter(district=district_b).count() == 0
    assert other.due_minutes == 0


def test_a_run_that_finishes_after_a_newer_run_succeeded_is_superseded(small_week):
    older = allocation_run_start(district=small_week, week_start=WEEK)
    newer = allocation_run(district=small_week, week_start=WEEK)

    older.refresh_from_db()
    assert (older.status, older.is_current) == ("superseded", False)
    assert older.progress_note == f"superseded: run {newer.pk}, started later, succeeded first"

    finished = allocation_run(district=small_week, week_start=WEEK, run=older)

    newer.refresh_from_db()
    assert (finished.status, finished.is_current) == ("superseded", False)
    assert (newer.status, newer.is_current) == ("succeeded", True)
    assert Assignment.objects.filter(run=older).count() == 0


def test_an_older_run_still_solving_when_a_newer_one_succeeds_never_becomes_current(small_week):
    older = allocation_run_start(district=small_week, week_start=WEEK)
    parts = fanout.allocation_parts_plan(run=older)
    assert fanout.allocation_part_solve(part=parts[0]) is True
    newer = allocation_run(district=small_week, week_start=WEEK)

    finished = fanout.allocation_parts_finish(run=older)

    assert (finished.status, finished.is_current) == ("superseded", False)
    assert AllocationRun.objects.get(district=small_week, is_current=True) == newer


def test_an_older_run_that_finishes_while_a_newer_one_solves_is_the_plan_until_it_ends(small_week):
    older = allocation_run_start(district=small_week, week_start=WEEK)
    newer = allocation_run_start(district=small_week, week_start=WEEK)
    allocation_run(district=small_week, week_start=WEEK, run=older)
    assert AllocationRun.objects.get(district=small_week, is_current=True) == older

    allocation_run(district=small_week, week_start=WEEK, run=newer)

    older.refresh_from_db()
    assert (older.status, older.is_current) == ("succeeded", False)
    assert AllocationRun.objects.get(district=small_week, is_current=True) == newer


def test_a_case_manager_may_not_start_a_run(small_week, case_manager_a):
    with pytest.raises(PermissionDenied, match="Only the district's director may run"):
        allocation_run_start(district=small_week, week_start=WEEK, started_by=case_manager_a)
    assert AllocationRun.objects.count() == 0


def test_a_director_of_another_district_may_not_start_a_run(small_week, director_b):
    with pytest.raises(PermissionDenied, match="Only the district's director may run"):
        allocation_run_start(district=small_week, week_start=WEEK, started_by=director_b)
    assert AllocationRun.objects.count() == 0


def test_the_director_starts_a_run_that_workers_solve(
    small_week, director_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = allocation_run_queue(district=small_week, week_start=WEEK, started_by=director_a)

    run.refresh_from_db()
    assert (run.status, run.is_current, run.via_workers, run.started_by) == (
        "succeeded", True, True, director_a,
    )  # fmt: skip
    assert run.covered_minutes == 120
