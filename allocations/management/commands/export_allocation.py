"""`python manage.py export_allocation --district CODE --week YYYY-MM-DD --out DIR`"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from allocations.management.commands._args import district_arg, week_arg
from allocations.selectors import alert_rows, assignment_rows, run_current, shortfall_rows
from staffing.csvsafe import csv_writer
from staffing.timeofday import format_hhmm

ASSIGNMENT_COLUMNS = ["date", "aide_code", "student_code", "mandate_code", "start", "end"]
SHORTFALL_COLUMNS = [
    "date",
    "school_code",
    "student_code",
    "mandate_code",
    "support",
    "setting",
    "start",
    "end",
    "due_minutes",
    "staffed_minutes",
    "unstaffed_minutes",
]
ALERT_COLUMNS = [
    "date",
    "school_code",
    "student_code",
    "mandate_code",
    "severity",
    "cause",
    "unstaffed_minutes",
    "status",
]


class Command(BaseCommand):
    help = "Write the week's current plan as assignments.csv, shortfall.csv and alerts.csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True)
        parser.add_argument("--week", required=True)
        parser.add_argument("--out", required=True, help="output folder (created if missing)")

    def handle(self, *args: Any, **options: Any) -> None:
        district = district_arg(options["district"])
        week_start = week_arg(options["week"])
        run = run_current(district=district, week_start=week_start)
        if run is None:
            raise CommandError(
                f"No allocation for {district.code} in the week of {week_start}: "
                f"run `manage.py allocate --district {district.code} --week {week_start}` first"
            )
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        with (out / "assignments.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv_writer(fh, lineterminator="\n")
            writer.writerow(ASSIGNMENT_COLUMNS)
            rows = assignment_rows(district=district, run=run)
            for a in rows:
                writer.writerow(
                    [
                        a.date.isoformat(),
                        a.aide_code,
                        a.student_code,
                        a.mandate_code,
                        format_hhmm(a.start),
                        format_hhmm(a.end),
                    ]
                )
        shortfall = 0
        with (out / "shortfall.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv_writer(fh, lineterminator="\n")
            writer.writerow(SHORTFALL_COLUMNS)
            for s in shortfall_rows(district=district, run=run):
                shortfall += 1
                writer.writerow(
                    [
                        s.date.isoformat(),
                        s.school_code,
                        s.student_code,
                        s.mandate_code,
                        s.support,
                        s.setting,
                        format_hhmm(s.start),
                        format_hhmm(s.end),
                        s.due_minutes,
                        s.staffed_minutes,
                        s.unstaffed_minutes,
                    ]
                )
        alerts = alert_rows(district=district, week_start=week_start)
        with (out / "alerts.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv_writer(fh, lineterminator="\n")
            writer.writerow(ALERT_COLUMNS)
            for alert in alerts:
                writer.writerow(
                    [
                        alert.date.isoformat() if alert.date else "",
                        alert.school_code,
                        alert.student_code,
                        alert.mandate_code,
                        alert.severity,
                        alert.cause,
                        alert.unstaffed_minutes,
                        alert.status,
                    ]
                )
        self.stdout.write(
            f"Wrote {len(rows)} assignment rows, {shortfall} shortfall rows and "
            f"{len(alerts)} alert rows to {out}"
        )
