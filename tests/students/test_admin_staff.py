"""The district admins that show students: schools with their student and aide counts,
memberships with each case manager's caseload; another district's students never counted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from staffing.models import AideSchool, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_school_list_counts_each_schools_students_and_aides(
    client, director_a, district_a, school_a, student_a, student_b
):
    f.SchoolFactory(district=district_a, code="EMPTY", name="Empty Elementary")
    f.StudentFactory(school=school_a, code="STU-A2")
    aide = f.AideFactory(district=district_a, code="AIDE-1")
    AideSchool.objects.create(district=district_a, aide=aide, school=school_a)
    client.force_login(director_a)

    listing = client.get(reverse("admin:staffing_school_changelist"))

    assert [(s.code, s.n_students, s.n_aides) for s in listing.context["cl"].result_list] == [
        ("EMPTY", 0, 0),
        ("LINCOLN", 2, 1),
    ]


def test_the_membership_pages_show_each_case_managers_caseload(
    client, director_a, district_a, case_manager_a, student_a, student_b
):
    member = Membership.objects.get(user=case_manager_a)
    second = f.StudentFactory(school=student_a.school, code="STU-A2", last_name="Aaron")
    second.case_managers.add(member)
    student_a.case_managers.add(member)
    client.force_login(director_a)

    listing = client.get(reverse("admin:staffing_membership_changelist"))
    page = client.get(reverse("admin:staffing_membership_change", args=[member.pk]))

    assert sorted((m.user.username, m.n_caseload) for m in listing.context["cl"].result_list) == [
        ("case_manager_a", 2),
        ("director_a", 0),
    ]
    assert page.status_code == 200
    assert "Sam Aaron (STU-A2), Ava Alpha (STU-A)" in page.content.decode()
