"""The admin refuses what the import refuses (issue 9, item 5): the rules are the model fields'
validators and the constraints' own messages, so every form shows them in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from staffing.models import Absence, Aide, Contract
from staffing.validators import DAY_IN_WINDOW, SPAN_DATE_IN_WINDOW
from tests import factories as f

pytestmark = pytest.mark.django_db


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def outside(validator, value: str) -> str:
    first, last = validator.window()
    return f"{value} is outside the dates accepted, {first} to {last}."


def contract_post(**changes):
    return {
        "code": "SUNRISE",
        "agency": "Sunrise Staffing",
        "starts_on": "2026-08-15",
        "ends_on": "2027-06-15",
        "weekly_minute_cap": "6000",
        "hourly_rate": "45.00",
        **changes,
    }


def form_errors(page):
    return page.context["adminform"].form.errors


def test_an_aide_with_more_minutes_than_a_week_or_a_negative_cost_is_refused(
    client, director_a, district_a
):
    aide = f.AideFactory(district=district_a, code="A-ROSA", name="Rosa Diaz")
    before = (aide.max_weekly_minutes, aide.hourly_cost)
    client.force_login(director_a)

    page = client.post(
        reverse("admin:staffing_aide_change", args=[aide.pk]),
        {
            "code": aide.code,
            "name": aide.name,
            "contract": "",
            "max_weekly_minutes": "10081",
            "hourly_cost": "-1",
            **management("aideschool_set"),
            **management("qualifications"),
            **management("availability"),
        },
    )

    assert page.status_code == 200
    assert form_errors(page) == {
        "max_weekly_minutes": ["A week has 10,080 minutes: give at most that."],
        "hourly_cost": ["Must not be negative."],
    }
    aide.refresh_from_db()
    assert (aide.max_weekly_minutes, aide.hourly_cost) == before


def test_a_contract_ending_before_it_starts_is_refused_in_words(client, director_a):
    client.force_login(director_a)

    page = client.post(
        reverse("admin:staffing_contract_add"),
        contract_post(starts_on="2026-08-15", ends_on="2026-08-14"),
    )

    assert page.status_code == 200
    assert form_errors(page) == {"__all__": ["The contract must not end before it starts."]}
    assert "The contract must not end before it starts." in page.content.decode()
    assert "contract_ends_after_start" not in page.content.decode()
    assert Contract.objects.count() == 0


def test_a_contract_ending_in_the_year_9999_or_capped_beyond_its_column_is_refused(
    client, director_a
):
    client.force_login(director_a)

    page = client.post(
        reverse("admin:staffing_contract_add"),
        contract_post(ends_on="9999-12-31", weekly_minute_cap="99999999999", hourly_rate="-1"),
    )

    assert page.status_code == 200
    assert form_errors(page) == {
        "ends_on": [outside(SPAN_DATE_IN_WINDOW, "9999-12-31")],
        "weekly_minute_cap": ["Ensure this value is less than or equal to 2147483647."],
        "hourly_rate": ["Must not be negative."],
    }
    assert Contract.objects.count() == 0


def test_an_absence_in_the_year_1_is_refused(client, director_a, district_a):
    aide = f.AideFactory(district=district_a, code="A-ROSA")
    client.force_login(director_a)

    page = client.post(
        reverse("admin:staffing_absence_add"),
        {"aide": aide.pk, "date": "0001-01-01", "start": "", "end": "", "reason": "typo"},
    )

    assert page.status_code == 200
    assert form_errors(page) == {"date": [outside(DAY_IN_WINDOW, "0001-01-01")]}
    assert Absence.objects.count() == 0
    assert Aide.objects.get().pk == aide.pk


def test_a_required_qualification_written_as_a_formula_is_refused(client, director_a, student_a):
    mandate = f.MandateFactory(
        student=student_a, code="M-1", starts_on=dt.date(2026, 9, 1), required_qualifications=""
    )
    client.force_login(director_a)

    page = client.post(
        reverse("admin:students_paramandate_change", args=[mandate.pk]),
        {
            "student": student_a.pk,
            "code": "M-1",
            "support": "one_to_one",
            "required_qualifications": "=cmd|' /C calc'!A0",
            "starts_on": "2026-09-01",
            **management("blocks"),
        },
    )

    assert page.status_code == 200
    assert form_errors(page) == {
        "required_qualifications": [
            "'=cmd|' /C calc'!A0' is not a qualification code: "
            "Use 1-64 letters, digits, '-', '_' or '.', not starting with '-'."
        ]
    }
    mandate.refresh_from_db()
    assert mandate.required_qualifications == ""


def test_a_code_starting_with_a_minus_is_refused(client, director_a):
    client.force_login(director_a)

    page = client.post(reverse("admin:staffing_contract_add"), contract_post(code="-2+3"))

    assert page.status_code == 200
    assert form_errors(page) == {
        "code": ["Use 1-64 letters, digits, '-', '_' or '.', not starting with '-'."]
    }
    assert Contract.objects.count() == 0
