"""report.csv quotes a text cell that a spreadsheet would run as a formula (issue 9, item 5);
rows written before codes were checked, or by SQL, can still hold one."""

from __future__ import annotations

from allocations.reports.render import report_csv, view_of
from allocations.reports.scoped import Reader
from allocations.reports.services import report_build
from staffing.models import School
from tests.allocations.conftest import WEEK


def test_report_csv_quotes_a_formula_school_code(report_week):
    School.objects.filter(code="LINCOLN").update(code="+1+cmd")
    report = report_build(district=report_week, week_start=WEEK)

    assert report_csv(view_of(report, Reader())) == (
        "school_code,setting,support,due_minutes,staffed_minutes,unstaffed_minutes\n"
        "'+1+cmd,classroom,one_to_one,600,300,300\n"
        "'+1+cmd,lunch,shared,60,60,0\n"
    )
