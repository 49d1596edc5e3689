"""Unstaffed-service alerts: why, how severe, and the qualified cover ranked."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from allocations.models import Alert
from allocations.services import allocation_run
from staffing.models import AideSchool, District
from tests import factories as f

from ..conftest import aide


def _both_aides_out():
    for code in ("AIDE-1", "AIDE-2"):
        call_command(
            "record_absence", "--district", "ALPHA", "--aide", code, "--date", "2026-11-24"
        )


def test_cover_suggestions_rank_qualified_aides_and_say_what_stands_in_the_way(week, school_a):
    maxed = aide(week, school_a, "AIDE-3", "25.00")
    maxed.max_weekly_minutes = 0
    maxed.save()
    ended = aide(week, school_a, "AIDE-4", "25.00")
    ended.contract = f.ContractFactory(district=week, code="OLD", ends_on=dt.date(2026, 11, 20))
    ended.save()
    aide(week, school_a, "AIDE-5", "25.00", quals=("BEHAVIOR",))  # not qualified: never listed
    _both_aides_out()
    alert = Alert.objects.get(severity="critical")
    assert [(s["aide"], s["free_minutes"]) for s in alert.suggestions] == [
        ("AIDE-3", 60),
        ("AIDE-4", 0),
    ]
    assert alert.suggestions[0]["why"] == (
        "holds MEDICAL (valid to 2027-06-30); free for 60 of the 60 minutes; "
        "0 of 0 weekly minutes planned; weekly hours reached"
    )
    assert "its contract is not in force that day (ends 20 Nov)" in alert.suggestions[1]["why"]
    assert alert.suggestions[1]["why"] == (
        "holds MEDICAL (valid to 2027-06-30); free for 60 of the 60 minutes; "
        f"0 of {ended.max_weekly_minutes} weekly minutes planned; contract staff; "
        "but its contract is not in force that day (ends 20 Nov); weekly hours reached"
    )


def test_an_aide_at_another_school_that_day_is_named_with_that_school(week, school_a):
    roosevelt = f.SchoolFactory(district=week, code="ROOSEVELT")
    floater = aide(week, school_a, "AIDE-3", "25.00")
    AideSchool.objects.create(district=week, aide=floater, school=roosevelt)
    there = f.MandateFactory(
        student=f.StudentFactory(school=roosevelt, code="STU-R"),
        code="M-R",
        support="shared",
        max_group=2,
    )
    f.BlockFactory(mandate=there, weekday=1, start=8 * 60, end=9 * 60)
    allocation_run(district=week, week_start=dt.date(2026, 11, 23))
    _both_aides_out()
    alert = Alert.objects.get(severity="critical")
    assert [(s["aide"], s["free_minutes"]) for s in alert.suggestions] == [("AIDE-3", 0)]
    assert "but works at ROOSEVELT that day" in alert.suggestions[0]["why"]


def test_the_districts_safety_tier_sets_the_severity_of_an_unstaffed_service(week):
    District.objects.filter(pk=week.pk).update(safety_qualifications=["PERSONAL_CARE"])
    week.refresh_from_db()
    _both_aides_out()
    assert sorted(Alert.objects.values_list("mandate__code", "severity", "cause")) == [
        ("M-GRP", "normal", "aide_absent"),
        ("M-MED", "high", "aide_absent"),
    ]
