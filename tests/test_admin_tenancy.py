"""Every admin page, tried across districts: a user of district A never sees nor picks
anything of district B, and case managers see only their scope."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from staffing.models import (
    Membership,
)
from students.models import (
    ParaMandate,
    Student,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def worlds(make_world, district_a, district_b):
    return make_world(district_a, "AAA"), make_world(district_b, "ZZZ")


def _tenant_admins():
    return [(model, ma) for model, ma in admin.site._registry.items() if hasattr(model, "district")]


def test_every_admin_model_is_tenant_scoped():
    names = sorted(m._meta.label for m, _ in _tenant_admins())
    assert names == [
        "allocations.Alert", "allocations.AllocationRun", "allocations.Assignment",
        "allocations.CompensatoryEntry", "allocations.DeliveryRecord",
        "allocations.MissedDaysNotice", "allocations.PlanRepair", "allocations.UnstaffedRun",
        "staffing.Absence", "staffing.Aide", "staffing.Closure", "staffing.Contract",
        "staffing.Membership", "staffing.Notification", "staffing.School",
        "students.Guardian", "students.ParaMandate", "students.Student",
    ]  # fmt: skip


def test_director_a_sees_nothing_of_district_b_on_any_admin_page(client, director_a, worlds):
    client.force_login(director_a)
    for model, _ in _tenant_admins():
        info = (model._meta.app_label, model._meta.model_name)
        listing = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert listing.status_code == 200, model
        assert b"ZZZ" not in listing.content, model
        theirs = model.objects.filter(district__code="BETA").first()
        for view in ("change", "delete", "history"):
            response = client.get(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[theirs.pk]))
            assert response.status_code in (302, 403, 404), (model, view)
            assert b"ZZZ" not in response.content, (model, view)


def test_add_forms_offer_only_the_users_district(client, director_a, worlds):
    client.force_login(director_a)
    for url in (
        "admin:students_student_add",
        "admin:staffing_aide_add",
        "admin:students_paramandate_add",
        "admin:staffing_absence_add",
        "admin:staffing_closure_add",
        "admin:students_guardian_add",
    ):
        page = client.get(reverse(url))
        assert page.status_code == 200, url
        assert b"ZZZ" not in page.content, url


def test_autocomplete_is_scoped(client, director_a, worlds):
    client.force_login(director_a)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "students",
            "model_name": "paramandate",
            "field_name": "student",
            "term": "Kid",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["KidAAA FamilyAAA (STU-AAA)"]


def test_pointing_a_student_at_another_districts_school_is_refused(client, director_a, worlds):
    mine, theirs = worlds
    client.force_login(director_a)
    student = mine["student"]
    url = reverse("admin:students_student_change", args=[student.pk])
    response = client.post(
        url,
        {
            "code": student.code,
            "school": theirs["school"].pk,
            "first_name": "X",
            "last_name": "Y",
            "grade": "3",
            "mandates-TOTAL_FORMS": "0",
            "mandates-INITIAL_FORMS": "0",
            "guardians-TOTAL_FORMS": "0",
            "guardians-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    student.refresh_from_db()
    assert (student.school_id, student.first_name) == (mine["school"].pk, "KidAAA")


def test_list_filters_list_only_the_users_district(client, director_a, worlds):
    client.force_login(director_a)
    page = client.get(reverse("admin:staffing_aide_changelist"))
    assert b"SCH-AAA" in page.content
    assert b"SCH-ZZZ" not in page.content
    assert b"QZZZ" not in page.content


def test_case_manager_limited_to_a_school_sees_only_its_students(client, district_a, worlds):
    school_a = worlds[0]["school"]
    other = f.SchoolFactory(district=district_a, code="OTHER")
    f.StudentFactory(school=other, code="STU-OTHER")
    user = f.UserFactory(username="cm", is_staff=True)
    member = f.MembershipFactory(district=district_a, user=user, role=Membership.Role.CASE_MANAGER)
    member.schools.add(school_a)
    client.force_login(user)

    page = client.get(reverse("admin:students_student_changelist"))

    assert b"STU-AAA" in page.content
    assert b"STU-OTHER" not in page.content
    hidden = Student.objects.get(code="STU-OTHER")
    assert client.get(reverse("admin:students_student_change", args=[hidden.pk])).status_code == 404


def test_case_manager_cannot_change_schools_or_contracts(client, district_a, worlds):
    user = f.UserFactory(username="cm2", is_staff=True)
    f.MembershipFactory(district=district_a, user=user, role=Membership.Role.CASE_MANAGER)
    client.force_login(user)
    school = worlds[0]["school"]
    response = client.post(
        reverse("admin:staffing_school_change", args=[school.pk]),
        {"code": "RENAMED", "name": "Renamed"},
    )
    assert response.status_code == 403
    school.refresh_from_db()
    assert school.code == "SCH-AAA"


def test_staff_user_without_membership_sees_no_district_data(client, worlds):
    user = f.UserFactory(username="loner", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:students_student_changelist")).status_code == 403
    assert ParaMandate.objects.count() == 2
