"""The staffing side of the admin: aides with their schools, qualifications and availability,
absences, memberships, and who may open what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staffing.invitations.models import StaffInvitation
from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    AideSchool,
    AvailabilityWindow,
    Membership,
    School,
)
from staffing.selectors import district_today
from students.models import Student
from tests import factories as f

pytestmark = pytest.mark.django_db


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def aide_post(aide, **changes):
    return {
        "code": aide.code,
        "name": aide.name,
        "contract": aide.contract_id or "",
        "max_weekly_minutes": aide.max_weekly_minutes,
        "hourly_cost": str(aide.hourly_cost),
        **management("aideschool_set"),
        **management("qualifications"),
        **management("availability"),
        **changes,
    }


@pytest.fixture
def aide_a(district_a, school_a):
    contract = f.ContractFactory(district=district_a, code="SUNRISE")
    aide = f.AideFactory(district=district_a, code="A-ROSA", name="Rosa Diaz", contract=contract)
    AideSchool.objects.create(district=district_a, aide=aide, school=school_a)
    return aide


def test_the_aide_page_marks_expired_qualifications_red_and_expiring_ones_amber(
    client, director_a, district_a, aide_a
):
    today = district_today(district=district_a)
    for code, expires_on in [
        ("CPR", today - dt.timedelta(days=52)),
        ("CPI", today + dt.timedelta(days=10)),
        ("MEDICAL", today + dt.timedelta(days=200)),
        ("BEHAVIOR", None),
    ]:
        AideQualification.objects.create(
            district=district_a, aide=aide_a, qualification=code, expires_on=expires_on
        )
    client.force_login(director_a)

    page = client.get(reverse("admin:staffing_aide_change", args=[aide_a.pk])).content.decode()
    listing = client.get(reverse("admin:staffing_aide_changelist")).content.decode()

    expired = (today - dt.timedelta(days=52)).isoformat()
    expiring = (today + dt.timedelta(days=10)).isoformat()
    assert (
        f'<span class="qual-expired" style="color:#b71c1c;font-weight:600">expired {expired}</span>'
        in page
    )
    assert (
        '<span class="qual-expiring" style="color:#b26a00;font-weight:600">'
        f"expires {expiring}, in 10 days</span>" in page
    )
    assert f"valid until {(today + dt.timedelta(days=200)).isoformat()}" in page
    assert "does not expire" in page
    assert (
        f'<td class="field-qualification_list">BEHAVIOR, <span class="qual-expiring" '
        f'style="color:#b26a00;font-weight:600">CPI (expires {expiring}, in 10 days)</span>, '
        f'<s class="qual-expired" style="color:#b71c1c;font-weight:600">CPR (expired {expired})'
        "</s>, MEDICAL</td>" in listing
    )


def test_the_aide_list_shows_employer_schools_and_weekly_minutes(
    client, director_a, district_a, school_a, aide_a
):
    other = f.SchoolFactory(district=district_a, code="WASH")
    AideSchool.objects.create(district=district_a, aide=aide_a, school=other)
    AvailabilityWindow.objects.create(
        district=district_a, aide=aide_a, weekday=0, start=480, end=600
    )
    AvailabilityWindow.objects.create(
        district=district_a, aide=aide_a, weekday=1, start=540, end=720
    )
    staff = f.AideFactory(district=district_a, code="A-STAFF", name="Sam Staff")
    client.force_login(director_a)

    page = client.get(reverse("admin:staffing_aide_changelist"))
    rows = {a.code: a for a in page.context["cl"].result_list}
    admin_ = page.context["cl"].model_admin

    assert [
        (admin_.employer_label(a), admin_.school_codes(a), admin_.available_minutes(a))
        for a in (rows["A-ROSA"], rows["A-STAFF"])
    ] == [("contract SUNRISE", "LINCOLN, WASH", 300), ("district", "-", 0)]
    assert staff.pk in {a.pk for a in page.context["cl"].result_list}


def test_aide_filters_by_school_qualification_and_employer(
    client, director_a, district_a, school_a, aide_a
):
    staff = f.AideFactory(district=district_a, code="A-STAFF")
    AideQualification.objects.create(district=district_a, aide=staff, qualification="CPI")
    client.force_login(director_a)
    url = reverse("admin:staffing_aide_changelist")

    def codes(**query):
        return sorted(a.code for a in client.get(url, query).context["cl"].result_list)

    assert codes(school=school_a.pk) == ["A-ROSA"]
    assert codes(qualification="CPI") == ["A-STAFF"]
    assert codes(employer="district") == ["A-STAFF"]
    assert codes(employer=aide_a.contract_id) == ["A-ROSA"]


def test_an_aide_cannot_be_placed_at_another_districts_school(client, director_a, aide_a, school_b):
    client.force_login(director_a)

    page = client.post(
        reverse("admin:staffing_aide_change", args=[aide_a.pk]),
        aide_post(
            aide_a,
            name="Renamed",
            **management("aideschool_set", total=1),
            **{"aideschool_set-0-school": school_b.pk},
        ),
    )

    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].formset.errors == [
        {"school": ["Select a valid choice. That choice is not one of the available choices."]}
    ]
    aide_a.refresh_from_db()
    assert aide_a.name == "Rosa Diaz"
    assert list(AideSchool.objects.filter(aide=aide_a).values_list("school__code", flat=True)) == [
        "LINCOLN"
    ]


def test_availability_is_typed_as_hh_mm_on_the_grid(client, director_a, district_a, aide_a):
    client.force_login(director_a)
    url = reverse("admin:staffing_aide_change", args=[aide_a.pk])

    def window(start, end):
        return client.post(
            url,
            aide_post(
                aide_a,
                **management("availability", total=1),
                **{
                    "availability-0-weekday": "2",
                    "availability-0-start": start,
                    "availability-0-end": end,
                },
            ),
        )

    off_grid = window("08:10", "10:30")
    saved = window("08:00", "10:30")

    assert off_grid.context["inline_admin_formsets"][2].formset.errors == [
        {"start": ["'08:10' is not on the 15-minute grid"]}
    ]
    assert saved.status_code == 302
    assert list(
        AvailabilityWindow.objects.filter(aide=aide_a).values_list(
            "district_id", "weekday", "start", "end"
        )
    ) == [(district_a.pk, 2, 480, 630)]


def test_the_absence_list_reads_spans_newest_first(client, case_manager_a, district_a, aide_a):
    Absence.objects.create(district=district_a, aide=aide_a, date=dt.date(2026, 11, 23))
    Absence.objects.create(
        district=district_a, aide=aide_a, date=dt.date(2026, 11, 24), start=480, end=600
    )
    client.force_login(case_manager_a)

    page = client.get(reverse("admin:staffing_absence_changelist"))
    admin_ = page.context["cl"].model_admin

    assert [(a.date.isoformat(), admin_.span(a)) for a in page.context["cl"].result_list] == [
        ("2026-11-24", "08:00-10:00"),
        ("2026-11-23", "all day"),
    ]


def test_a_case_manager_records_an_absence_in_their_district(
    client, case_manager_a, district_a, aide_a
):
    client.force_login(case_manager_a)

    response = client.post(
        reverse("admin:staffing_absence_add"),
        {"aide": aide_a.pk, "date": "2026-11-25", "start": "12:00", "end": "15:00", "reason": "x"},
    )

    assert response.status_code == 302
    assert list(Absence.objects.values_list("district_id", "date", "start", "end")) == [
        (district_a.pk, dt.date(2026, 11, 25), 720, 900)
    ]


def test_a_case_manager_reads_but_cannot_change_schools_contracts_or_memberships(
    client, case_manager_a, school_a
):
    client.force_login(case_manager_a)

    schools = client.get(reverse("admin:staffing_school_changelist"))
    rename = client.post(
        reverse("admin:staffing_school_change", args=[school_a.pk]),
        {"code": "RENAMED", "name": "Renamed"},
    )
    add_contract = client.get(reverse("admin:staffing_contract_add"))
    memberships = client.get(reverse("admin:staffing_membership_changelist"))

    assert (schools.status_code, rename.status_code) == (200, 403)
    assert (add_contract.status_code, memberships.status_code) == (403, 403)
    school_a.refresh_from_db()
    assert (school_a.code, school_a.name) == ("LINCOLN", "Lincoln Elementary")


def test_a_director_cannot_change_their_own_membership(client, director_a):
    own = Membership.objects.get(user=director_a)
    client.force_login(director_a)

    response = client.post(
        reverse("admin:staffing_membership_change", args=[own.pk]), {"role": "case_manager"}
    )

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.role == "director"


def test_a_staff_user_without_membership_opens_nothing(client, student_a):
    user = f.UserFactory(username="loner", is_staff=True)
    client.force_login(user)

    index = client.get(reverse("admin:index"))
    students = client.get(reverse("admin:students_student_changelist"))
    one = client.get(reverse("admin:students_student_change", args=[student_a.pk]))

    assert (index.status_code, index.context["app_list"]) == (200, [])
    assert (students.status_code, one.status_code) == (403, 404)


def test_a_member_without_staff_access_is_sent_to_the_admin_login(client, district_a):
    user = f.UserFactory(username="not_staff", is_staff=False)
    f.MembershipFactory(district=district_a, user=user, role=Membership.Role.DIRECTOR)
    client.force_login(user)

    response = client.get(reverse("admin:students_student_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_operator_reads_every_district_but_writes_only_memberships(
    client, student_a, student_b, school_a, school_b
):
    operator = f.UserFactory(username="ops", is_staff=True, is_superuser=True)
    client.force_login(operator)

    listing = client.get(reverse("admin:students_student_changelist"))
    add_student = client.get(reverse("admin:students_student_add"))
    mixed = client.post(
        reverse("admin:staffing_membership_add"),
        {
            "district": school_a.district_id,
            "email": "first_director@example.org",
            "role": "director",
            "schools": [school_b.pk],
        },
    )

    assert sorted(s.code for s in listing.context["cl"].result_list) == ["STU-A", "STU-B"]
    assert add_student.status_code == 403
    assert mixed.context["adminform"].form.errors["schools"] == [
        "Choose one of your district's own records."
    ]
    assert not Membership.objects.exists()
    assert not StaffInvitation.objects.exists()


def test_aide_list_costs_the_same_queries_for_35_rows_as_for_3(
    client, director_a, district_a, django_assert_max_num_queries
):
    schools = [f.SchoolFactory(district=district_a) for _ in range(2)]
    contract = f.ContractFactory(district=district_a)

    def add_aides(count):
        for i in range(count):
            aide = f.AideFactory(district=district_a, contract=contract if i % 2 else None)
            for school in schools:
                AideSchool.objects.create(district=district_a, aide=aide, school=school)
            for code in ("CPR", "CPI"):
                AideQualification.objects.create(district=district_a, aide=aide, qualification=code)
            AvailabilityWindow.objects.create(
                district=district_a, aide=aide, weekday=0, start=480, end=600
            )
            Absence.objects.create(district=district_a, aide=aide, date=dt.date(2026, 11, 23))

    add_aides(3)
    client.force_login(director_a)
    urls = [reverse(f"admin:staffing_{m}_changelist") for m in ("aide", "absence", "school")]
    with CaptureQueriesContext(connection) as small:
        for url in urls:
            client.get(url)
    add_aides(32)

    with django_assert_max_num_queries(len(small.captured_queries)):
        pages = [client.get(url) for url in urls]

    assert len(small.captured_queries) <= 3 * 9
    assert [len(p.context["cl"].result_list) for p in pages] == [35, 35, 2]
    assert Aide.objects.count() == 35
    assert School.objects.count() == 2
    assert Student.objects.count() == 0


DATE_DRILLED = sorted(
    ((m, a.date_hierarchy) for m, a in admin.site._registry.items() if a.date_hierarchy),
    key=lambda item: item[0]._meta.label,
)


@pytest.mark.parametrize(
    ("model", "field"), DATE_DRILLED, ids=[m._meta.label for m, _ in DATE_DRILLED]
)
def test_a_date_drill_down_into_the_year_9999_says_so_instead_of_failing(
    client, director_a, model, field
):
    # Django bounds a chosen year by the next one's first day, which for 9999 is no date.
    client.force_login(director_a)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = client.get(
        url, {f"{field}__year": "9999", f"{field}__month": "12", "q": "sick"}, follow=True
    )

    assert response.redirect_chain == [(f"{url}?q=sick", 302)]
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Dates can be listed up to the year 9998; 9999 is beyond that."
    ]
