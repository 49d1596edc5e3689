"""A small planned week with something unstaffed, for the report's tests."""

from __future__ import annotations

import pytest
from django.core import mail

from allocations.services import allocation_run
from tests import factories as f
from tests.allocations.conftest import WEEK, aide


@pytest.fixture
def report_week(school_a, student_a, director_a):
    """Lincoln: Ava's 1:1 MEDICAL mandate 09:00-10:00 every weekday, staffed; Max's shared
    group on Tuesday 10:00-11:00 at lunch, staffed; Bea's 1:1 BEHAVIOR mandate 13:00-14:00
    every weekday, which nobody is qualified for (300 minutes unstaffed)."""
    district = school_a.district
    aide(district, school_a, "AIDE-1", "20.00")
    aide(district, school_a, "AIDE-2", "30.00")
    medical = f.MandateFactory(
        student=student_a, code="M-MED", support="one_to_one", required_qualifications="MEDICAL"
    )
    for weekday in range(5):
        f.BlockFactory(mandate=medical, weekday=weekday, start=9 * 60, end=10 * 60)
    max_ = f.StudentFactory(school=school_a, code="STU-A2", first_name="Max", last_name="Moe")
    group = f.MandateFactory(student=max_, code="M-GRP", support="shared", max_group=3)
    f.BlockFactory(mandate=group, weekday=1, start=10 * 60, end=11 * 60, setting="lunch")
    bea = f.StudentFactory(school=school_a, code="STU-A3", first_name="Bea", last_name="Bay")
    behavior = f.MandateFactory(
        student=bea, code="M-BEH", support="one_to_one", required_qualifications="BEHAVIOR"
    )
    for weekday in range(5):
        f.BlockFactory(mandate=behavior, weekday=weekday, start=13 * 60, end=14 * 60)
    allocation_run(district=district, week_start=WEEK)
    mail.outbox.clear()
    return district
