"""`python manage.py generate_district OUT_DIR --size tiny|small|medium|large|xl --seed N`"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from allocations.bundle.generate import PROFILES, SIZES, generate


class Command(BaseCommand):
    help = "Write a realistic synthetic district bundle (deterministic for a size and seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out_dir", type=Path)
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--code", help="district code (default SYNTH-<SIZE>-<SEED>)")
        parser.add_argument(
            "--week", default="2026-11-23", help="the Monday the data is built around"
        )
        parser.add_argument("--force", action="store_true", help="write into a non-empty folder")
        parser.add_argument(
            "--profile",
            choices=list(PROFILES),
            default="standard",
            help="how messy the district is",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out_dir"]
        if out.exists() and any(out.iterdir()) and not options["force"]:
            raise CommandError(f"{out} is not empty (use --force to write into it)")
        try:
            week = dt.date.fromisoformat(options["week"])
        except ValueError:
            raise CommandError(f"--week {options['week']}: not a date YYYY-MM-DD") from None
        code = options["code"] or f"SYNTH-{options['size'].upper()}-{options['seed']}"
        started = time.perf_counter()
        try:
            counts = generate(
                out,
                size=options["size"],
                seed=options["seed"],
                code=code,
                week=week,
                profile=options["profile"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for name, rows in counts.items():
            self.stdout.write(f"  {rows:>8} rows  {name}")
        self.stdout.write(
            f"Wrote district {code} ({options['size']}, seed {options['seed']}) to {out} "
            f"in {time.perf_counter() - started:.1f} s"
        )
