"""A stored report written out for one reader: the page's context, report.csv and report.html
(the page's own body, standalone). report.pdf is `reports.pdf`."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from allocations.reports.charts import heat_map, trend_lines
from allocations.reports.models import ShortfallReport
from allocations.reports.scoped import CSV_COLUMNS, Reader, ReportView, report_view
from staffing.csvsafe import csv_writer

HEAT_TITLE = "Coverage by school and day (worst covered first)"
TREND_TITLE = "Last eight weeks: planned coverage and delivered service"
PAGE_SCHOOLS = 30


def view_of(report: ShortfallReport, reader: Reader) -> ReportView:
    return report_view(report.content, reader)


def page_context(report: ShortfallReport, reader: Reader, *, links: bool) -> dict[str, Any]:
    """The page (`links`) lists the rows of the `PAGE_SCHOOLS` least covered schools, which a
    director reads at a glance and a browser draws at once; report.html, .csv and .pdf list
    every row."""
    view = view_of(report, reader)
    rows = view.rows
    if links and len(view.schools) > PAGE_SCHOOLS:
        shown = {m.label for m in view.schools[:PAGE_SCHOOLS]}
        rows = [row for row in view.rows if row[0] in shown]
    return {
        "report": report,
        "r": view,
        "rows": rows,
        "rows_cut": len(rows) < len(view.rows),
        "page_schools": PAGE_SCHOOLS,
        "links": links,
        "heat_chart": heat_map(view.heat, view.days, title=HEAT_TITLE),
        "trend_chart": trend_lines(view.trend, title=TREND_TITLE),
    }


def report_csv(view: ReportView) -> str:
    """report.csv: one row per school, setting and support."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(view.rows)
    return out.getvalue()


def report_html(report: ShortfallReport, reader: Reader) -> str:
    return render_to_string("reports/file.html", page_context(report, reader, links=False))
