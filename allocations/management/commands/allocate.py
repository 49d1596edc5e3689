"""`python manage.py allocate --district CODE --week YYYY-MM-DD`"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from allocations.management.commands._args import district_arg, week_arg
from allocations.services import AllocationError, allocation_run


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.2f}%"


class Command(BaseCommand):
    help = "Allocate aides to a district's mandated para minutes for one week, and store the plan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="district code")
        parser.add_argument("--week", required=True, help="the Monday, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        district = district_arg(options["district"])
        week_start = week_arg(options["week"])
        interactive = sys.stderr.isatty()
        last = [-1]

        def progress(pct: int, note: str) -> None:
            if interactive:
                self.stderr.write(f"\r[{pct:3d}%] {note[:70]:<70}", ending="")
            elif pct >= last[0] + 10 or pct >= 100:
                last[0] = pct
                self.stderr.write(f"[{pct:3d}%] {note}")

        try:
            run = allocation_run(district=district, week_start=week_start, progress=progress)
        except AllocationError as exc:
            raise CommandError(str(exc)) from exc
        if interactive:
            self.stderr.write("")
        gap = run.bound_minutes - run.covered_minutes
        safety_gap = run.safety_bound_minutes - run.safety_covered_minutes
        self.stdout.write(
            "\n".join(
                [
                    f"District {district.code}, week of {week_start.isoformat()} (run {run.pk})",
                    f"Coverage:        {run.covered_minutes} of {run.due_minutes} "
                    f"student-minutes ({percent(run.coverage)})",
                    f"Safety tier:     {run.safety_covered_minutes} of {run.safety_due_minutes} "
                    f"({percent(run.safety_coverage)})",
                    f"Bound:           {run.bound_minutes} ({run.bound_kind}); gap {gap} "
                    f"minutes ({percent(run.gap_to_bound)} of the bound)",
                    f"Safety bound:    {run.safety_bound_minutes}; gap {safety_gap} minutes",
                    f"Continuity:      {run.aides_per_mandate_week:.2f} aides per mandate-week",
                    f"Contract minutes: {run.contract_minutes}; cost ${run.cost}",
                    f"Time:            solve {run.solve_seconds:.1f} s, "
                    f"total {run.total_seconds:.1f} s",
                ]
            )
        )
