"""The Celery wiring: a district week fanned out per independent group of schools."""

from __future__ import annotations

import datetime as dt

import pytest

from allocations import fanout, tasks
from allocations.absences import absence_record, absence_replan
from allocations.models import AllocationRun, AllocationRunPart, Assignment, PlanRepair
from allocations.replans import replan_request
from allocations.services import allocation_run, allocation_run_start
from staffing.models import Absence, Aide, AideSchool, AvailabilityWindow, Contract
from tests import factories as f

from .conftest import TUESDAY, plan

WEEK = dt.date(2026, 11, 23)


def _aide(district, code):
    return Aide.objects.get(district=district, code=code).pk


def _school_with_one_aide(district, code, contract=None):
    school = f.SchoolFactory(district=district, code=code)
    aide = f.AideFactory(district=district, code=f"AIDE-{code}", contract=contract)
    AideSchool.objects.create(district=district, aide=aide, school=school)
    AvailabilityWindow.objects.create(district=district, aide=aide, weekday=0, start=480, end=720)
    mandate = f.MandateFactory(student=f.StudentFactory(school=school), code=f"M-{code}")
    f.BlockFactory(mandate=mandate, weekday=0, start=480, end=600)
    return school


def test_fanout_solves_each_group_and_splits_the_contract_cap(district_a):
    contract = Contract.objects.create(
        district=district_a, code="AGENCY", agency="Sunrise", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31), weekly_minute_cap=120, hourly_rate=40,
    )  # fmt: skip
    _school_with_one_aide(district_a, "EAST", contract=contract)
    _school_with_one_aide(district_a, "WEST", contract=contract)

    run_id = tasks.allocate_week.delay(district_a.pk, WEEK.isoformat()).get()

    run = AllocationRun.objects.get(pk=run_id)
    parts = list(AllocationRunPart.objects.filter(run=run).order_by("index"))
    assert [len(p.school_ids) for p in parts] == [1, 1]
    assert sum(p.contract_caps[str(contract.pk)] for p in parts) == 120
    assert (run.status, run.is_current) == (AllocationRun.Status.SUCCEEDED, True)
    assert (run.due_minutes, run.covered_minutes, run.contract_minutes) == (240, 120, 120)
    assert Assignment.objects.filter(run=run).count() == 2


def test_fanout_matches_the_single_process_run(district_a):
    _school_with_one_aide(district_a, "EAST")
    _school_with_one_aide(district_a, "WEST")

    single = allocation_run(district=district_a, week_start=WEEK)
    fanned = AllocationRun.objects.get(
        pk=tasks.allocate_week.delay(district_a.pk, WEEK.isoformat()).get()
    )

    fields = ("due_minutes", "covered_minutes", "bound_minutes", "safety_covered_minutes")
    assert [getattr(fanned, n) for n in fields] == [getattr(single, n) for n in fields]
    assert [getattr(fanned, n) for n in fields] == [240, 240, 240, 240]
    single.refresh_from_db()
    assert (single.is_current, fanned.is_current) == (False, True)


def test_a_redelivered_part_does_not_duplicate_rows(district_a):
    _school_with_one_aide(district_a, "EAST")
    run_id = tasks.allocate_week.delay(district_a.pk, WEEK.isoformat()).get()
    part = AllocationRunPart.objects.get(run_id=run_id)

    tasks.allocate_part.delay(district_a.pk, part.pk).get()

    assert Assignment.objects.filter(run_id=run_id).count() == 1


def test_a_redelivered_part_never_undoes_a_re_plan_of_the_plan(week):
    run_id = tasks.allocate_week.delay(week.pk, WEEK.isoformat()).get()
    absence_record(district=week, aide_code="AIDE-1", on=TUESDAY)
    absence_replan(district=week, aide_id=_aide(week, "AIDE-1"), on=TUESDAY, trigger="sick call")
    repaired = plan(week, TUESDAY)

    tasks.allocate_part.delay(week.pk, AllocationRunPart.objects.get(run_id=run_id).pk).get()

    assert repaired == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
    assert plan(week, TUESDAY) == repaired


