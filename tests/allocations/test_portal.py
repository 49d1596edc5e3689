"""The parent portal (allocations/portal): a family list and one page per child with the IEP's
para support, this week's and next week's staffing, and the ledger. A parent sees only their own
children, never a classmate nor another district's student; a week it cannot show is a 400."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from allocations.selectors import StudentWeekRow
from allocations.services import allocation_run
from staffing.models import AideSchool, AvailabilityWindow
from students.models import Guardian
from tests import factories as f

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2020, 1, 6)
WEEK = dt.date(2026, 11, 23)
WEDNESDAY = WEEK + dt.timedelta(days=2)
REFUSED_WEEKS = [
    "9999-12-31",
    "0001-01-01",
    "garbage",
    "20261123",
    "2026-W48-1",
    "2026-02-30",
    "2024-11-24",
    "2028-11-27",
]


@pytest.fixture
def today_is(monkeypatch):
    """Sets the district's today as the portal sees it."""

    def set_today(day):
        monkeypatch.setattr("allocations.portal.views.district_today", lambda *, district: day)

    set_today(WEDNESDAY)
    return set_today


@pytest.fixture
def ava_mandate(student_a):
    mandate = f.MandateFactory(student=student_a, code="M-AVA", starts_on=LONG_AGO)
    f.BlockFactory(mandate=mandate, weekday=0, start=480, end=555, location="RM-1")
    f.BlockFactory(mandate=mandate, weekday=2, start=720, end=750, setting="lunch", location="Cafe")
    return mandate


@pytest.fixture
def classmates(district_a, school_a):
    """Walt at another school of the district (with a mandate), Nia in Ava's own school."""
    washington = f.SchoolFactory(district=district_a, code="WASH", name="Washington Middle")
    walt = f.StudentFactory(school=washington, code="STU-W", first_name="Walt", last_name="West")
    mandate = f.MandateFactory(student=walt, code="M-WALT", support="shared", max_group=3)
    f.BlockFactory(mandate=mandate, weekday=1, start=540, end=600)
    nia = f.StudentFactory(school=school_a, code="STU-N", first_name="Nia", last_name="North")
    return [walt, nia]


@pytest.fixture
def planned_week(student_a):
    """Ava's 1:1 Monday 08:00-10:00 at RM-7; Rosa Diaz is free 08:00-09:00 only."""
    district = student_a.district
    aide = f.AideFactory(district=district, name="Rosa Diaz")
    AideSchool.objects.create(district=district, aide=aide, school=student_a.school)
    AvailabilityWindow.objects.create(district=district, aide=aide, weekday=0, start=480, end=540)
    mandate = f.MandateFactory(student=student_a, code="M-A", starts_on=LONG_AGO)
    f.BlockFactory(mandate=mandate, weekday=0, start=480, end=600, location="RM-7")
    allocation_run(district=district, week_start=WEEK)
    return student_a


def weeks_shown(page):
    return [(w.starts_on, w.title, w.staffing.planned) for w in page.context["weeks"]]


def test_a_parent_sees_their_childs_mandates_as_readable_times(
    client, today_is, parent_of_student_a, student_a, ava_mandate, classmates
):
    client.force_login(parent_of_student_a)

    family = client.get(reverse("family:index"))
    child = client.get(reverse("family:child", args=[student_a.pk]))
    text = child.content.decode()

    assert [s.code for s in family.context["children"]] == ["STU-A"]
    assert child.status_code == 200
    assert "<h1>Ava Alpha</h1>" in text
    assert (
        '<tr><td>Mon 08:00-09:15</td><td>Classroom</td><td>RM-1</td><td class="num">75</td></tr>'
        in text
    )
    assert (
        '<tr><td>Wed 12:00-12:30</td><td>Lunch</td><td>Cafe</td><td class="num">30</td></tr>'
        in text
    )
    assert '<span class="big">105</span>' in text
    assert "Services delivered" in text
    assert "Walt" not in text


