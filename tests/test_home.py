"""Signing in, and the home page of each role (config/views.py); the parent portal's pages are
tested in tests/allocations/test_portal.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from staffing.models import AideSchool, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2020, 1, 6)


@pytest.fixture
def district_a_at_work(district_a, school_a, student_a):
    """Two schools, three students (two with mandates in force), two aides."""
    washington = f.SchoolFactory(district=district_a, code="WASH", name="Washington Middle")
    walt = f.StudentFactory(school=washington, code="STU-W", first_name="Walt", last_name="West")
    f.StudentFactory(school=washington, code="STU-N", first_name="Nia", last_name="North")
    ava = f.MandateFactory(student=student_a, code="M-AVA", starts_on=LONG_AGO)
    f.BlockFactory(mandate=ava, weekday=0, start=480, end=555, location="RM-1")
    f.BlockFactory(mandate=ava, weekday=2, start=720, end=750, setting="lunch", location="Cafe")
    shared = f.MandateFactory(
        student=walt, code="M-WALT", support="shared", max_group=3, starts_on=LONG_AGO
    )
    f.BlockFactory(mandate=shared, weekday=1, start=540, end=600)
    ended = f.MandateFactory(
        student=walt, code="M-OLD", starts_on=LONG_AGO, ends_on=dt.date(2021, 6, 1)
    )
    f.BlockFactory(mandate=ended, weekday=3, start=540, end=600)
    contract = f.ContractFactory(district=district_a)
    for aide in (
        f.AideFactory(district=district_a),
        f.AideFactory(district=district_a, contract=contract),
    ):
        AideSchool.objects.create(district=district_a, aide=aide, school=school_a)
    return {"washington": washington, "walt": walt}


def test_the_home_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_signing_in_and_out(client, director_a):
    form = client.get(reverse("login"))
    wrong = client.post(reverse("login"), {"username": "director_a", "password": "nope"})
    right = client.post(reverse("login"), {"username": "director_a", "password": "pass-word-123"})
    get_logout = client.get(reverse("logout"))
    logout = client.post(reverse("logout"))

    assert form.status_code == 200
    assert 'name="password"' in form.content.decode()
    assert "did not match" in wrong.content.decode()
    assert (right.status_code, right["Location"]) == (302, "/")
    assert get_logout.status_code == 405
    assert (logout.status_code, logout["Location"]) == (302, reverse("login"))
    assert client.get("/").status_code == 302


def test_a_director_sees_the_district_summary_in_real_figures(
    client, director_a, district_a_at_work
):
    client.force_login(director_a)

    page = client.get("/")
    text = page.content.decode()

    figures, staffing = page.context["figures"], page.context["staffing"]
    assert (figures.students_with_mandates, figures.weekly_minutes) == (2, 165)
    assert figures.safety_tier_students == 1
    assert (staffing.schools, staffing.aides, staffing.district_aides) == (2, 2, 1)
    assert '<span class="big">2</span><span>schools</span>' in text
    assert (
        '<span class="big">165</span><span>mandated minutes a week (about 3 hours)</span>' in text
    )
    assert "aides (1 district staff, 1 contract)" in text
    assert "<h1>Alpha Unified</h1>" in text
    assert reverse("admin:students_student_changelist") in text
    assert f'<a href="{reverse("allocations:dashboard")}">Coverage dashboard</a>' in text


def test_a_case_manager_sees_their_caseload_with_links_to_the_admin(
    client, district_a, district_a_at_work
):
    user = f.UserFactory(username="cm_wash", is_staff=True)
    member = f.MembershipFactory(district=district_a, user=user, role=Membership.Role.CASE_MANAGER)
    member.schools.add(district_a_at_work["washington"])
    client.force_login(user)

    page = client.get("/")
    text = page.content.decode()

    assert [(s.code, s.mandate_count, s.weekly_minutes) for s in page.context["caseload"]] == [
        ("STU-N", 0, 0),
        ("STU-W", 1, 60),
    ]
    walt = district_a_at_work["walt"]
    assert (
        f'<a href="{reverse("admin:students_student_change", args=[walt.pk])}">West, Walt</a>'
        in text
    )
    assert "Alpha, Ava" not in text
    assert "Your caseload" in text


def test_a_parent_is_led_to_their_family_page(client, parent_of_student_a):
    client.force_login(parent_of_student_a)

    response = client.get("/")

    assert (response.status_code, response["Location"]) == (302, reverse("family:index"))


def test_an_account_linked_to_nothing_is_told_so(client):
    client.force_login(f.UserFactory(username="nobody"))

    page = client.get("/")

    assert "not linked to a district or to a student yet" in page.content.decode()
