"""The Celery wiring: a district week fanned out per independent group of schools."""

from __future__ import annotations

import datetime as dt

from allocations import tasks
from allocations.models import AllocationRun, AllocationRunPart, Assignment
from allocations.services import allocation_run
from staffing.models import AideSchool, AvailabilityWindow, Contract
from tests import factories as f

WEEK = dt.date(2026, 11, 23)


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
