"""Allocation benchmark: generate, import and allocate a district week per profile and size,
with the first-fit baseline on the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paracover \
        .venv/bin/python bench/allocate.py [--profiles standard,hard] [SIZES...]

Each (profile, size) runs in a child process so that its peak memory is its own. Timed:
`allocation_run` (load from the database, solve, save), the same path as `manage.py allocate`,
split into load (the adapter), bound (the week LPs and the master step), the rest of the
solve (the guided fill) and save (everything after the engine: rows, figures, alerts).
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = ["tiny", "small", "medium", "large", "xl"]
PROFILES = ["standard", "hard"]
WEEK = "2026-11-23"


def _district(size: str, profile: str) -> Any:
    import datetime as dt  # noqa: F401 (django.setup() must run first)

    from django.core.management import call_command

    from staffing.models import District

    code = f"BENCH-{size.upper()}" + ("" if profile == "standard" else f"-{profile.upper()}")
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        call_command(
            "generate_district", str(bundle), size=size, seed=1, code=code, week=WEEK,
            profile=profile, stdout=open(os.devnull, "w"),  # noqa: SIM115
        )  # fmt: skip
        call_command("import_district", str(bundle), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return District.objects.get(code=code)


def one(size: str, profile: str) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import datetime as dt

    import django

    django.setup()
    from allocations import engine, services

    district = _district(size, profile)
    week = dt.date.fromisoformat(WEEK)
    seen: dict[str, Any] = {"load": 0.0}
    load, solve = services.problem_for_week, engine.allocate

    def timed_load(**kwargs: Any) -> Any:
        started = time.perf_counter()
        problem = load(**kwargs)
        seen["load"] += time.perf_counter() - started
        seen["problem"] = problem
        return problem

    def kept_solve(problem: Any, **kwargs: Any) -> Any:
        seen["result"] = solve(problem, **kwargs)
        return seen["result"]

    services.problem_for_week = timed_load  # type: ignore[assignment]
    engine.allocate = kept_solve  # type: ignore[assignment]
    started = time.perf_counter()
    run = services.allocation_run(district=district, week_start=week)
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    problem, fig = seen["problem"], seen["result"].figures
    flow_started = time.perf_counter()
    flow = engine.flow_bound(problem)
    flow_s = time.perf_counter() - flow_started
    greedy = engine.allocate_greedy(
        problem, bounds=(fig.bound_minutes, fig.safety_bound_minutes)
    ).figures

    def pct(part: int, whole: int) -> float:
        return round(100 * part / whole, 2) if whole else 100.0

    return {
        "profile": profile,
        "size": size,
        "schools": len(problem.schools),
        "aides": len(problem.aides),
        "due": run.due_minutes,
        "coverage": pct(run.covered_minutes, run.due_minutes),
        "bound": run.bound_minutes,
        "of_bound": pct(run.covered_minutes, run.bound_minutes),
        "safety_of_bound": pct(run.safety_covered_minutes, run.safety_bound_minutes),
        "flow_bound": f"{flow[0]} / {flow[1]}",
        "continuity": round(run.aides_per_mandate_week, 3),
        "contract_minutes": run.contract_minutes,
        "cost": str(run.cost),
        "load_s": round(seen["load"], 1),
        "bound_s": round(fig.bound_seconds, 1),
        "fill_s": round(fig.elapsed_seconds - fig.bound_seconds, 1),
        "save_s": round(wall - seen["load"] - fig.elapsed_seconds, 1),
        "wall_s": round(wall, 1),
        "flow_s": round(flow_s, 1),
        "peak_mb": round(peak_mb),
        "greedy_of_bound": pct(greedy.covered_minutes, fig.bound_minutes),
        "greedy_safety_of_bound": pct(greedy.safety_covered_minutes, fig.safety_bound_minutes),
        "greedy_continuity": round(greedy.aides_per_mandate_week, 3),
        "greedy_contract_minutes": greedy.contract_minutes,
        "greedy_cost": str(greedy.cost),
        "greedy_s": round(greedy.elapsed_seconds, 1),
    }


COLUMNS = [
    ("profile", "profile"),
    ("size", "size"),
    ("schools", "schools"),
    ("aides", "aides"),
    ("due", "due min"),
    ("coverage", "covered % of due"),
    ("bound", "LP bound min"),
    ("of_bound", "% of LP bound"),
    ("safety_of_bound", "safety % of its LP bound"),
    ("flow_bound", "max-flow bound (all / safety)"),
    ("continuity", "aides/mandate-week"),
    ("contract_minutes", "contract min"),
    ("cost", "cost $"),
    ("load_s", "load s"),
    ("bound_s", "bound s"),
    ("fill_s", "fill s"),
    ("save_s", "save s"),
    ("wall_s", "wall s"),
    ("peak_mb", "peak MB"),
    ("greedy_of_bound", "first-fit % of LP bound"),
    ("greedy_safety_of_bound", "first-fit safety %"),
    ("greedy_continuity", "first-fit aides/mandate-week"),
    ("greedy_contract_minutes", "first-fit contract min"),
    ("greedy_cost", "first-fit cost $"),
    ("greedy_s", "first-fit s"),
]


def main() -> None:
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--one":
        print(json.dumps(one(args[1], args[2])))
        return
    profiles = PROFILES
    if args[:1] == ["--profiles"]:
        profiles, args = args[1].split(","), args[2:]
    sizes = args or SIZES
    print("| " + " | ".join(title for _, title in COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for profile in profiles:
        for size in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", size, profile],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            row = json.loads(out.stdout.strip().splitlines()[-1])
            print("| " + " | ".join(str(row[key]) for key, _ in COLUMNS) + " |", flush=True)


if __name__ == "__main__":
    main()
