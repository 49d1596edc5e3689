"""Generated weeks of both profiles through import and the engine: every plan keeps the rules,
stays within the bounds and is the same twice; the hard profile's caps really bind."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict

import pytest
from django.core.management import call_command

from allocations import engine
from allocations.adapter import problem_for_week
from allocations.bundle.generate import generate
from staffing.models import District

WEEK = dt.date(2026, 11, 23)


def _rows(folder, name):
    with (folder / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _minutes(text):
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.django_db
@pytest.mark.parametrize("profile", ["standard", "hard"])
def test_generated_weeks_keep_every_rule_within_the_bound(tmp_path, profile):
    generate(tmp_path, size="small", seed=2, code="GEN", week=WEEK, profile=profile)
    call_command("import_district", str(tmp_path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    problem = problem_for_week(district=District.objects.get(code="GEN"), week_start=WEEK)
    result = engine.allocate(problem, clock=lambda: 0.0)
    assert engine.check(problem, result) == []
    figures = result.figures
    assert figures.safety_covered_minutes <= figures.safety_bound_minutes
    at_safety_bound = figures.safety_covered_minutes == figures.safety_bound_minutes
    assert figures.covered_minutes <= figures.bound_minutes or not at_safety_bound
    assert figures.covered_minutes <= engine.flow_bound(problem)[0]
    assert figures.bound_kind == engine.BOUND_KIND
    assert engine.allocate(problem, clock=lambda: 0.0) == result


def test_the_hard_profile_makes_the_caps_bind(tmp_path):
    generate(tmp_path, size="medium", seed=1, code="GEN", week=WEEK, profile="hard")
    available: dict[str, int] = defaultdict(int)
    for row in _rows(tmp_path, "aide_availability.csv"):
        available[row["aide_code"]] += _minutes(row["end"]) - _minutes(row["start"])
    aides = _rows(tmp_path, "aides.csv")
    capped = [a for a in aides if int(a["max_weekly_minutes"]) < available[a["aide_code"]]]
    assert len(capped) / len(aides) > 0.5
    staff_minutes: dict[str, int] = defaultdict(int)
    for a in aides:
        staff_minutes[a["employer"]] += min(int(a["max_weekly_minutes"]), available[a["aide_code"]])
    for contract in _rows(tmp_path, "contracts.csv"):
        assert int(contract["weekly_minute_cap"]) < staff_minutes[contract["contract_code"]] / 2
    spans = {len(a["schools"].split(";")) for a in aides}
    assert spans == {1, 2, 3}
    midweek = {(WEEK + dt.timedelta(days=d)).isoformat() for d in (1, 2, 3)}
    expiring = {q["expires_on"] for q in _rows(tmp_path, "aide_qualifications.csv")}
    assert midweek <= expiring
    mandates = _rows(tmp_path, "mandates.csv")
    assert midweek <= {m["starts_on"] for m in mandates}
    assert midweek <= {m["ends_on"] for m in mandates}
    absences = _rows(tmp_path, "absences.csv")
    partial = [a for a in absences if a["start"]]
    assert len(partial) / len(absences) > 0.4
