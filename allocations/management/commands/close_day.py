"""`python manage.py close_day --district CODE --date YYYY-MM-DD`"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from allocations.ledger.common import LedgerError
from allocations.ledger.days import day_close
from allocations.management.commands._args import district_arg


class Command(BaseCommand):
    help = (
        "Close one school day of a district: record what the week's current plan gave every due "
        "block, accrue compensatory minutes for what was missed. A closed day is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="district code")
        parser.add_argument("--date", required=True, help="the school day, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        district, text = district_arg(options["district"]), options["date"]
        try:
            on = dt.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--date {text}: not a date YYYY-MM-DD") from None
        try:
            summary = day_close(district=district, on=on)
        except LedgerError as exc:
            raise CommandError(str(exc)) from exc
        state = (
            "already closed: nothing written"
            if summary.already_closed
            else f"closed: {summary.rows_written} record(s), "
            f"{summary.accruals_written} compensatory accrual(s) written"
        )
        flagged = ", ".join(summary.students_flagged) or "none"
        self.stdout.write(
            "\n".join(
                [
                    f"District {summary.district_code}, {on.isoformat()} {on:%A}: {state}",
                    f"Delivered:    {summary.delivered_minutes} student-minutes",
                    f"Missed:       {summary.missed_minutes} student-minutes",
                    f"Unqualified:  {summary.unqualified_minutes} student-minutes",
                    f"Newly due a missed-days notice: {flagged}",
                ]
            )
        )
