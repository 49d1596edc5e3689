"""Absence repair benchmark: in one imported and allocated district week, record random
absences one after another and time each repair the way `manage.py record_absence` runs it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paracover \
        .venv/bin/python bench/repair.py [--size xl] [--absences 200] [--seed 1]

Timed per absence: recording it and re-planning the school-days it touches (load the school
week, solve, write the rows, update the run's figures and the alerts), in one process that stays
warm as a worker would. Half the absences are whole days, half two hours of the aide's day.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEEK = "2026-11-23"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="xl")
    parser.add_argument("--absences", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command

    from allocations.absences import absence_record, absence_replan
    from allocations.alerts import alerts_sync
    from allocations.models import Alert, Assignment
    from allocations.services import allocation_run
    from staffing.models import Absence, District

    code = f"REPAIR-{args.size.upper()}"
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        call_command(
            "generate_district", str(bundle), size=args.size, seed=args.seed, code=code,
            week=WEEK, stdout=open(os.devnull, "w"),  # noqa: SIM115
        )  # fmt: skip
        call_command("import_district", str(bundle), stdout=open(os.devnull, "w"))  # noqa: SIM115
    district = District.objects.get(code=code)
    week = dt.date.fromisoformat(WEEK)
    started = time.perf_counter()
    run = allocation_run(district=district, week_start=week)
    allocate_s = time.perf_counter() - started
    alerts = Alert.objects.filter(district=district).count()
    print(
        f"{args.size}: allocated in {allocate_s:.1f} s (alerts included: {alerts} raised), "
        f"coverage {run.covered_minutes}/{run.due_minutes}"
    )
    Alert.objects.filter(district=district).delete()
    started = time.perf_counter()
    alerts_sync(district=district, run=run)
    fresh_s = time.perf_counter() - started
    started = time.perf_counter()
    alerts_sync(district=district, run=run)
    print(
        f"alerts of the whole week: raised afresh in {fresh_s:.2f} s, "
        f"synced again (nothing changed) in {time.perf_counter() - started:.2f} s"
    )

    # Aide-days with work planned and no absence yet, Monday to Friday, in a seeded random order.
    away = set(Absence.objects.filter(district=district).values_list("aide__code", "date"))
    days = list(
        Assignment.objects.filter(run=run, date__lt=week + dt.timedelta(days=5))
        .values_list("aide__code", "date")
        .distinct()
        .order_by("aide__code", "date")
    )
    days = [day for day in days if day not in away]
    spans = {}
    for aide_code, on, start, end in Assignment.objects.filter(run=run).values_list(
        "aide__code", "date", "start", "end"
    ):
        lo, hi = spans.get((aide_code, on), (start, end))
        spans[(aide_code, on)] = (min(lo, start), max(hi, end))
    rng = random.Random(args.seed)
    picked = rng.sample(days, min(args.absences, len(days)))
    times: list[float] = []
    solve: list[float] = []
    lost = recovered = 0
    for i, (aide_code, on) in enumerate(picked):
        start = end = None
        if i % 2:
            lo, hi = spans[(aide_code, on)]
            first = lo + 15 * rng.randrange(max(1, (hi - lo) // 15))
            start, end = first, min(first + 120, 24 * 60)
        began = time.perf_counter()
        absence = absence_record(
            district=district, aide_code=aide_code, on=on, start=start, end=end, reason="bench"
        )
        replan = absence_replan(
            district=district, aide_id=absence.aide_id, on=on, trigger="bench/repair.py"
        )
        times.append(time.perf_counter() - began)
        if replan.repair is not None:
            repair = replan.repair
            solve.append(repair.solve_seconds)
            lost += sum(1 for c in repair.changes if not c["after"])
            recovered += sum(1 for c in repair.changes if c["after"])

    times.sort()

    def p(q: float) -> float:
        return times[min(len(times) - 1, round(q * (len(times) - 1)))] * 1000

    print(
        f"{len(times)} absences: record + re-plan p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, "
        f"max {p(1.0):.0f} ms, mean {statistics.mean(times) * 1000:.0f} ms; "
        f"engine solve p50 {statistics.median(solve) * 1000:.0f} ms, "
        f"max {max(solve) * 1000:.0f} ms"
    )
    print(f"changed runs: {recovered} re-staffed, {lost} left unstaffed")


if __name__ == "__main__":
    main()
