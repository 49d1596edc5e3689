"""The director's dashboard (allocations/views.py): the week's plan in figures and charts, and
nothing of another district's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from allocations.models import AllocationRun
from allocations.services import allocation_run
from staffing.models import AideSchool, AvailabilityWindow
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned_student_a(student_a):
    district = student_a.district
    aide = f.AideFactory(district=district, name="Rosa Diaz")
    AideSchool.objects.create(district=district, aide=aide, school=student_a.school)
    AvailabilityWindow.objects.create(district=district, aide=aide, weekday=0, start=480, end=540)
    mandate = f.MandateFactory(student=student_a, code="M-A")
    f.BlockFactory(mandate=mandate, weekday=0, start=480, end=600, location="RM-7")
    allocation_run(district=district, week_start=dt.date(2026, 11, 23))
    return student_a


def test_dashboard_shows_the_current_plan_with_charts(client, director_a, planned_student_a):
    client.force_login(director_a)
    page = client.get(reverse("allocations:dashboard"), {"week": "2026-11-23"}).content.decode()
    assert "50.0%" in page
    assert page.count("<svg") == 4
    assert "No aide available then" in page
    assert (
        "Ava Alpha (STU-A): 60 min of classroom support unstaffed on Mon 23 Nov"
        " - no qualified aide free" in page
    )
    assert "Open alerts: unstaffed minutes by cause" in page


def test_director_of_another_district_sees_none_of_it(client, director_b, planned_student_a):
    client.force_login(director_b)
    page = client.get(reverse("allocations:dashboard"), {"week": "2026-11-23"}).content.decode()
    assert "No allocation has been run for this week yet." in page
    assert "No open alerts." in page
    assert "Ava" not in page
    run = AllocationRun.objects.get(district=planned_student_a.district)
    assert client.get(reverse("allocations:run_progress", args=[run.pk])).status_code == 404
