"""Allocation benchmark: generate, import and allocate a district week per size, with a
first-fit greedy baseline on the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paracover \
        .venv/bin/python bench/allocate.py [SIZES...]

Each size runs in a child process so that its peak memory is its own. Timed: `allocation_run`
(load from the database, solve, save), the same path as `manage.py allocate`.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ["tiny", "small", "medium", "large", "xl"]
WEEK = "2026-11-23"


def one(size: str) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command

    from allocations import engine
    from allocations.adapter import problem_for_week
    from allocations.services import allocation_run
    from staffing.models import District

    code = f"BENCH-{size.upper()}"
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        call_command(
            "generate_district", str(bundle), size=size, seed=1, code=code, week=WEEK,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )  # fmt: skip
        call_command("import_district", str(bundle), stdout=open(os.devnull, "w"))  # noqa: SIM115
    district = District.objects.get(code=code)
    week = dt.date.fromisoformat(WEEK)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    run = allocation_run(district=district, week_start=week)
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    problem = problem_for_week(district=district, week_start=week)
    greedy_started = time.perf_counter()
    greedy = engine.allocate_greedy(problem).figures
    greedy_wall = time.perf_counter() - greedy_started

    def pct(part: int, whole: int) -> float:
        return round(100 * part / whole, 2) if whole else 100.0

    return {
        "size": size,
        "schools": len(problem.schools),
        "aides": len(problem.aides),
        "mandates": len(problem.mandates),
        "due": run.due_minutes,
        "coverage": pct(run.covered_minutes, run.due_minutes),
        "safety_coverage": pct(run.safety_covered_minutes, run.safety_due_minutes),
        "bound": run.bound_minutes,
        "of_bound": pct(run.covered_minutes, run.bound_minutes),
        "safety_of_bound": pct(run.safety_covered_minutes, run.safety_bound_minutes),
        "continuity": round(run.aides_per_mandate_week, 2),
        "contract_minutes": run.contract_minutes,
        "cost": str(run.cost),
        "solve_s": round(run.solve_seconds, 1),
        "wall_s": round(wall, 1),
        "peak_mb": round(peak_mb),
        "peak_before_mb": round(rss_before / 1024),
        "greedy_coverage": pct(greedy.covered_minutes, greedy.due_minutes),
        "greedy_of_bound": pct(greedy.covered_minutes, greedy.bound_minutes),
        "greedy_safety_of_bound": pct(greedy.safety_covered_minutes, greedy.safety_bound_minutes),
        "greedy_continuity": round(greedy.aides_per_mandate_week, 2),
        "greedy_contract_minutes": greedy.contract_minutes,
        "greedy_cost": str(greedy.cost),
        "greedy_s": round(greedy_wall, 1),
    }


COLUMNS = [
    ("size", "size"),
    ("schools", "schools"),
    ("aides", "aides"),
    ("mandates", "mandates"),
    ("due", "due min"),
    ("coverage", "coverage %"),
    ("safety_coverage", "safety %"),
    ("bound", "bound min"),
    ("of_bound", "% of bound"),
    ("safety_of_bound", "safety % of bound"),
    ("continuity", "aides/mandate-week"),
    ("contract_minutes", "contract min"),
    ("cost", "cost $"),
    ("wall_s", "wall s (load+solve+save)"),
    ("solve_s", "solve s"),
    ("peak_mb", "peak MB"),
    ("greedy_of_bound", "greedy % of bound"),
    ("greedy_safety_of_bound", "greedy safety % of bound"),
    ("greedy_continuity", "greedy aides/mandate-week"),
    ("greedy_contract_minutes", "greedy contract min"),
    ("greedy_cost", "greedy cost $"),
]


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2])))
        return
    sizes = sys.argv[1:] or SIZES
    print("| " + " | ".join(title for _, title in COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", size],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print("| " + " | ".join(str(row[key]) for key, _ in COLUMNS) + " |", flush=True)


if __name__ == "__main__":
    main()
