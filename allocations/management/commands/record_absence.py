"""`python manage.py record_absence --district CODE --aide AIDE_CODE --date YYYY-MM-DD
[--start HH:MM --end HH:MM] [--reason TEXT]`"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from allocations.absences import AbsenceError, absence_record, absence_replan
from allocations.management.commands._args import date_arg, district_arg
from staffing.models import Absence
from staffing.timeofday import format_span, parse_hhmm


def _minutes(options: dict[str, Any], flag: str) -> int | None:
    """`--start`/`--end` HH:MM as minutes since midnight (None when not given)."""
    text = options[flag]
    if not text:
        return None
    try:
        return parse_hhmm(text)
    except ValueError as exc:
        raise CommandError(f"--{flag}: {exc}") from exc


def _worded(exc: AbsenceError, options: dict[str, Any]) -> str:
    """The service's refusal in the command's terms: the flags concerned, with the values given
    (but not a reason, which may be long), then what is wrong."""
    if not exc.fields:
        return exc.message
    flags = " and ".join(
        f"--{name} {options[name]}" if options.get(name) and name != "reason" else f"--{name}"
        for name in exc.fields
    )
    return f"{flags}: {exc.message}"


class Command(BaseCommand):
    help = (
        "Record an aide's absence (a whole day, or --start/--end), re-plan the school-days it "
        "touches at once, and print what changed and what is still unstaffed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="district code")
        parser.add_argument("--aide", required=True, help="aide code")
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--start", help="HH:MM; with --end, part of the day")
        parser.add_argument("--end", help="HH:MM")
        parser.add_argument("--reason", default="", help="why (sick, training...)")

    def handle(self, *args: Any, **options: Any) -> None:
        district = district_arg(options["district"])
        on = date_arg(
            options["date"], district=district, model_field=Absence._meta.get_field("date")
        )
        try:
            absence = absence_record(
                district=district,
                aide_code=options["aide"],
                on=on,
                start=_minutes(options, "start"),
                end=_minutes(options, "end"),
                reason=options["reason"],
            )
        except AbsenceError as exc:
            raise CommandError(_worded(exc, options)) from exc
        self.stdout.write(
            f"Recorded: {absence.aide.code} absent {on.isoformat()} "
            f"{format_span(absence.start, absence.end)}"
            + (f" ({absence.reason})" if absence.reason else "")
        )
        replan = absence_replan(
            district=district,
            aide_id=absence.aide_id,
            on=on,
            trigger=f"absence of {absence.aide.code} recorded by record_absence",
        )
        repair = replan.repair
        if repair is None:
            self.stdout.write(f"No re-plan: {replan.note}.")
            return
        lost = repair.covered_before - repair.covered_after
        self.stdout.write(
            f"Re-planned {on.isoformat()} at {len(repair.school_ids)} school(s) in "
            f"{repair.total_seconds:.2f} s: {repair.covered_after} of "
            f"{repair.covered_before} planned student-minutes still staffed"
            + (f" ({lost} lost)" if lost > 0 else "")
        )
        if repair.moved_minutes:
            self.stdout.write(
                f"{repair.moved_minutes} student-minutes of shared groups gave up their aide "
                "to safety-tier students."
            )
        self.stdout.write(f"Changed ({len(repair.changes)}):")
        for c in repair.changes:
            self.stdout.write(
                f"  {c['time']:<11} {c['student']} {c['mandate']} {c['setting']} "
                f"@ {c['location']}: {c['before'] or 'unstaffed'} -> {c['after'] or 'unstaffed'}"
            )
        self.stdout.write(f"Still unstaffed ({len(repair.unstaffed)}):")
        for g in repair.unstaffed:
            self.stdout.write(
                f"  {g['time']:<11} {g['student']} {g['mandate']} {g['setting']} "
                f"@ {g['location']}: {g['reason'].replace('_', ' ')}"
            )
