"""The students side of the admin: forms that refuse other districts' rows, case managers'
scope, the readable schedule, guardian links, and list pages that cost the same at any size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staffing.models import Membership
from staffing.selectors import district_today
from students.models import Guardian, MandateBlock, ParaMandate, Student
from tests import factories as f

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2020, 1, 6)


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def student_post(student, **changes):
    data = {
        "code": student.code,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "school": student.school_id,
        "grade": student.grade,
        **management("mandates"),
        **management("guardians"),
    }
    return {**data, **changes}


def case_manager(district, username, *, schools=(), caseload=()):
    member = f.MembershipFactory(
        district=district,
        user=f.UserFactory(username=username, is_staff=True),
        role=Membership.Role.CASE_MANAGER,
    )
    member.schools.set(schools)
    member.caseload.set(caseload)
    return member.user


@pytest.fixture
def two_schools(district_a, school_a, student_a):
    other = f.SchoolFactory(district=district_a, code="WASHINGTON", name="Washington Middle")
    return {
        "lincoln": school_a,
        "washington": other,
        "ava": student_a,
        "walt": f.StudentFactory(school=other, code="STU-W", first_name="Walt", last_name="West"),
        "nia": f.StudentFactory(school=other, code="STU-N", first_name="Nia", last_name="North"),
    }


def test_moving_a_student_to_another_districts_school_is_refused(
    client, director_a, student_a, school_b
):
    client.force_login(director_a)

    page = client.post(
        reverse("admin:students_student_change", args=[student_a.pk]),
        student_post(student_a, school=school_b.pk, first_name="Changed"),
    )

    assert page.status_code == 200
    assert page.context["adminform"].form.errors["school"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    student_a.refresh_from_db()
    assert (student_a.school_id, student_a.first_name) == (student_a.school.pk, "Ava")


def test_a_mandate_cannot_be_given_to_another_districts_student(
    client, director_a, student_a, student_b
):
    mandate = f.MandateFactory(student=student_a, code="M-1", starts_on=LONG_AGO)
    client.force_login(director_a)

    page = client.post(
        reverse("admin:students_paramandate_change", args=[mandate.pk]),
        {
            "student": student_b.pk,
            "code": "M-1",
            "support": "one_to_one",
            "starts_on": "2020-01-06",
            **management("blocks"),
        },
    )

    assert page.status_code == 200
    assert list(page.context["adminform"].form.errors) == ["student"]
    mandate.refresh_from_db()
    assert mandate.student_id == student_a.pk


def test_a_new_mandate_and_its_blocks_take_the_users_district_and_read_hhmm(
    client, director_a, district_a, student_a
):
    client.force_login(director_a)

    response = client.post(
        reverse("admin:students_paramandate_add"),
        {
            "student": student_a.pk,
            "code": "M-NEW",
            "support": "shared",
            "max_group": "3",
            "required_qualifications": "CPI",
            "starts_on": "2026-09-01",
            **management("blocks", total=1),
            "blocks-0-weekday": "0",
            "blocks-0-start": "08:00",
            "blocks-0-end": "09:15",
            "blocks-0-setting": "classroom",
            "blocks-0-location": "RM-12",
        },
    )

    assert response.status_code == 302
    mandate = ParaMandate.objects.get(code="M-NEW")
    block = MandateBlock.objects.get(mandate=mandate)
    assert (mandate.district_id, mandate.student_id, mandate.max_group) == (
        district_a.pk,
        student_a.pk,
        3,
    )
    assert (block.district_id, block.weekday, block.start, block.end) == (
        district_a.pk,
        0,
        480,
        555,
    )


def test_a_duplicate_code_in_the_district_is_a_form_error_and_another_districts_is_free(
    client, director_a, student_a, student_b
):
    client.force_login(director_a)
    url = reverse("admin:students_student_add")
    new = {"first_name": "New", "last_name": "Kid", "school": student_a.school_id, "grade": "K"}

    forms = {**management("mandates"), **management("guardians")}

    taken = client.post(url, {**new, "code": "STU-A", **forms})
    free = client.post(url, {**new, "code": "STU-B", **forms})

    assert taken.status_code == 200
    assert taken.context["adminform"].form.non_field_errors() == [
        "Student with this District and Code already exists."
    ]
    assert free.status_code == 302
    assert sorted(
        Student.objects.filter(code="STU-B").values_list("district__code", flat=True)
    ) == [
        "ALPHA",
        "BETA",
    ]


def test_the_student_page_shows_each_mandate_and_the_weekly_schedule(client, director_a, student_a):
    one_to_one = f.MandateFactory(student=student_a, code="M-1TO1", starts_on=LONG_AGO)
    f.BlockFactory(mandate=one_to_one, weekday=0, start=480, end=555, location="RM-1")
    f.BlockFactory(
        mandate=one_to_one, weekday=2, start=720, end=750, setting="lunch", location="Cafe"
    )
    ended = f.MandateFactory(
        student=student_a, code="M-OLD", starts_on=LONG_AGO, ends_on=dt.date(2021, 6, 1)
    )
    f.BlockFactory(mandate=ended, weekday=1, start=600, end=660)
    client.force_login(director_a)

    page = client.get(reverse("admin:students_student_change", args=[student_a.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert "<tr><th>Mon</th><td>08:00-09:15 Classroom (RM-1, M-1TO1)</td></tr>" in text
    assert "<tr><th>Wed</th><td>12:00-12:30 Lunch (Cafe, M-1TO1)</td></tr>" in text
    assert "<th>Tue</th>" not in text
    assert "Weekly mandated minutes (in force today): <strong>105</strong> (1 h 45 min)" in text
    assert 'Safety tier: <strong style="color:#b71c1c">yes</strong>' in text
    assert "<div>Tue 10:00-11:00 Classroom (RM-100)</div>" in text
    assert "2020-01-06 to 2021-06-01 (not in force today)" in text
    assert reverse("admin:students_paramandate_change", args=[ended.pk]) in text


def test_the_student_list_counts_only_mandates_in_force(client, director_a, student_a):
    current = f.MandateFactory(
        student=student_a, code="M-NOW", support="shared", max_group=3, starts_on=LONG_AGO
    )
    f.BlockFactory(mandate=current, weekday=0, start=480, end=540)
    f.BlockFactory(mandate=current, weekday=1, start=480, end=510)
    ended = f.MandateFactory(
        student=student_a, code="M-OLD", starts_on=LONG_AGO, ends_on=dt.date(2021, 6, 1)
    )
    f.BlockFactory(mandate=ended, weekday=1, start=600, end=660)
    client.force_login(director_a)

    page = client.get(reverse("admin:students_student_changelist"))

    (row,) = page.context["cl"].result_list
    assert (row.code, row.mandate_count, row.weekly_minutes, row.safety_tier) == (
        "STU-A",
        1,
        90,
        False,
    )


def test_student_filters_by_support_setting_and_qualification(client, director_a, two_schools):
    f.MandateFactory(student=two_schools["ava"], support="one_to_one", starts_on=LONG_AGO)
    walt = f.MandateFactory(
        student=two_schools["walt"],
        support="shared",
        max_group=2,
        required_qualifications="CPI;MEDICAL",
        starts_on=LONG_AGO,
    )
    f.BlockFactory(mandate=walt, setting="bus")
    f.MandateFactory(
        student=two_schools["nia"], required_qualifications="MEDICAL_X", starts_on=LONG_AGO
    )
    client.force_login(director_a)
    url = reverse("admin:students_student_changelist")

    def codes(**query):
        return sorted(s.code for s in client.get(url, query).context["cl"].result_list)

    assert codes(support="shared") == ["STU-W"]
    assert codes(setting="bus") == ["STU-W"]
    assert codes(qualification="MEDICAL") == ["STU-W"]
    assert codes(school=two_schools["washington"].pk) == ["STU-N", "STU-W"]


def test_a_case_manager_limited_to_a_school_sees_only_its_students(client, district_a, two_schools):
    user = case_manager(district_a, "cm_washington", schools=[two_schools["washington"]])
    mandate = f.MandateFactory(student=two_schools["ava"], code="M-AVA")
    client.force_login(user)

    students = client.get(reverse("admin:students_student_changelist"))
    mandates = client.get(reverse("admin:students_paramandate_changelist"))
    add = client.get(reverse("admin:students_paramandate_add"))

    assert sorted(s.code for s in students.context["cl"].result_list) == ["STU-N", "STU-W"]
    assert list(mandates.context["cl"].result_list) == []
    assert sorted(
        add.context["adminform"].form.fields["student"].queryset.values_list("code", flat=True)
    ) == [
        "STU-N",
        "STU-W",
    ]
    assert (
        client.get(
            reverse("admin:students_student_change", args=[two_schools["ava"].pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("admin:students_paramandate_change", args=[mandate.pk])).status_code
        == 404
    )


def test_a_case_manager_with_a_caseload_sees_only_it(client, district_a, two_schools):
    user = case_manager(
        district_a, "cm_caseload", caseload=[two_schools["nia"], two_schools["ava"]]
    )
    client.force_login(user)

    page = client.get(reverse("admin:students_student_changelist"))
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "students", "model_name": "paramandate", "field_name": "student", "term": ""},
    ).json()["results"]

    assert sorted(s.code for s in page.context["cl"].result_list) == ["STU-A", "STU-N"]
    assert [r["text"] for r in found] == ["Ava Alpha (STU-A)", "Nia North (STU-N)"]


def test_a_case_manager_with_neither_schools_nor_caseload_sees_the_whole_district(
    client, case_manager_a, two_schools, student_b
):
    client.force_login(case_manager_a)

    page = client.get(reverse("admin:students_student_changelist"))

    assert sorted(s.code for s in page.context["cl"].result_list) == ["STU-A", "STU-N", "STU-W"]


def test_a_case_manager_sees_guardian_links_but_may_not_change_them(
    client, case_manager_a, parent_of_student_a, student_a
):
    client.force_login(case_manager_a)
    guardian = Guardian.objects.get(user=parent_of_student_a)

    listing = client.get(reverse("admin:students_guardian_changelist"))
    change = client.post(
        reverse("admin:students_guardian_change", args=[guardian.pk]),
        {"student": student_a.pk, "relationship": "father"},
    )
    delete = client.post(
        reverse("admin:students_guardian_delete", args=[guardian.pk]), {"post": "yes"}
    )

    assert [g.user.username for g in listing.context["cl"].result_list] == ["parent_a"]
    assert (change.status_code, delete.status_code) == (403, 403)
    assert list(Guardian.objects.values_list("user__username", "relationship")) == [
        ("parent_a", "mother")
    ]


def test_the_guardian_form_shows_the_linked_username_and_never_changes_it(
    client, director_a, parent_of_student_a, student_a, director_b
):
    guardian = Guardian.objects.get(user=parent_of_student_a)
    client.force_login(director_a)
    url = reverse("admin:students_guardian_change", args=[guardian.pk])

    page = client.get(url)
    saved = client.post(
        url, {"user": "director_b", "student": student_a.pk, "relationship": "guardian"}
    )

    account = reverse("admin:auth_user_change", args=[parent_of_student_a.pk])
    assert f'<div class="readonly"><a href="{account}">parent_a</a></div>' in page.content.decode()
    assert 'name="user"' not in page.content.decode()
    assert saved.status_code == 302
    assert list(Guardian.objects.values_list("user__username", "relationship")) == [
        ("parent_a", "guardian")
    ]


def _add_students(district, school, cm, count):
    for _ in range(count):
        student = f.StudentFactory(school=school)
        student.case_managers.add(cm)
        for support in ("one_to_one", "shared"):
            mandate = f.MandateFactory(
                student=student,
                support=support,
                max_group=3 if support == "shared" else None,
                starts_on=LONG_AGO,
                required_qualifications="CPI",
            )
            f.BlockFactory(mandate=mandate, weekday=0, start=480, end=540)
            f.BlockFactory(mandate=mandate, weekday=1, start=480, end=540)
        Guardian.objects.create(
            district=district, user=f.UserFactory(), student=student, relationship="parent"
        )


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:students_student_changelist",
        "admin:students_paramandate_changelist",
        "admin:students_guardian_changelist",
    ],
)
def test_student_list_pages_cost_the_same_queries_for_35_rows_as_for_3(
    client, director_a, district_a, url_name, django_assert_max_num_queries
):
    school = f.SchoolFactory(district=district_a)
    cm = f.MembershipFactory(district=district_a, role=Membership.Role.CASE_MANAGER)
    _add_students(district_a, school, cm, 3)
    client.force_login(director_a)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(url_name))
    _add_students(district_a, school, cm, 32)

    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse(url_name))

    # One of them is the record of access: one insert for the page's students (allocations.access).
    assert len(small.captured_queries) <= 10
    assert len(page.context["cl"].result_list) >= 35


def test_today_for_the_figures_is_the_districts_date(district_a):
    moment = dt.datetime(2026, 11, 23, 3, 30, tzinfo=dt.UTC)

    assert district_today(district=district_a, now=moment) == dt.date(2026, 11, 22)


def test_a_case_manager_saves_a_student_page_as_the_browser_posts_it(
    client, district_a, two_schools, parent_of_student_a
):
    ava = two_schools["ava"]
    mandate = f.MandateFactory(student=ava, code="M-AVA", starts_on=LONG_AGO)
    guardian = Guardian.objects.get(student=ava)
    user = case_manager(district_a, "cm_lincoln", schools=[two_schools["lincoln"]])
    client.force_login(user)

    response = client.post(
        reverse("admin:students_student_change", args=[ava.pk]),
        student_post(
            ava,
            first_name="Avery",
            case_managers=[Membership.objects.get(user=user).pk],
            **management("mandates", total=1, initial=1),
            **{"mandates-0-id": mandate.pk, "mandates-0-student": ava.pk},
            **management("guardians", total=1, initial=1),
            **{
                "guardians-0-id": guardian.pk,
                "guardians-0-student": ava.pk,
                "guardians-0-user": "someone_else",
                "guardians-0-relationship": "stranger",
            },
        ),
    )

    assert response.status_code == 302
    ava.refresh_from_db()
    assert (ava.first_name, [m.user.username for m in ava.case_managers.all()]) == (
        "Avery",
        ["cm_lincoln"],
    )
    assert list(ParaMandate.objects.filter(student=ava).values_list("code", flat=True)) == ["M-AVA"]
    guardian.refresh_from_db()
    assert (guardian.user.username, guardian.relationship) == ("parent_a", "mother")
