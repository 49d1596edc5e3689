"""Absences in the admin: written through the absence services (their checks, their lock),
re-planned in a worker once saved, changed or removed; refusals read as form errors; other
districts' aides refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from allocations import admin as allocations_admin
from allocations.models import PlanRepair
from staffing.models import Absence, Aide
from tests import factories as f

from .conftest import TUESDAY, aide, plan


@pytest.fixture
def cm(week, school_a):
    member = f.MembershipFactory(
        district=week, user=f.UserFactory(username="cm_admin", is_staff=True)
    )
    member.schools.add(school_a)
    return member.user


def add_absence(client, aide_row, **extra):
    data = {"aide": aide_row.pk, "date": "2026-11-24", "start": "", "end": "", "reason": "sick"}
    return client.post(reverse("admin:staffing_absence_add"), data | extra)


def rows():
    return sorted(Absence.objects.values_list("aide__code", "date", "start", "end", "reason"))


def test_the_absence_admin_is_allocations_own_and_the_only_one():
    assert type(admin.site._registry[Absence]) is allocations_admin.AbsenceAdmin


def test_an_absence_saved_in_the_admin_re_plans_the_day(
    client, cm, week, django_capture_on_commit_callbacks
):
    client.force_login(cm)
    with django_capture_on_commit_callbacks(execute=True):
        response = add_absence(client, Aide.objects.get(code="AIDE-1"))
    assert response.status_code == 302
    assert PlanRepair.objects.get().trigger == "absence recorded by cm_admin"
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
    # Deleting it: AIDE-1 had nothing left planned that day and nothing is unstaffed, so the
    # plan stays as it is (a return never moves a substitute who is already there).
    absence = Absence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:staffing_absence_delete", args=[absence.pk]), {"post": "yes"})
    assert Absence.objects.count() == 0
    assert (
        PlanRepair.objects.count() == 1
    )  # nothing unstaffed, nothing planned for AIDE-1: no re-plan


def test_overlapping_and_foreign_absences_are_refused_in_the_admin(
    client, cm, week, district_b, school_b
):
    client.force_login(cm)
    first = Aide.objects.get(code="AIDE-1")
    Absence.objects.create(district=week, aide=first, date=TUESDAY, start=540, end=600)
    response = add_absence(client, first, start="09:30", end="11:00")
    assert response.status_code == 200
    assert "already absent on 2026-11-24 09:00-10:00" in response.content.decode()
    foreign = aide(district_b, school_b, "AIDE-B", "20.00")
    response = add_absence(client, foreign)
    assert response.status_code == 200
    assert Absence.objects.count() == 1
    assert PlanRepair.objects.count() == 0


def test_a_half_given_span_is_a_form_error_in_the_admins_words(client, cm, week):
    client.force_login(cm)

    response = add_absence(client, Aide.objects.get(code="AIDE-1"), start="09:00")

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Start and end: give both for part of a day, or neither"
    ]
    assert "--" not in str(response.context["adminform"].form.errors)
    assert rows() == []


def test_moving_an_absence_to_another_day_re_plans_both_days(
    client, cm, week, django_capture_on_commit_callbacks
):
    client.force_login(cm)
    with django_capture_on_commit_callbacks(execute=True):
        add_absence(client, Aide.objects.get(code="AIDE-1"))
    absence = Absence.objects.get()
    url = reverse("admin:staffing_absence_change", args=[absence.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"aide": absence.aide_id, "date": "2026-11-25", "start": "", "end": "",
             "reason": "moved"},
        )  # fmt: skip

    assert response.status_code == 302
    assert rows() == [("AIDE-1", dt.date(2026, 11, 25), None, None, "moved")]
    assert sorted(PlanRepair.objects.values_list("date", "trigger")) == [
        (TUESDAY, "absence recorded by cm_admin"),
        (dt.date(2026, 11, 25), "absence changed by cm_admin"),
    ]
    # Tuesday keeps its substitute (a return moves no one); Wednesday's hour goes to AIDE-2.
    assert plan(week, dt.date(2026, 11, 25)) == [
        (dt.date(2026, 11, 25), "AIDE-2", "M-MED", 540, 600)
    ]


def test_removing_several_absences_at_once_cancels_each_through_the_service(
    client, director_a, week, django_capture_on_commit_callbacks
):
    first, second = Aide.objects.get(code="AIDE-1"), Aide.objects.get(code="AIDE-2")
    kept = Absence.objects.create(district=week, aide=first, date=dt.date(2026, 11, 26))
    gone = [
        Absence.objects.create(district=week, aide=first, date=TUESDAY).pk,
        Absence.objects.create(district=week, aide=second, date=TUESDAY).pk,
    ]
    client.force_login(director_a)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("admin:staffing_absence_changelist"),
            {"action": "delete_selected", "_selected_action": gone, "post": "yes"},
        )

    assert response.status_code == 302
    assert list(Absence.objects.values_list("pk", flat=True)) == [kept.pk]
    assert len(callbacks) == 2  # one re-plan queued per absence removed


def test_an_absence_saved_by_another_writer_first_is_refused_and_nothing_is_written(
    client, cm, week, monkeypatch
):
    first = Aide.objects.get(code="AIDE-1")
    # The form's check passes; before the save takes the aide's lock, another writer has
    # recorded an overlapping absence (their row stands in for that timing).
    monkeypatch.setattr(allocations_admin, "absence_check", lambda **kwargs: None)
    Absence.objects.create(district=week, aide=first, date=TUESDAY, start=540, end=600)
    client.force_login(cm)

    response = add_absence(client, first, start="09:30", end="11:00")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:staffing_absence_add")
    page = client.get(response["Location"]).content.decode()
    assert "already absent on 2026-11-24 09:00-10:00: the absences would overlap" in page
    assert rows() == [("AIDE-1", TUESDAY, 540, 600, "")]
    assert PlanRepair.objects.count() == 0


def test_another_districts_absence_is_a_404_and_stays(client, director_b, week):
    absence = Absence.objects.create(
        district=week, aide=Aide.objects.get(code="AIDE-1"), date=TUESDAY
    )
    client.force_login(director_b)

    delete = client.post(
        reverse("admin:staffing_absence_delete", args=[absence.pk]), {"post": "yes"}
    )
    change = client.post(
        reverse("admin:staffing_absence_change", args=[absence.pk]),
        {"aide": absence.aide_id, "date": "2026-11-25", "start": "", "end": "", "reason": "x"},
    )

    assert (delete.status_code, change.status_code) == (404, 404)
    assert rows() == [("AIDE-1", TUESDAY, None, None, "")]
