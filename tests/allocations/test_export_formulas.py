"""Every text cell of export_allocation's files that a spreadsheet would run as a formula
starts with a single quote (issue 9, item 5). Codes can no
longer start so, but rows written before the rule, or by SQL, still can."""

from __future__ import annotations

import csv

from django.core.management import call_command

from staffing.models import School
from students.models import ParaMandate, Student


def _rows(path):
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_export_allocation_quotes_formula_codes(week, tmp_path):
    School.objects.filter(code="LINCOLN").update(code='=HYPERLINK("http://x")')
    Student.objects.filter(code="STU-A").update(code="-2+3+cmd|' /C calc'!A0")
    ParaMandate.objects.filter(code="M-MED").update(code="@SUM(A1)")
    call_command("record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date",
                 "2026-11-24")  # fmt: skip
    call_command("record_absence", "--district", "ALPHA", "--aide", "AIDE-2", "--date",
                 "2026-11-24")  # fmt: skip

    call_command(
        "export_allocation", "--district", "ALPHA", "--week", "2026-11-23", "--out", str(tmp_path)
    )

    assignments = _rows(tmp_path / "assignments.csv")
    assert assignments[1] == [
        "2026-11-23", "AIDE-1", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)", "09:00", "10:00"
    ]  # fmt: skip
    assert _rows(tmp_path / "alerts.csv")[1] == [
        "2026-11-24", "'=HYPERLINK(\"http://x\")", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)",
        "critical", "aide_absent", "60", "open",
    ]  # fmt: skip
    assert _rows(tmp_path / "shortfall.csv")[1][:4] == [
        "2026-11-23",
        '\'=HYPERLINK("http://x")',
        "'-2+3+cmd|' /C calc'!A0",
        "'@SUM(A1)",
    ]
