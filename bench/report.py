"""Weekly shortfall report benchmark: the weekly job end to end, the report's files, and the
report page and dashboard server-side (warm), for one generated district.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paracover REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/report.py [--size large] [--workers 1 2]

The district (seed 1) is generated and imported first (not timed). "job" is the task's work in
one process with no plan of the week yet: allocate the week, then build and store the report;
"rebuild" builds it again over the stored plan. Pages are timed with Django's test client
(middleware, views, templates; no network), median of 5 after one warm-up. With --workers,
each N starts N worker processes (`celery -A config worker --pool=solo`, as deployed) and
sends the jobs of two weeks without plans at once through Redis: the wall time until both
reports are stored shows how the job scales with workers (one job runs in one worker).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEEK = "2026-11-23"


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def _district(size: str):  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from staffing.models import District

    code = f"BENCH-REPORT-{size.upper()}"
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        quiet = open(os.devnull, "w")  # noqa: SIM115
        call_command(
            "generate_district", str(bundle), size=size, seed=1, code=code, week=WEEK, stdout=quiet
        )
        call_command("import_district", str(bundle), stdout=quiet)
    return District.objects.get(code=code)


def _median_ms(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(1000 * statistics.median(times))


def _workers(district, count: int, weeks: list) -> float:  # type: ignore[no-untyped-def]
    from allocations.models import AllocationRun
    from allocations.reports.models import ShortfallReport
    from allocations.reports.tasks import weekly_report
    from config.celery import app

    ShortfallReport.objects.filter(district=district).delete()
    AllocationRun.objects.filter(district=district, week_start__in=weeks).delete()
    env = os.environ | {"CELERY_TASK_ALWAYS_EAGER": "0"}
    celery = str(Path(sys.executable).with_name("celery"))
    procs, logs = [], []
    for n in range(count):
        log = Path(tempfile.mkstemp(suffix=".log")[1])
        logs.append(log)
        procs.append(
            subprocess.Popen(
                [celery, "-A", "config", "worker", "--pool=solo", "-n", f"bench{n}@%h",
                 "-l", "info", "--without-mingle", "--without-gossip"],
                cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not all(" ready." in log.read_text(errors="replace") for log in logs):
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not start")
            time.sleep(0.2)
        app.conf.task_always_eager = False
        started = time.perf_counter()
        for week in weeks:
            weekly_report.delay(district.pk, week.isoformat())
        done = ShortfallReport.objects.filter(district=district, week_start__in=weeks)
        while done.count() < len(weeks):
            if time.perf_counter() - started > 1800:
                raise RuntimeError("the jobs did not finish")
            time.sleep(0.5)
        wall = time.perf_counter() - started
        if done.exclude(status="ready").exists():
            raise RuntimeError(f"a job failed: {done.exclude(status='ready').first().error}")
        return round(wall, 1)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def one(size: str, workers: list[int]) -> dict[str, object]:
    _setup()
    import datetime as dt

    from django.test import Client

    from allocations.models import AllocationRun
    from allocations.reports.hiring import hiring_figures
    from allocations.reports.pdf import report_pdf
    from allocations.reports.render import report_csv, report_html, view_of
    from allocations.reports.scoped import Reader
    from allocations.reports.services import report_build
    from staffing.models import Membership
    from tests import factories as f

    district = _district(size)
    week = dt.date.fromisoformat(WEEK)
    AllocationRun.objects.filter(district=district).delete()

    started = time.perf_counter()
    report = report_build(district=district, week_start=week)
    job_s = time.perf_counter() - started
    run = AllocationRun.objects.get(district=district, week_start=week, is_current=True)
    started = time.perf_counter()
    report = report_build(district=district, week_start=week)
    rebuild_s = time.perf_counter() - started
    started = time.perf_counter()
    hiring_figures(district=district, run=run)
    hiring_s = time.perf_counter() - started

    view = view_of(report, Reader())
    started = time.perf_counter()
    pdf = report_pdf(view, built="bench")
    pdf_s = time.perf_counter() - started
    csv_ms = _median_ms(lambda: report_csv(view_of(report, Reader())), 3)
    html_ms = _median_ms(lambda: report_html(report, Reader()), 3)

    user = f.UserFactory(username=f"bench-director-{size}", is_staff=True)
    Membership.objects.get_or_create(district=district, user=user, defaults={"role": "director"})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")

    result = {
        "size": size,
        "schools": len(report.content["schools"]),
        "due": view.total.due,
        "unstaffed": view.total.unstaffed,
        "job_s": round(job_s, 1),
        "allocate_s": round(run.total_seconds, 1),
        "rebuild_s": round(rebuild_s, 1),
        "hiring_s": round(hiring_s, 1),
        "pdf_s": round(pdf_s, 1),
        "pdf_kb": round(len(pdf) / 1024),
        "csv_ms": csv_ms,
        "html_ms": html_ms,
        "dashboard_ms": _median_ms(lambda: get(f"/dashboard/?week={WEEK}")),
        "page_ms": _median_ms(lambda: get(f"/dashboard/reports/{report.pk}/")),
        "pdf_page_ms": _median_ms(lambda: get(f"/dashboard/reports/{report.pk}/report.pdf"), 3),
    }
    weeks = [week, week + dt.timedelta(days=7)]
    for count in workers:
        result[f"two_jobs_{count}_workers_s"] = _workers(district, count, weeks)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large")
    parser.add_argument("--workers", type=int, nargs="*", default=[])
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.size, args.workers)))
        return
    command = [sys.executable, __file__, "--one", "--size", args.size]
    if args.workers:
        command += ["--workers", *map(str, args.workers)]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    row = json.loads(out.stdout.strip().splitlines()[-1])
    print("| " + " | ".join(row) + " |")
    print("|" + "---|" * len(row))
    print("| " + " | ".join(str(v) for v in row.values()) + " |")


if __name__ == "__main__":
    main()
