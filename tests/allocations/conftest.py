"""A small planned week shared by the absence and alert tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from allocations.models import Assignment
from allocations.services import allocation_run
from staffing.models import AideQualification, AideSchool, AvailabilityWindow
from tests import factories as f

WEEK = dt.date(2026, 11, 23)
TUESDAY = WEEK + dt.timedelta(days=1)


def aide(district, school, code, cost, quals=("MEDICAL",)):
    row = f.AideFactory(
        district=district, code=code, name=f"Aide {code}", hourly_cost=Decimal(cost)
    )
    AideSchool.objects.create(district=district, aide=row, school=school)
    for weekday in range(5):
        AvailabilityWindow.objects.create(
            district=district, aide=row, weekday=weekday, start=8 * 60, end=12 * 60
        )
    for qual in quals:
        AideQualification.objects.create(
            district=district, aide=row, qualification=qual, expires_on=dt.date(2027, 6, 30)
        )
    return row


@pytest.fixture
def week(school_a, student_a, director_a):
    """Ava's 1:1 MEDICAL mandate 09:00-10:00 every weekday, served by the cheaper of two
    qualified aides; a shared mandate Tuesday 10:00-11:00."""
    district = school_a.district
    cm = f.MembershipFactory(district=district, user=f.UserFactory(username="cm_lincoln"))
    cm.schools.add(school_a)
    aide(district, school_a, "AIDE-1", "20.00")
    aide(district, school_a, "AIDE-2", "30.00")
    medical = f.MandateFactory(
        student=student_a, code="M-MED", support="one_to_one", required_qualifications="MEDICAL"
    )
    for weekday in range(5):
        f.BlockFactory(mandate=medical, weekday=weekday, start=9 * 60, end=10 * 60)
    other = f.StudentFactory(school=school_a, code="STU-A2", first_name="Max")
    group = f.MandateFactory(student=other, code="M-GRP", support="shared", max_group=3)
    f.BlockFactory(mandate=group, weekday=1, start=10 * 60, end=11 * 60, setting="lunch")
    allocation_run(district=district, week_start=WEEK)
    mail.outbox.clear()
    return district


def plan(district, on=None):
    rows = Assignment.objects.filter(run__district=district, run__is_current=True)
    if on is not None:
        rows = rows.filter(date=on)
    return sorted(rows.values_list("date", "aide__code", "mandate__code", "start", "end"))
