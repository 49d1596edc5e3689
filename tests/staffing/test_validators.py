"""The one set of input rules (staffing.validators) and CSV cells that spreadsheets cannot run
(staffing.csvsafe)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CheckConstraint

from staffing.csvsafe import csv_writer, safe_cell
from staffing.models import Aide, Contract
from staffing.validators import (
    CODE_VALIDATOR,
    DAY_IN_WINDOW,
    SPAN_DATE_IN_WINDOW,
    dates_around,
    field_range,
    validate_qualification_list,
)
from students.models import ParaMandate

DEC_1 = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("today", "day_window", "span_window"),
    [
        (DEC_1, ("2024-07-01", "2029-06-30"), ("2000-07-01", "2029-06-30")),
        (dt.date(2027, 6, 30), ("2024-07-01", "2029-06-30"), ("2000-07-01", "2029-06-30")),
        (dt.date(2027, 7, 1), ("2025-07-01", "2030-06-30"), ("2000-07-01", "2030-06-30")),
    ],
)
def test_the_date_window_is_whole_school_years_around_today(today, day_window, span_window):
    assert tuple(d.isoformat() for d in DAY_IN_WINDOW.window(today)) == day_window
    assert tuple(d.isoformat() for d in SPAN_DATE_IN_WINDOW.window(today)) == span_window


def test_the_window_follows_its_settings(settings):
    settings.INPUT_DATE_SCHOOL_YEARS_BACK = 0
    settings.INPUT_DATE_SCHOOL_YEARS_AHEAD = 1
    settings.INPUT_DATE_EARLIEST = "2020-01-01"

    assert DAY_IN_WINDOW.window(DEC_1) == (dt.date(2026, 7, 1), dt.date(2028, 6, 30))
    assert SPAN_DATE_IN_WINDOW.window(DEC_1) == (dt.date(2020, 1, 1), dt.date(2028, 6, 30))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (dt.date(1, 1, 1), "0001-01-01 is outside the dates accepted, 2024-07-01 to 2029-06-30."),
        (dt.date(2024, 6, 30), "2024-06-30 is outside the dates accepted, 2024-07-01 to 2029-06-30."),
        (dt.date(9999, 12, 31), "9999-12-31 is outside the dates accepted, 2024-07-01 to 2029-06-30."),
    ],
)  # fmt: skip
def test_a_day_outside_the_window_is_refused_around_the_given_today(value, message):
    with dates_around(DEC_1), pytest.raises(ValidationError) as refused:
        DAY_IN_WINDOW(value)
    assert refused.value.messages == [message]


def test_the_window_edges_are_accepted():
    with dates_around(DEC_1):
        DAY_IN_WINDOW(dt.date(2024, 7, 1))
        DAY_IN_WINDOW(dt.date(2029, 6, 30))
        SPAN_DATE_IN_WINDOW(dt.date(2000, 7, 1))


def test_number_limits_do_not_depend_on_the_database(monkeypatch):
    """SQLite reports a 64-bit range for every integer column; the fields still stop at the
    production column's (or the week's) limit."""
    monkeypatch.setattr(
        connection.ops, "integer_field_range", lambda internal_type: (0, 9223372036854775807)
    )
    cap = Contract._meta.get_field("weekly_minute_cap").clone()
    minutes = Aide._meta.get_field("max_weekly_minutes").clone()

    assert connection.ops.integer_field_range("PositiveIntegerField") == (0, 9223372036854775807)
    assert field_range(cap) == (0, 2147483647)
    assert field_range(minutes) == (0, 10080)


@pytest.mark.parametrize("code", ["-2+3", "+1", "=SUM(A1)", "@A1", "A B", "", "x" * 65])
def test_codes_that_a_spreadsheet_would_run_or_that_are_malformed_are_refused(code):
    with pytest.raises(ValidationError):
        CODE_VALIDATOR(code)


@pytest.mark.parametrize("code", ["LINCOLN", "A-1", "M_2.b", "9", "x" * 64])
def test_ordinary_codes_are_accepted(code):
    CODE_VALIDATOR(code)


def test_a_qualification_list_is_codes_separated_by_semicolons():
    validate_qualification_list("MEDICAL; BEHAVIOR;;")
    with pytest.raises(ValidationError) as refused:
        validate_qualification_list("MEDICAL;=cmd|' /C calc'!A0")
    assert refused.value.messages == [
        "'=cmd|' /C calc'!A0' is not a qualification code: "
        "Use 1-64 letters, digits, '-', '_' or '.', not starting with '-'."
    ]


def test_every_check_constraint_of_staffing_and_students_says_what_is_wrong_in_words():
    defaults = []
    for app in ("staffing", "students"):
        for model in apps.get_app_config(app).get_models():
            for constraint in model._meta.constraints:
                if not isinstance(constraint, CheckConstraint):
                    continue
                message = constraint.get_violation_error_message()
                if "is violated" in message or constraint.name in message:
                    defaults.append(constraint.name)
    assert defaults == []


@pytest.mark.django_db
def test_a_model_check_names_the_problem_not_the_constraint(district_a, student_a):
    contract = Contract(
        district=district_a,
        code="C1",
        agency="Sunrise",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 8, 31),
        weekly_minute_cap=600,
        hourly_rate=Decimal("40.00"),
    )
    mandate = ParaMandate(
        district=district_a,
        student=student_a,
        code="M1",
        support="shared",
        max_group=None,
        starts_on=dt.date(2026, 9, 1),
    )

    with pytest.raises(ValidationError) as contract_refused:
        contract.validate_constraints()
    with pytest.raises(ValidationError) as mandate_refused:
        mandate.validate_constraints()

    assert contract_refused.value.messages == ["The contract must not end before it starts."]
    assert mandate_refused.value.messages == [
        "A shared mandate needs a group size from 2 to 8; a 1:1 mandate takes none."
    ]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1+cmd", "'+1+cmd"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-15", "-15"),
        ("-2.50", "-2.50"),
        (-15, -15),
        (Decimal("-2.50"), Decimal("-2.50")),
        ("LINCOLN", "LINCOLN"),
        ("A-1", "A-1"),
        ("", ""),
        (None, None),
    ],
)  # fmt: skip
def test_formula_text_is_quoted_and_numbers_are_left_alone(value, cell):
    assert safe_cell(value) == cell


def test_the_writer_quotes_every_formula_cell():
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["school_code", "name", "minutes"])
    writer.writerows([["LINCOLN", "=1+1", -15], ["@X", "Lincoln", 60]])

    assert out.getvalue() == "school_code,name,minutes\nLINCOLN,'=1+1,-15\n'@X,Lincoln,60\n"
