"""The record of access: every door that shows a student's records writes one row per student
read, in one insert per page; rows are never changed or deleted; directors read the log of their
own district, per student; parents see who read their own child's records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from allocations.access.models import StudentAccess
from allocations.access.services import student_ids_read, student_records_read
from allocations.models import Alert, AllocationRun, PlanRepair
from staffing.models import Membership
from students.models import Guardian
from tests import factories as f

pytestmark = pytest.mark.django_db

FIELDS = ("district__code", "user__username", "user_name", "role", "student_code", "what", "door")


def rows():
    return list(StudentAccess.objects.order_by("student_code", "pk").values_list(*FIELDS))


def inserts(queries):
    return [q for q in queries if q["sql"].startswith('INSERT INTO "allocations_studentaccess"')]


@pytest.fixture
def three_students(school_a):
    return [
        f.StudentFactory(school=school_a, code=f"STU-{n}", first_name=f"Kid{n}") for n in (1, 2, 3)
    ]


def test_the_students_list_writes_one_row_per_student_shown_in_one_insert(
    client, director_a, three_students
):
    director_a.first_name, director_a.last_name = "Dana", "Director"
    director_a.save()
    client.force_login(director_a)

    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("admin:students_student_changelist"))

    assert response.status_code == 200
    assert len(inserts(page.captured_queries)) == 1
    assert rows() == [
        ("ALPHA", "director_a", "Dana Director", "director", code, "students list", "admin")
        for code in ("STU-1", "STU-2", "STU-3")
    ]
    assert {r.student_id for r in StudentAccess.objects.all()} == {s.pk for s in three_students}


def test_a_student_page_writes_one_row(client, director_a, three_students):
    client.force_login(director_a)

    response = client.get(reverse("admin:students_student_change", args=[three_students[1].pk]))

    assert response.status_code == 200
    assert rows() == [("ALPHA", "director_a", "", "director", "STU-2", "student page", "admin")]


def test_mandates_ledger_and_alerts_lists_write_one_row_per_distinct_student(
    client, director_a, three_students, case_manager_a
):
    one, two, _ = three_students
    for student, code in ((one, "M-1"), (one, "M-1B"), (two, "M-2")):
        f.MandateFactory(student=student, code=code)
    run = AllocationRun.objects.create(district=one.district, week_start=dt.date(2026, 11, 23))
    Alert.objects.create(
        district=one.district, key="k1", kind="unstaffed", severity="critical",
        cause="aide_absent", title="Alert", date=dt.date(2026, 11, 23), school=one.school,
        student=two, minutes=60, opened_at=run.created_at,
    )  # fmt: skip
    client.force_login(director_a)

    for name in ("students_paramandate", "allocations_alert", "allocations_deliveryrecord"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200

    assert rows() == [
        ("ALPHA", "director_a", "", "director", "STU-1", "para mandates list", "admin"),
        ("ALPHA", "director_a", "", "director", "STU-2", "para mandates list", "admin"),
        ("ALPHA", "director_a", "", "director", "STU-2", "alerts list", "admin"),
    ]


def test_a_plan_repair_list_records_the_students_its_changes_name(
    client, director_a, three_students
):
    one, _, three = three_students
    f.MandateFactory(student=one, code="M-1")
    f.MandateFactory(student=three, code="M-3")
    run = AllocationRun.objects.create(district=one.district, week_start=dt.date(2026, 11, 23))
    PlanRepair.objects.create(
        district=one.district, run=run, date=dt.date(2026, 11, 23), trigger="absence",
        school_ids=[one.school_id], changes=[{"mandate": "M-1"}], unstaffed=[{"mandate": "M-3"}],
    )  # fmt: skip
    client.force_login(director_a)

    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("admin:allocations_planrepair_changelist")).status_code == 200

    assert len(inserts(page.captured_queries)) == 1
    assert [r[4:] for r in rows()] == [
        ("STU-1", "plan repairs list", "admin"),
        ("STU-3", "plan repairs list", "admin"),
    ]


def test_pages_of_rows_without_students_write_nothing(client, director_a, three_students):
    f.AideFactory(district=three_students[0].district)
    client.force_login(director_a)

    for name in ("staffing_aide", "staffing_school", "allocations_allocationrun"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200

    assert rows() == []


def test_a_case_manager_is_recorded_as_one(client, district_a, three_students):
    manager = f.MembershipFactory(
        district=district_a, user=f.UserFactory(username="cm", is_staff=True),
        role=Membership.Role.CASE_MANAGER,
    ).user  # fmt: skip
    client.force_login(manager)

    client.get(reverse("admin:students_student_change", args=[three_students[0].pk]))

    assert rows() == [("ALPHA", "cm", "", "case_manager", "STU-1", "student page", "admin")]


def test_the_portal_pages_write_the_parents_reads(client, parent_of_student_a, student_a):
    client.force_login(parent_of_student_a)

    assert client.get(reverse("family:index")).status_code == 200
    assert client.get(reverse("family:child", args=[student_a.pk])).status_code == 200

    assert rows() == [
        ("ALPHA", "parent_a", "", "parent", "STU-A", "family page", "portal"),
        ("ALPHA", "parent_a", "", "parent", "STU-A", "child page", "portal"),
    ]


def test_the_dashboard_records_the_students_its_open_alerts_name(
    client, director_a, three_students
):
    one = three_students[0]
    run = AllocationRun.objects.create(district=one.district, week_start=dt.date(2026, 11, 23))
    Alert.objects.create(
        district=one.district, key="k1", kind="unstaffed", severity="critical",
        cause="aide_absent", title="Alert", date=dt.date(2026, 11, 24), school=one.school,
        student=one, minutes=60, opened_at=run.created_at,
    )  # fmt: skip
    client.force_login(director_a)

    assert client.get(reverse("allocations:dashboard") + "?week=2026-11-23").status_code == 200

    assert rows() == [
        (
            "ALPHA", "director_a", "", "director", "STU-1",
            "dashboard of the week of 2026-11-23", "report",
        )
    ]  # fmt: skip


def test_the_service_for_the_api_writes_a_row_per_distinct_student(
    director_a, district_a, three_students, student_b
):
    written = student_records_read(
        district=district_a, user=director_a, students=[*three_students, three_students[0]],
        what="GET /api/v1/students/", door=StudentAccess.Door.API,
    )  # fmt: skip
    by_id = student_ids_read(
        district=district_a, user=director_a, student_ids=[three_students[0].pk, student_b.pk],
        what="GET /api/v1/students/1/", door=StudentAccess.Door.API,
    )  # fmt: skip

    assert (written, by_id) == (3, 1)
    assert [r[4:] for r in rows()] == [
        ("STU-1", "GET /api/v1/students/", "api"),
        ("STU-1", "GET /api/v1/students/1/", "api"),
        ("STU-2", "GET /api/v1/students/", "api"),
        ("STU-3", "GET /api/v1/students/", "api"),
    ]


def test_the_service_refuses_another_districts_student_and_an_anonymous_reader(
    director_a, district_a, student_b, student_a
):
    with pytest.raises(ValueError, match="is not of district"):
        student_records_read(
            district=district_a, user=director_a, students=[student_b], what="x", door="api"
        )
    with pytest.raises(ValueError, match="signed-in"):
        student_records_read(
            district=district_a, user=AnonymousUser(), students=[student_a], what="x", door="api"
        )

    assert rows() == []


def test_the_switch_the_benchmark_uses_turns_logging_off(
    client, settings, director_a, three_students
):
    settings.STUDENT_ACCESS_LOG = False
    client.force_login(director_a)

    assert client.get(reverse("admin:students_student_changelist")).status_code == 200
    assert rows() == []


def test_the_database_refuses_to_change_or_delete_a_row(director_a, district_a, student_a):
    student_records_read(
        district=district_a, user=director_a, students=[student_a], what="x", door="api"
    )
    before = rows()

    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"), transaction.atomic():
        StudentAccess.objects.update(what="changed")
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), transaction.atomic():
        StudentAccess.objects.all().delete()

    assert rows() == before


def test_deleting_the_student_or_the_reader_leaves_the_record(director_a, district_a, student_a):
    student_records_read(
        district=district_a, user=director_a, students=[student_a], what="x", door="api"
    )
    before = rows()

    student_a.delete()
    Membership.objects.filter(user=director_a).delete()
    director_a.delete()

    assert StudentAccess.objects.values_list(*FIELDS[2:]).get() == before[0][2:]


def test_nobody_adds_changes_or_deletes_a_row_in_the_admin(
    client, director_a, district_a, student_a, admin_user
):
    student_records_read(
        district=district_a, user=director_a, students=[student_a], what="x", door="api"
    )
    row = StudentAccess.objects.get()
    before = rows()

    for user in (director_a, admin_user):
        client.force_login(user)
        assert client.get(reverse("admin:allocations_studentaccess_add")).status_code == 403
        change = reverse("admin:allocations_studentaccess_change", args=[row.pk])
        assert client.post(change, {"what": "changed"}).status_code == 403
        delete = reverse("admin:allocations_studentaccess_delete", args=[row.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403

    assert rows() == before


def test_directors_read_their_districts_log_per_student_and_case_managers_do_not(
    client, director_a, case_manager_a, district_a, district_b, student_a, student_b, school_a
):
    other = f.StudentFactory(school=school_a, code="STU-O")
    for student, district in (
        (student_a, district_a),
        (other, district_a),
        (student_b, district_b),
    ):
        student_records_read(
            district=district, user=director_a, students=[student], what="x", door="api"
        )
    url = reverse("admin:allocations_studentaccess_changelist")
    client.force_login(director_a)

    listing = client.get(url, {"student_code": "STU-A"})
    everything = client.get(url)
    client.force_login(case_manager_a)

    assert [r.student_code for r in listing.context["cl"].result_list] == ["STU-A"]
    assert sorted(r.student_code for r in everything.context["cl"].result_list) == [
        "STU-A", "STU-O",
    ]  # fmt: skip
    assert client.get(url).status_code == 403


def test_a_parent_sees_who_read_their_own_child_only(
    client, director_a, parent_of_student_a, student_a, school_a
):
    director_a.first_name, director_a.last_name = "Dana", "Director"
    director_a.save()
    sibling_in_class = f.StudentFactory(school=school_a, code="STU-C", first_name="Cal")
    other_parent = f.UserFactory(username="other_parent")
    Guardian.objects.create(district=student_a.district, user=other_parent, student=student_a)
    client.force_login(director_a)
    client.get(reverse("admin:students_student_change", args=[student_a.pk]))
    client.get(reverse("admin:students_student_change", args=[sibling_in_class.pk]))
    client.force_login(other_parent)
    client.get(reverse("family:child", args=[student_a.pk]))
    client.force_login(parent_of_student_a)
    client.get(reverse("family:child", args=[student_a.pk]))

    page = client.get(reverse("family:child", args=[student_a.pk]))

    assert [(a["who"], a["door"]) for a in page.context["access"]] == [
        ("Parent or guardian", "Family portal"),
        ("Special-education director: Dana Director", "District administration pages"),
    ]
    text = page.content.decode()
    assert "<td>Special-education director: Dana Director</td>" in text
    assert "other_parent" not in text
    assert "STU-C" not in text


def test_the_api_writes_one_row_per_student_of_the_answer(client, director_a, three_students):
    client.force_login(director_a)

    listing = client.get("/api/v1/students/")
    one = client.get(f"/api/v1/students/{three_students[1].pk}/")

    assert (listing.status_code, one.status_code) == (200, 200)
    assert [r[3:] for r in rows()] == [
        ("director", "STU-1", "API student", "api"),
        ("director", "STU-2", "API student", "api"),
        ("director", "STU-2", "API student", "api"),
        ("director", "STU-3", "API student", "api"),
    ]
