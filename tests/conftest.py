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


@pytest.fixture
def make_world(db):
    """Builds one row of every tenant-owned model in a district; every text carries `tag`, so a
    page that leaks a row of it shows the tag (a canary)."""
    import datetime as dt

    from allocations.access.models import StudentAccess
    from allocations.api.models import ImportJob
    from allocations.ledger.models import CompensatoryEntry, DeliveryRecord, MissedDaysNotice
    from allocations.models import (
        Alert,
        AllocationRun,
        AllocationRunPart,
        Assignment,
        PlanRepair,
        UnstaffedRun,
    )
    from staffing.api.models import ApiToken
    from staffing.models import (
        Absence,
        AideQualification,
        AideSchool,
        AvailabilityWindow,
        Closure,
        Notification,
    )

    def build(district, tag):
        school = f.SchoolFactory(district=district, code=f"SCH-{tag}", name=f"School {tag}")
        contract = f.ContractFactory(district=district, code=f"CON-{tag}", agency=f"Agency {tag}")
        aide = f.AideFactory(
            district=district, code=f"AIDE-{tag}", name=f"Aide {tag}", contract=contract
        )
        AideSchool.objects.create(district=district, aide=aide, school=school)
        AideQualification.objects.create(district=district, aide=aide, qualification=f"QUAL-{tag}")
        AvailabilityWindow.objects.create(
            district=district, aide=aide, weekday=0, start=480, end=600
        )
        Absence.objects.create(
            district=district, aide=aide, date=dt.date(2026, 11, 23), reason=f"sick {tag}"
        )
        Closure.objects.create(
            district=district, school=school, date=dt.date(2026, 11, 26), reason=f"holiday {tag}"
        )
        student = f.StudentFactory(
            school=school, code=f"STU-{tag}", first_name=f"Kid{tag}", last_name=f"Family{tag}"
        )
        mandate = f.MandateFactory(
            student=student,
            code=f"MAN-{tag}",
            required_qualifications=f"QUAL-{tag}",
            starts_on=dt.date(2020, 1, 6),
        )
        block = f.BlockFactory(mandate=mandate, location=f"Room {tag}")
        guardian = Guardian.objects.create(
            district=district,
            user=f.UserFactory(username=f"parent-{tag}"),
            student=student,
            relationship=f"aunt {tag}",
        )
        member = f.MembershipFactory(
            district=district, user=f.UserFactory(username=f"staff-{tag}", is_staff=True)
        )
        member.schools.add(school)
        Notification.objects.create(
            district=district, user=member.user, key=f"alert:{tag}", subject=f"Alert {tag}",
            body=f"Body {tag}", urgent=True,
        )  # fmt: skip
        run = AllocationRun.objects.create(
            district=district, week_start=dt.date(2026, 11, 23), bound_kind=f"bound {tag}"
        )
        Assignment.objects.create(
            district=district, run=run, aide=aide, mandate=mandate, block=block,
            date=dt.date(2026, 11, 23), start=480, end=540,
        )  # fmt: skip
        UnstaffedRun.objects.create(
            district=district, run=run, mandate=mandate, block=block,
            date=dt.date(2026, 11, 23), start=540, end=600, reason="cap_reached",
        )  # fmt: skip
        AllocationRunPart.objects.create(district=district, run=run, index=0)
        record = DeliveryRecord.objects.create(
            district=district, date=dt.date(2026, 11, 23), student=student, mandate=mandate,
            aide=aide, student_code=student.code, mandate_code=mandate.code,
            school_code=school.code, aide_code=aide.code, setting="classroom",
            location=f"Room {tag}", start=540, end=600, outcome="missed", cause="other",
            note=f"note {tag}",
        )  # fmt: skip
        CompensatoryEntry.objects.create(
            district=district, student=student, mandate=mandate, student_code=student.code,
            mandate_code=mandate.code, date=dt.date(2026, 11, 23), kind="accrual", minutes=60,
            source=record, status="approved", note=f"note {tag}",
        )  # fmt: skip
        MissedDaysNotice.objects.create(
            district=district, student=student, student_code=student.code,
            school_year_start=dt.date(2026, 7, 1), days=1, threshold=1,
            flagged_on=dt.date(2026, 11, 24),
        )  # fmt: skip
        Alert.objects.create(
            district=district, key=f"unstaffed:{tag}", kind="unstaffed", severity="critical",
            cause="aide_absent", title=f"Alert {tag}", date=dt.date(2026, 11, 23), school=school,
            student=student, mandate=mandate, minutes=60, opened_at=run.created_at,
        )  # fmt: skip
        PlanRepair.objects.create(
            district=district, run=run, aide=aide, date=dt.date(2026, 11, 23),
            trigger=f"absence {tag}",
        )  # fmt: skip
        StudentAccess.objects.create(
            district=district, at=run.created_at, user=member.user, user_name=f"Staff {tag}",
            role="director", student=student, student_code=student.code, what=f"read {tag}",
            door="admin",
        )  # fmt: skip
        ApiToken.objects.create(
            district=district, name=f"Token {tag}", prefix=f"pc_{tag}"[:16],
            token_hash=f"hash {tag}", created_by=member.user,
        )  # fmt: skip
        ImportJob.objects.create(
            district=district, file_name=f"bundle-{tag}.zip", size_bytes=3, archive=b"zip",
            created_by=member.user,
        )  # fmt: skip
        return {
            "school": school, "contract": contract, "aide": aide, "student": student,
            "mandate": mandate, "block": block, "guardian": guardian, "member": member,
        }  # fmt: skip

    return build
