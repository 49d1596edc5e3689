"""Invalid bundles are refused whole, every error named by file, line and column, nothing
written (and an existing district's data left exactly as it was)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from staffing.models import Aide, District, School
from students.models import MandateBlock
from tests.allocations.bundle.bundles import FILES, with_row, write_bundle

pytestmark = pytest.mark.django_db

MANDATE = "M9,S1,one_to_one,,classroom,RM-1,mon,08:00,09:00,,2026-09-01,"
CASES = {
    "missing file": (
        {"students.csv": None},
        ["students.csv: required file is missing"],
    ),
    "missing column": (
        {"schools.csv": ["school_code", "LINCOLN", "WASH"]},
        ["schools.csv line 1, column name: required column is missing"],
    ),
    "empty required cell": (
        with_row("students.csv", "S3,LINCOLN,,Stone,3"),
        ["students.csv line 4, column first_name: required value is empty"],
    ),
    "bad code": (
        with_row("schools.csv", "BAD CODE!,Somewhere"),
        ["schools.csv line 4, column school_code: 'BAD CODE!' is not a valid code "
         "(1-64 letters, digits, '-', '_', '.', not starting with '-')"],
    ),
    "duplicate code": (
        with_row("aides.csv", "A1,Again,district,LINCOLN,100,20"),
        ["aides.csv line 5, column aide_code: duplicate code 'A1' (first on line 2)"],
    ),
    "unknown school": (
        with_row("students.csv", "S3,NOWHERE,Cal,Stone,3"),
        ["students.csv line 4, column school_code: unknown school 'NOWHERE'"],
    ),
    "unknown aide": (
        with_row("aide_qualifications.csv", "A9,ASL,"),
        ["aide_qualifications.csv line 4, column aide_code: unknown aide 'A9'"],
    ),
    "unknown contract": (
        with_row("aides.csv", "A4,Di Wu,C9,LINCOLN,100,20"),
        ["aides.csv line 5, column employer: 'C9' is neither 'district' nor a contract_code "
         "of contracts.csv"],
    ),
    "time off the grid": (
        with_row("aide_availability.csv", "A1,tue,08:10,09:00"),
        ["aide_availability.csv line 6, column start: '08:10' is not on the 15-minute grid"],
    ),
    "end not after start": (
        with_row("aide_availability.csv", "A1,tue,10:00,09:00"),
        ["aide_availability.csv line 6, column end: end 09:00 is not after start 10:00"],
    ),
    "bad date": (
        with_row("closures.csv", "2026-02-30,,leap"),
        ["closures.csv line 4, column date: '2026-02-30' is not a date YYYY-MM-DD"],
    ),
    "unknown weekday": (
        with_row("aide_availability.csv", "A1,funday,08:00,09:00"),
        ["aide_availability.csv line 6, column weekday: 'funday' is not a weekday "
         "(mon, tue, wed, thu, fri, sat, sun)"],
    ),
    "shared without max_group": (
        with_row("mandates.csv", "M9,S1,shared,,lunch,cafeteria,tue,11:00,11:30,,2026-09-01,"),
        ["mandates.csv line 5, column max_group: a shared mandate needs max_group (2-8)"],
    ),
    "max_group out of range": (
        with_row("mandates.csv", "M9,S1,shared,9,lunch,cafeteria,tue,11:00,11:30,,2026-09-01,"),
        ["mandates.csv line 5, column max_group: 9 is out of range (must be from 2 to 8)"],
    ),
    "rows of one mandate disagree": (
        with_row("mandates.csv", "M1,S2,one_to_one,,classroom,RM-100,tue,08:00,09:00,BEHAVIOR,2026-09-01,"),
        ["mandates.csv line 5, column student_code: 'S2' disagrees with line 2 of mandate 'M1' ('S1')"],
    ),
    "absences overlap": (
        with_row("absences.csv", "A2,2026-11-24,09:00,11:00,dentist"),
        ["absences.csv line 4, column date: overlaps the absence of aide 'A2' on line 3"],
    ),
    "absence with only a start": (
        with_row("absences.csv", "A3,2026-11-25,09:00,,late"),
        ["absences.csv line 4, column end: give both start and end, or neither for a whole day"],
    ),
    "ragged row": (
        with_row("schools.csv", "EXTRA,Extra School,surplus"),
        ["schools.csv line 4: has 3 fields but the header has 2"],
    ),
}  # fmt: skip


def _refused(folder) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_district", str(folder), stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_error_is_named_and_nothing_is_written(tmp_path, case):
    files, expected = CASES[case]
    assert _refused(write_bundle(tmp_path / "b", files=files)) == expected
    assert District.objects.count() == 0
    assert School.objects.count() == 0


def test_every_error_is_listed_not_just_the_first(tmp_path):
    files = {
        **with_row("schools.csv", "LINCOLN,Again"),
        **with_row("aides.csv", "A4,Di Wu,district,LINCOLN,-5,20"),
        **with_row("mandates.csv", "M9,S1,one_to_one,2,gym,RM-1,mon,08:00,09:00,,2026-09-01,"),
    }
    assert _refused(write_bundle(tmp_path / "b", files=files)) == [
        "schools.csv line 4, column school_code: duplicate code 'LINCOLN' (first on line 2)",
        "aides.csv line 5, column max_weekly_minutes: -5 is out of range (must be from 0 to 10080)",
        "mandates.csv line 5, column max_group: must be empty for one_to_one support",
        "mandates.csv line 5, column setting: 'gym' is not one of bus, classroom, community, "
        "lunch, personal_care, recess, specials, transition",
    ]


def test_invalid_reimport_leaves_the_existing_district_intact(tmp_path):
    call_command("import_district", str(write_bundle(tmp_path / "good")), stdout=StringIO())
    before = sorted(Aide.objects.values_list("pk", "code", "max_weekly_minutes"))
    blocks = MandateBlock.objects.count()

    changed_aides = [
        FILES["aides.csv"][0],
        "A1,Ann Lee,district,LINCOLN,999,25.00",
        *FILES["aides.csv"][2:],
    ]
    bad = {"aides.csv": changed_aides, **with_row("students.csv", "S3,NOWHERE,Cal,Stone,3")}
    assert _refused(write_bundle(tmp_path / "bad", files=bad)) == [
        "students.csv line 4, column school_code: unknown school 'NOWHERE'"
    ]
    assert sorted(Aide.objects.values_list("pk", "code", "max_weekly_minutes")) == before
    assert MandateBlock.objects.count() == blocks


def test_district_json_errors(tmp_path):
    folder = write_bundle(
        tmp_path / "b", district={"code": "ALPHA", "name": "", "timezone": "Mars/Base"}
    )
    assert _refused(folder) == [
        "district.json: 'name' is missing or empty",
        "district.json: 'timezone' 'Mars/Base' is not a known time zone",
    ]
    (folder / "district.json").write_text("{not json", encoding="utf-8")
    assert _refused(folder)[0].startswith("district.json: not valid JSON")


def test_not_utf8_binary_and_huge_files_are_refused(tmp_path, settings):
    folder = write_bundle(tmp_path / "b")
    (folder / "schools.csv").write_bytes("school_code,name\nLINCOLN,Caf\xe9\n".encode("latin-1"))
    (folder / "closures.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    lines = _refused(folder)
    assert lines[:2] == [
        "schools.csv: not UTF-8 text (byte 0xe9 at offset 28)",
        "closures.csv: not a CSV text file (it contains NUL bytes)",
    ]

    settings.BUNDLE_MAX_FILE_BYTES = 100
    lines = _refused(write_bundle(tmp_path / "c"))
    assert "mandates.csv: file is 336 bytes, over the 100-byte limit" in lines
    assert District.objects.count() == 0


def test_unterminated_quote_is_reported_with_its_line(tmp_path):
    folder = write_bundle(
        tmp_path / "b", files={"schools.csv": ["school_code,name", 'LINCOLN,"Lincoln', "WASH,Wash"]}
    )
    lines = _refused(folder)
    assert lines[0].startswith("schools.csv line ")
    assert "not valid CSV" in lines[0]
