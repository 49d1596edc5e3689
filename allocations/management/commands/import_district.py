"""`python manage.py import_district BUNDLE_DIR`: all or nothing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from allocations.bundle.importer import district_import
from allocations.bundle.validate import BundleInvalid, read_bundle


class Command(BaseCommand):
    help = (
        "Import a district bundle (docs/data-format.md): create the district, or replace all of "
        "its data, in one transaction. An invalid bundle is refused whole, with every error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bundle_dir", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["bundle_dir"]
        started = time.perf_counter()
        self.stdout.write(f"Reading and checking {folder} ...")
        try:
            bundle = read_bundle(folder, max_bytes=settings.BUNDLE_MAX_FILE_BYTES)
        except BundleInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(exc.errors)} error(s) in {folder}; nothing was imported"
            ) from None
        checked = time.perf_counter()
        self.stdout.write(f"Bundle is valid ({checked - started:.1f} s). Writing ...")
        summary = district_import(
            bundle=bundle, progress=lambda note: self.stdout.write(f"  {note}")
        )
        verb = "Created" if summary.created else "Replaced all data of"
        self.stdout.write(f"{verb} district {bundle.code} ({bundle.name}):")
        for what, count in summary.counts.items():
            self.stdout.write(f"  {count:>8} {what}")
        if summary.removed_runs:
            self.stdout.write(
                f"  {summary.removed_runs} earlier allocation run(s) were removed: the data "
                "they referred to was replaced"
            )
        for link in summary.dropped_links:
            self.stdout.write(f"  dropped link (code no longer in the bundle): {link}")
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")
