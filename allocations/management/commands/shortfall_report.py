"""`python manage.py shortfall_report --district CODE --week YYYY-MM-DD [--out DIR]`"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from allocations.management.commands._args import district_arg, week_arg
from allocations.reports.pdf import report_pdf
from allocations.reports.render import report_csv, report_html, view_of
from allocations.reports.scoped import Reader
from allocations.reports.services import ReportError, report_build


class Command(BaseCommand):
    help = (
        "Build the week's shortfall report (allocating the week first if it has no plan) in "
        "place of any earlier one; with --out, write report.csv, report.html and report.pdf."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True)
        parser.add_argument("--week", required=True, help="the Monday of the week")
        parser.add_argument("--out", help="output folder (created if missing)")

    def handle(self, *args: Any, **options: Any) -> None:
        district = district_arg(options["district"])
        week_start = week_arg(options["week"])
        try:
            report = report_build(district=district, week_start=week_start)
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        except Exception as exc:
            raise CommandError(
                f"The report failed and is stored as failed: {type(exc).__name__}: {exc}"
            ) from None
        view = view_of(report, Reader())
        self.stdout.write(
            f"Report {report.pk} of {district.code}, week of {week_start}: "
            f"{view.total.unstaffed:,} of {view.total.due:,} minutes unstaffed "
            f"({report.build_seconds:.1f} s)"
        )
        if options["out"]:
            out = Path(options["out"])
            out.mkdir(parents=True, exist_ok=True)
            (out / "report.csv").write_text(report_csv(view), encoding="utf-8")
            (out / "report.html").write_text(report_html(report, Reader()), encoding="utf-8")
            built = f"{report.built_at:%Y-%m-%d %H:%M} UTC"
            (out / "report.pdf").write_bytes(report_pdf(view, built=built))
            self.stdout.write(f"Wrote report.csv, report.html and report.pdf to {out}")