def test_one_page_shows_this_weeks_staffing_and_next_weeks(
    client, today_is, parent_of_student_a, planned_week
):
    client.force_login(parent_of_student_a)

    page = client.get(reverse("family:child", args=[planned_week.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert weeks_shown(page) == [
        (WEEK, "This week", True),
        (WEEK + dt.timedelta(days=7), "Next week", False),
    ]
    assert page.context["weeks"][0].staffing.rows == [
        StudentWeekRow(WEEK, "08:00-09:00", "Classroom", "Rosa"),
        StudentWeekRow(WEEK, "09:00-10:00", "Classroom", None),
    ]
    assert (
        '<tr><td>Mon 08:00-10:00</td><td>Classroom</td><td>RM-7</td><td class="num">120</td></tr>'
        in text
    )
    assert "<h3>This week: the week of Nov. 23, 2026</h3>" in text
    assert "<h3>Next week: the week of Nov. 30, 2026</h3>" in text
    assert '<span class="ok">Rosa</span>' in text
    assert "Diaz" not in text
    assert "60 of 120 minutes staffed that week." in text
    assert text.count("The district has not planned that week yet.") == 1
    assert '<a href="?week=2026-11-16#staffing">&larr; previous week</a>' in text
    assert '<a href="?week=2026-11-30#staffing">next week &rarr;</a>' in text


def test_at_the_weekend_this_week_is_the_coming_one(
    client, today_is, parent_of_student_a, planned_week
):
    today_is(WEEK + dt.timedelta(days=5))
    client.force_login(parent_of_student_a)

    page = client.get(reverse("family:child", args=[planned_week.pk]))

    assert weeks_shown(page) == [
        (WEEK + dt.timedelta(days=7), "This week", False),
        (WEEK + dt.timedelta(days=14), "Next week", False),
    ]


def test_a_parent_can_page_to_another_week(client, today_is, parent_of_student_a, planned_week):
    client.force_login(parent_of_student_a)

    page = client.get(reverse("family:child", args=[planned_week.pk]), {"week": "2026-11-18"})
    text = page.content.decode()

    assert weeks_shown(page) == [
        (WEEK - dt.timedelta(days=7), "", False),
        (WEEK, "This week", True),
    ]
    assert "<h3>The week of Nov. 16, 2026</h3>" in text
    assert "60 of 120 minutes staffed that week." in text


def test_the_first_and_last_weeks_shown_have_no_link_beyond_them(
    client, today_is, parent_of_student_a, student_a
):
    client.force_login(parent_of_student_a)
    url = reverse("family:child", args=[student_a.pk])

    first = client.get(url, {"week": "2024-11-25"})
    last = client.get(url, {"week": "2028-11-26"})

    assert (first.status_code, last.status_code) == (200, 200)
    assert (first.context["previous_week"], first.context["next_week"]) == (
        None,
        dt.date(2024, 12, 2),
    )
    assert (last.context["previous_week"], last.context["next_week"]) == (
        dt.date(2028, 11, 13),
        None,
    )
    assert "previous week" not in first.content.decode()
    assert "next week &rarr;" not in last.content.decode()


@pytest.mark.parametrize("week", REFUSED_WEEKS)
def test_a_week_the_portal_cannot_show_is_a_400_that_says_so(
    client, today_is, parent_of_student_a, student_a, week
):
    client.force_login(parent_of_student_a)

    page = client.get(reverse("family:child", args=[student_a.pk]), {"week": week})
    text = page.content.decode()

    assert page.status_code == 400
    assert "give a date as YYYY-MM-DD between Nov. 25, 2024 and Nov. 26, 2028." in text
    assert "Ava Alpha" in text
    assert f'href="{reverse("family:child", args=[student_a.pk])}"' in text


def test_the_refusal_names_what_was_wrong(client, today_is, parent_of_student_a, student_a):
    client.force_login(parent_of_student_a)
    url = reverse("family:child", args=[student_a.pk])

    not_a_date = client.get(url, {"week": "garbage"}).context["refused"]
    too_far = client.get(url, {"week": "9999-12-31"}).context["refused"]

    assert not_a_date == (
        "“garbage” is not a date: give a date as YYYY-MM-DD between Nov. 25, 2024 and Nov. 26, 2028."
    )
    assert too_far == (
        "No plans are shown for the week of Dec. 31, 9999: give a date as YYYY-MM-DD between"
        " Nov. 25, 2024 and Nov. 26, 2028."
    )


def test_a_refused_week_on_someone_elses_child_is_still_a_404(
    client, today_is, parent_of_student_a, student_b
):
    client.force_login(parent_of_student_a)

    response = client.get(reverse("family:child", args=[student_b.pk]), {"week": "9999-12-31"})

    assert response.status_code == 404


def test_the_old_week_page_redirects_permanently_to_the_childs_page(
    client, today_is, parent_of_student_a, student_a
):
    client.force_login(parent_of_student_a)

    response = client.get(f"/family/plan/{student_a.pk}/", {"week": "2026-11-23"})
    year_9999 = client.get(f"/family/plan/{student_a.pk}/", {"week": "9999-12-31"}, follow=True)

    assert response.status_code == 301
    assert response["Location"] == f"/family/{student_a.pk}/?week=2026-11-23"
    assert reverse("family:child", args=[student_a.pk]) == f"/family/{student_a.pk}/"
    assert year_9999.redirect_chain == [(f"/family/{student_a.pk}/?week=9999-12-31", 301)]
    assert year_9999.status_code == 400


def test_a_parent_never_sees_a_classmate_nor_another_districts_child(
    client, today_is, parent_of_student_a, student_a, student_b, classmates
):
    client.force_login(parent_of_student_a)
    others = [*(s.pk for s in classmates), student_b.pk, 999_999]

    pages = [client.get(reverse("family:child", args=[pk])).status_code for pk in others]
    old_pages = [client.get(f"/family/plan/{pk}/", follow=True).status_code for pk in others]
    family = client.get(reverse("family:index")).content.decode()

    assert pages == [404, 404, 404, 404]
    assert old_pages == [404, 404, 404, 404]
    assert "Ava" in family
    assert "Walt" not in family
    assert "Nia" not in family
    assert "Ben" not in family


def test_a_parent_with_children_in_two_districts_sees_both(
    client, today_is, parent_of_student_a, student_b
):
    Guardian.objects.create(
        district=student_b.district, user=parent_of_student_a, student=student_b
    )
    client.force_login(parent_of_student_a)

    family = client.get(reverse("family:index"))

    assert [s.code for s in family.context["children"]] == ["STU-A", "STU-B"]
    assert client.get(reverse("family:child", args=[student_b.pk])).status_code == 200


def test_a_guardian_row_of_the_wrong_district_opens_nothing(client, district_a, student_b):
    user = f.UserFactory(username="mismatch")
    Guardian.objects.create(district=district_a, user=user, student=student_b)
    client.force_login(user)

    assert client.get(reverse("family:child", args=[student_b.pk])).status_code == 404
    assert list(client.get(reverse("family:index")).context["children"]) == []


def test_the_portal_asks_anonymous_visitors_to_sign_in_and_is_read_only(
    client, parent_of_student_a, student_a
):
    child_url = reverse("family:child", args=[student_a.pk])

    anonymous = [client.get(url)["Location"] for url in (reverse("family:index"), child_url)]
    client.force_login(parent_of_student_a)
    posts = [client.post(url).status_code for url in (reverse("family:index"), child_url)]

    assert anonymous == ["/accounts/login/?next=/family/", f"/accounts/login/?next={child_url}"]
    assert posts == [405, 405]


def test_a_parent_cannot_reach_the_admin_or_the_dashboard(client, parent_of_student_a, student_a):
    client.force_login(parent_of_student_a)

    change = client.get(reverse("admin:students_student_change", args=[student_a.pk]))

    assert change.status_code == 302
    assert change["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("allocations:dashboard")).status_code == 404
    assert client.post(reverse("allocations:run_start"), {"week": "2026-11-23"}).status_code == 404
