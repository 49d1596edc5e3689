"""A bundle cell that its database column or the domain cannot hold is refused with the usual
file, line and column error, whatever the database, instead of stopping the import with a
traceback (issue 9, item 5); nothing is written."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from staffing.models import District, School
from tests.allocations.bundle.bundles import FILES, with_row, write_bundle

pytestmark = pytest.mark.django_db

MANDATE = "M9,S1,one_to_one,,classroom,{location},mon,08:00,09:00,{quals},2026-09-01,"


def _refused(folder) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_district", str(folder), stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


@pytest.fixture
def december_1st(monkeypatch):
    """The import's clock at 2026-12-01 in the district's time zone (school year 2026-27)."""
    now = dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)


CASES = {
    "first name of 5,000 characters": (
        with_row("students.csv", "S3,LINCOLN," + "x" * 5000 + ",Stone,3"),
        ["students.csv line 4, column first_name: "
         "Ensure this value has at most 100 characters (it has 5000)."],
    ),
    "aide name of 300 characters": (
        with_row("aides.csv", "A4," + "n" * 300 + ",district,LINCOLN,100,20"),
        ["aides.csv line 5, column name: "
         "Ensure this value has at most 200 characters (it has 300)."],
    ),
    "location of 300 characters": (
        with_row("mandates.csv", MANDATE.format(location="r" * 300, quals="")),
        ["mandates.csv line 5, column location: "
         "Ensure this value has at most 100 characters (it has 300)."],
    ),
    "closure reason of 201 characters": (
        with_row("closures.csv", "2026-12-24,," + "w" * 201),
        ["closures.csv line 4, column reason: "
         "Ensure this value has at most 200 characters (it has 201)."],
    ),
    "weekly cap beyond the column": (
        with_row("contracts.csv", "C2,Agency,2026-08-15,2026-11-24,99999999999,45.50"),
        ["contracts.csv line 3, column weekly_minute_cap: "
         "99999999999 is out of range (must be from 0 to 2147483647)"],
    ),
    "more weekly minutes than a week has": (
        with_row("aides.csv", "A4,Di Wu,district,LINCOLN,10081,20"),
        ["aides.csv line 5, column max_weekly_minutes: "
         "10081 is out of range (must be from 0 to 10080)"],
    ),
    "negative hourly cost": (
        with_row("aides.csv", "A4,Di Wu,district,LINCOLN,100,-1"),
        ["aides.csv line 5, column hourly_cost: Must not be negative."],
    ),
    "hourly rate beyond the column": (
        with_row("contracts.csv", "C2,Agency,2026-08-15,2026-11-24,600,1000000"),
        ["contracts.csv line 3, column hourly_rate: "
         "Ensure that there are no more than 8 digits in total."],
    ),
    "formula as a required qualification": (
        with_row("mandates.csv", MANDATE.format(location="RM-1", quals="=cmd|' /C calc'!A0")),
        ["mandates.csv line 5, column required_qualifications: '=cmd|' /C calc'!A0' is not "
         "a valid code (1-64 letters, digits, '-', '_', '.', not starting with '-')"],
    ),
    "code starting with '-'": (
        with_row("schools.csv", "-2+3,Minus School"),
        ["schools.csv line 4, column school_code: '-2+3' is not a valid code "
         "(1-64 letters, digits, '-', '_', '.', not starting with '-')"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_cell_beyond_its_column_is_an_error_not_a_traceback(tmp_path, case):
    files, expected = CASES[case]
    assert _refused(write_bundle(tmp_path / "b", files=files)) == expected
    assert District.objects.count() == 0
    assert School.objects.count() == 0


def test_dates_outside_the_window_are_refused(tmp_path, december_1st):
    files = {
        **with_row("contracts.csv", "C2,Agency,2026-08-15,9999-12-31,600,45.50"),
        **with_row("absences.csv", "A1,0001-01-01,,,typo"),
        **with_row("mandates.csv", "M9,S1,one_to_one,,classroom,RM-1,mon,08:00,09:00,,"
                   "1999-09-01,"),
    }  # fmt: skip
    assert _refused(write_bundle(tmp_path / "b", files=files)) == [
        "contracts.csv line 3, column ends_on: 9999-12-31 is outside the dates accepted, "
        "2000-07-01 to 2029-06-30.",
        "mandates.csv line 5, column starts_on: 1999-09-01 is outside the dates accepted, "
        "2000-07-01 to 2029-06-30.",
        "absences.csv line 4, column date: 0001-01-01 is outside the dates accepted, "
        "2024-07-01 to 2029-06-30.",
    ]
    assert District.objects.count() == 0


def test_the_window_is_a_setting(tmp_path, settings, december_1st):
    settings.INPUT_DATE_SCHOOL_YEARS_AHEAD = 0
    settings.INPUT_DATE_EARLIEST = "2026-07-01"
    files = {"contracts.csv": [FILES["contracts.csv"][0],
                               "C1,Sunrise Staffing,2026-06-30,2027-07-01,600,45.50"]}  # fmt: skip
    assert _refused(write_bundle(tmp_path / "b", files=files)) == [
        "contracts.csv line 2, column ends_on: 2027-07-01 is outside the dates accepted, "
        "2026-07-01 to 2027-06-30.",
        "contracts.csv line 2, column starts_on: 2026-06-30 is outside the dates accepted, "
        "2026-07-01 to 2027-06-30.",
    ]


def test_a_district_name_beyond_its_column_is_refused(tmp_path):
    folder = write_bundle(
        tmp_path / "b", district={"code": "ALPHA", "name": "N" * 300, "timezone": "UTC"}
    )
    assert _refused(folder) == [
        "district.json: 'name': Ensure this value has at most 200 characters (it has 300)."
    ]
    assert District.objects.count() == 0