def test_redelivered_tasks_of_a_superseded_run_do_nothing(week):
    older = allocation_run_start(district=week, week_start=WEEK, via_workers=True)
    part = fanout.allocation_parts_plan(run=older)[0]
    newer = allocation_run(district=week, week_start=WEEK)

    tasks.allocate_week.delay(week.pk, WEEK.isoformat(), older.pk).get()
    tasks.allocate_part.delay(week.pk, part.pk).get()
    tasks.finish_run.delay(week.pk, older.pk).get()

    older.refresh_from_db()
    part.refresh_from_db()
    assert (older.status, older.is_current, part.finished) == ("superseded", False, False)
    assert Assignment.objects.filter(run=older).count() == 0
    assert AllocationRun.objects.get(district=week, is_current=True) == newer


def test_finish_run_refuses_a_run_with_parts_unsolved_and_changes_nothing(week):
    current = AllocationRun.objects.get(district=week, is_current=True)
    run = allocation_run_start(district=week, week_start=WEEK, via_workers=True)
    fanout.allocation_parts_plan(run=run)

    with pytest.raises(fanout.PartsUnsolved, match=rf"run {run.pk}: parts \[0\] are not solved"):
        tasks.finish_run.delay(week.pk, run.pk).get()

    run.refresh_from_db()
    assert (run.status, run.is_current, run.error, run.covered_minutes) == ("running", False, "", 0)
    assert AllocationRun.objects.get(district=week, is_current=True) == current


def test_a_part_that_fails_for_good_fails_its_run_with_the_reason(week):
    run = allocation_run_start(district=week, week_start=WEEK, via_workers=True)
    part = fanout.allocation_parts_plan(run=run)[0]
    AllocationRunPart.objects.filter(pk=part.pk).update(contract_caps={"not-a-contract": 60})

    with pytest.raises(ValueError, match="invalid literal"):
        tasks.allocate_part.delay(week.pk, part.pk).get()

    run.refresh_from_db()
    assert (run.status, run.is_current) == ("failed", False)
    assert run.error == (
        "allocations.allocate_part: ValueError: invalid literal for int() with base 10: "
        "'not-a-contract'"
    )


def test_an_absence_recorded_while_a_run_solves_is_in_the_plan_it_becomes(week):
    run = allocation_run_start(district=week, week_start=WEEK, via_workers=True)
    for part in fanout.allocation_parts_plan(run=run):
        fanout.allocation_part_solve(part=part)  # loaded before the sick call
    absence_record(district=week, aide_code="AIDE-1", on=TUESDAY)
    absence_replan(district=week, aide_id=_aide(week, "AIDE-1"), on=TUESDAY, trigger="sick call")

    tasks.finish_run.delay(week.pk, run.pk).get()

    run.refresh_from_db()
    assert (run.status, run.is_current, run.covered_minutes) == ("succeeded", True, 360)
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
    repair = PlanRepair.objects.get(run=run)
    assert repair.trigger == f"absences recorded while run {run.pk} was solving"
    assert (repair.aide.code, repair.covered_before, repair.covered_after) == ("AIDE-1", 120, 120)


def test_an_absence_removed_while_a_run_solves_gives_the_aide_back(
    week, django_capture_on_commit_callbacks
):
    for code in ("AIDE-1", "AIDE-2"):
        absence_record(district=week, aide_code=code, on=TUESDAY)
    run = allocation_run_start(district=week, week_start=WEEK, via_workers=True)
    for part in fanout.allocation_parts_plan(run=run):
        fanout.allocation_part_solve(part=part)  # loaded with both aides out on Tuesday
    with django_capture_on_commit_callbacks(execute=False):  # its message is never delivered
        Absence.objects.filter(aide__code="AIDE-2").delete()
        replan_request(district=week, aide_id=_aide(week, "AIDE-2"), on=TUESDAY, trigger="back")

    tasks.finish_run.delay(week.pk, run.pk).get()

    run.refresh_from_db()
    assert (run.is_current, run.covered_minutes) == (True, 360)
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
