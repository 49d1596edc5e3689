"""Who reaches a student under the staff scope rule, and so is told about them: the directors,
the case managers of the student's school or with the student in their caseload, and those
limited to neither; active users with an email address, members of this district only."""

from __future__ import annotations

import pytest

from staffing.models import Membership
from students.scope import StaffReach, staff_reaching
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_recipients_are_the_directors_and_the_schools_case_managers(
    district_a, school_a, director_a, case_manager_a, director_b
):
    Membership.objects.get(user=case_manager_a).schools.add(school_a)
    other_school = f.SchoolFactory(district=district_a, code="ADAMS")
    f.MembershipFactory(district=district_a, user=f.UserFactory(username="cm_adams")).schools.add(
        other_school
    )
    f.MembershipFactory(
        district=district_a,
        user=f.UserFactory(username="director_no_email", email=""),
        role=Membership.Role.DIRECTOR,
    )
    f.MembershipFactory(
        district=district_a,
        user=f.UserFactory(username="director_inactive", is_active=False),
        role=Membership.Role.DIRECTOR,
    )

    recipients = staff_reaching(district=district_a, school_id=school_a.pk)

    assert [user.username for user in recipients] == ["case_manager_a", "director_a"]


def test_a_case_manager_limited_to_nothing_hears_of_every_school(
    district_a, school_a, director_a, case_manager_a
):
    """Such a case manager sees the whole district in the admin, so is told of all of it."""
    adams = f.SchoolFactory(district=district_a, code="ADAMS")
    f.MembershipFactory(district=district_a, user=f.UserFactory(username="cm_adams")).schools.add(
        adams
    )
    recipients = staff_reaching(district=district_a, school_id=school_a.pk)
    assert [user.username for user in recipients] == ["case_manager_a", "director_a"]
    recipients = staff_reaching(district=district_a, school_id=adams.pk)
    assert [user.username for user in recipients] == ["case_manager_a", "cm_adams", "director_a"]


def test_a_caseload_reaches_its_own_students_only(district_a, school_a, student_a, director_a):
    keeper = f.MembershipFactory(district=district_a, user=f.UserFactory(username="cm_keeper"))
    student_a.case_managers.add(keeper)
    other = f.StudentFactory(school=school_a, code="STU-OTHER")
    operator = f.UserFactory(username="operator", is_superuser=True)
    f.MembershipFactory(district=district_a, user=operator, role=Membership.Role.DIRECTOR)
    reach = StaffReach(district=district_a)

    assert [u.username for u in reach(school_a.pk, student_a.pk)] == ["cm_keeper", "director_a"]
    assert [u.username for u in reach(school_a.pk, other.pk)] == ["director_a"]
    assert [u.username for u in reach(None)] == ["director_a"]
