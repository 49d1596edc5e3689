"""`demo_setup`: four demo logins for an imported district, idempotent, never taking over an
account that belongs elsewhere."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from staffing.models import Membership
from students.models import Guardian
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    district = f.DistrictFactory(code="DEMO", name="Demo Unified")
    first = f.SchoolFactory(district=district, code="S01", name="Adams Elementary")
    second = f.SchoolFactory(district=district, code="S02", name="Baker Middle")
    for school, count in ((first, 3), (second, 10)):
        for i in range(count):
            student = f.StudentFactory(
                school=school,
                code=f"{school.code}-{i:02d}",
                first_name=f"Kid{i}",
                last_name=school.code,
            )
            mandate = f.MandateFactory(student=student, starts_on=dt.date(2020, 1, 6))
            f.BlockFactory(mandate=mandate)
    f.StudentFactory(school=first, code="S01-NOMANDATE")
    return district


def run(**options):
    out = StringIO()
    call_command("demo_setup", stdout=out, **options)
    return out.getvalue()


def test_demo_setup_creates_the_four_logins_and_prints_them(demo):
    first_output = run(district="DEMO")
    second_output = run(district="DEMO")

    assert first_output == second_output
    assert first_output.splitlines() == [
        "",
        "Demo logins for Demo Unified (DEMO)",
        "  username      role           what they see                                    password",
        "  director      director       all of Demo Unified: home figures, admin         paracover-demo",
        "  casemanager1  case manager   the 4 students of Adams Elementary in the admin  paracover-demo",
        "  casemanager2  case manager   a caseload of 8 students at Baker Middle         paracover-demo",
        "  parent        parent         only Kid0 S01 (read-only)                        paracover-demo",
        "Open http://127.0.0.1:8000/ and sign in.",
    ]
    memberships = {
        m.user.username: (
            m.role,
            sorted(s.code for s in m.schools.all()),
            sorted(m.caseload.values_list("code", flat=True)),
        )
        for m in Membership.objects.filter(district=demo)
    }
    assert memberships == {
        "director": ("director", [], []),
        "casemanager1": ("case_manager", ["S01"], []),
        "casemanager2": ("case_manager", [], [f"S02-{i:02d}" for i in range(8)]),
    }
    assert list(Guardian.objects.values_list("user__username", "student__code", "district_id")) == [
        ("parent", "S01-00", demo.pk)
    ]
    users = get_user_model().objects.filter(
        username__in=["director", "casemanager1", "casemanager2", "parent"]
    )
    assert sorted((u.username, u.is_staff, u.check_password("paracover-demo")) for u in users) == [
        ("casemanager1", True, True),
        ("casemanager2", True, True),
        ("director", True, True),
        ("parent", False, True),
    ]


def test_demo_logins_see_what_the_table_says(client, demo):
    run(district="DEMO")

    client.login(username="casemanager1", password="paracover-demo")
    cm1 = client.get(reverse("admin:students_student_changelist")).context["cl"]
    client.login(username="casemanager2", password="paracover-demo")
    cm2 = client.get(reverse("admin:students_student_changelist")).context["cl"]
    client.login(username="parent", password="paracover-demo")
    family = client.get(reverse("family:index")).context["children"]

    assert (cm1.result_count, {s.school.code for s in cm1.result_list}) == (4, {"S01"})
    assert (cm2.result_count, {s.school.code for s in cm2.result_list}) == (8, {"S02"})
    assert [s.code for s in family] == ["S01-00"]


def test_demo_setup_refuses_an_unknown_district_and_creates_nothing(demo):
    with pytest.raises(CommandError, match="--district NOPE: no district with that code"):
        run(district="NOPE")

    assert not get_user_model().objects.exists()


def test_demo_setup_refuses_to_take_over_an_account_of_another_district(demo, district_b):
    director = f.UserFactory(username="director", is_staff=True)
    f.MembershipFactory(district=district_b, user=director, role=Membership.Role.DIRECTOR)

    with pytest.raises(CommandError, match="director already belong"):
        run(district="DEMO")

    assert list(Membership.objects.values_list("user__username", "district__code")) == [
        ("director", "BETA")
    ]
    assert get_user_model().objects.count() == 1
    assert not Guardian.objects.exists()
