"""The home page per role, and the parent portal: a parent sees only their own child."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from allocations.models import AllocationRun
from allocations.services import allocation_run
from staffing.models import AideSchool, AvailabilityWindow, Membership
from students.models import Guardian
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


def test_parent_sees_their_child_and_the_weeks_staffing(
    client, parent_of_student_a, planned_student_a
):
    client.force_login(parent_of_student_a)
    page = client.get(reverse("portal:child", args=[planned_student_a.pk]), {"week": "2026-11-23"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ava Alpha" in text
    assert "Mon 08:00-10:00 classroom at RM-7" in text
    assert "Rosa" in text
    assert "Diaz" not in text
    assert "60 of 120 minutes staffed this week." in text


def test_parent_cannot_see_a_sibling_not_theirs_or_another_districts_child(
    client, parent_of_student_a, student_a, student_b
):
    classmate = f.StudentFactory(school=student_a.school, code="STU-A2")
    client.force_login(parent_of_student_a)
    for other in (classmate, student_b):
        assert client.get(reverse("portal:child", args=[other.pk])).status_code == 404
    listing = client.get(reverse("family:index")).content.decode()
    assert "Ava" in listing
    assert classmate.last_name not in listing
    assert "Ben" not in listing


def test_parent_cannot_reach_the_admin_or_the_dashboard(client, parent_of_student_a):
    client.force_login(parent_of_student_a)
    assert client.get(reverse("allocations:dashboard")).status_code == 404
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.post(reverse("allocations:run_start"), {"week": "2026-11-23"}).status_code == 404


def test_home_leads_each_role_to_its_work(
    client, director_a, parent_of_student_a, planned_student_a
):
    assert client.get("/").status_code == 302
    client.force_login(parent_of_student_a)
    assert client.get("/")["Location"] == reverse("family:index")
    client.force_login(director_a)
    page = client.get("/").content.decode()
    assert "Alpha Unified" in page
    assert "Coverage dashboard" in page


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


def test_demo_setup_creates_logins_idempotently(planned_student_a):
    out = StringIO()
    call_command("demo_setup", district="ALPHA", stdout=out)
    call_command("demo_setup", district="ALPHA", stdout=out)
    assert "parent        parent         only Ava Alpha (read-only)" in out.getvalue()
    assert Membership.objects.filter(district=planned_student_a.district).count() == 3
    assert Guardian.objects.filter(user__username="parent").count() == 1


def test_demo_setup_refuses_an_unknown_district(db):
    with pytest.raises(CommandError, match="no district with that code"):
        call_command("demo_setup", district="NOPE", stdout=StringIO())
