"""Named personas shared by the whole suite: two districts, their staff, a parent."""

from __future__ import annotations

import pytest

from staffing.models import Membership
from students.models import Guardian
from tests import factories as f


@pytest.fixture
def district_a(db):
    return f.DistrictFactory(code="ALPHA", name="Alpha Unified")


@pytest.fixture
def district_b(db):
    return f.DistrictFactory(code="BETA", name="Beta Unified")


@pytest.fixture
def school_a(district_a):
    return f.SchoolFactory(district=district_a, code="LINCOLN", name="Lincoln Elementary")


@pytest.fixture
def school_b(district_b):
    # Same code as district A's school: codes are unique per district only.
    return f.SchoolFactory(district=district_b, code="LINCOLN", name="Lincoln Elementary (Beta)")


@pytest.fixture
def student_a(school_a):
    return f.StudentFactory(school=school_a, code="STU-A", first_name="Ava", last_name="Alpha")


@pytest.fixture
def student_b(school_b):
    return f.StudentFactory(school=school_b, code="STU-B", first_name="Ben", last_name="Beta")


@pytest.fixture
def director_a(district_a):
    return f.MembershipFactory(
        district=district_a,
        user=f.UserFactory(username="director_a", is_staff=True),
        role=Membership.Role.DIRECTOR,
    ).user


@pytest.fixture
def case_manager_a(district_a):
    return f.MembershipFactory(
        district=district_a,
        user=f.UserFactory(username="case_manager_a", is_staff=True),
        role=Membership.Role.CASE_MANAGER,
    ).user


@pytest.fixture
def director_b(district_b):
    return f.MembershipFactory(
        district=district_b,
        user=f.UserFactory(username="director_b", is_staff=True),
        role=Membership.Role.DIRECTOR,
    ).user


@pytest.fixture
def parent_of_student_a(student_a):
    user = f.UserFactory(username="parent_a")
    Guardian.objects.create(
        district=student_a.district, user=user, student=student_a, relationship="mother"
    )
    return user
