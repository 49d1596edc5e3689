"""Record-of-access benchmark: the dashboard and the students' admin list of a generated
district, timed with the access log on and off (settings.STUDENT_ACCESS_LOG, which only this
script turns off).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paracover \
        .venv/bin/python bench/access_log.py [--size xl] [--requests 30] [--seed 1]

Generates and imports the district and allocates its week (once: an existing district of the
same code is reused), then, in one warm process through Django's test client as a director,
alternates the two settings request by request and prints the median and p95 of each page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WEEK = "2026-11-23"


def _get(client: Any, url: str) -> None:
    status = client.get(url).status_code
    if status != 200:
        raise SystemExit(f"{url} answered {status}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="xl")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import datetime as dt

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from allocations.access.models import StudentAccess
    from allocations.services import allocation_run
    from staffing.models import District, Membership

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    code = f"ACCESS-{args.size.upper()}"
    district = District.objects.filter(code=code).first()
    if district is None:
        with tempfile.TemporaryDirectory() as tmp:
            bundle = Path(tmp) / "bundle"
            call_command(
                "generate_district", str(bundle), size=args.size, seed=args.seed, code=code,
                week=WEEK, stdout=open(os.devnull, "w"),  # noqa: SIM115
            )  # fmt: skip
            call_command("import_district", str(bundle), stdout=open(os.devnull, "w"))  # noqa: SIM115
        district = District.objects.get(code=code)
        allocation_run(district=district, week_start=dt.date.fromisoformat(WEEK))
    user, _ = get_user_model().objects.get_or_create(
        username=f"bench-{code.lower()}", defaults={"is_staff": True}
    )
    Membership.objects.get_or_create(
        user=user, defaults={"district": district, "role": Membership.Role.DIRECTOR}
    )
    client = Client()
    client.force_login(user)
    pages = {
        "dashboard": f"/dashboard/?week={WEEK}",
        "students admin list": "/admin/students/student/",
    }
    for url in pages.values():  # warm up
        _get(client, url)

    print(f"| page ({args.size}) | log | requests | median ms | p95 ms | rows per request |")
    print("|---|---|---|---|---|---|")
    for name, url in pages.items():
        timings: dict[bool, list[float]] = {True: [], False: []}
        rows: dict[bool, int] = {True: 0, False: 0}
        for _ in range(args.requests):
            for on in (True, False):
                settings.STUDENT_ACCESS_LOG = on
                before = StudentAccess.objects.filter(district=district).count()
                started = time.perf_counter()
                _get(client, url)
                timings[on].append((time.perf_counter() - started) * 1000)
                rows[on] += StudentAccess.objects.filter(district=district).count() - before
        for on in (True, False):
            t = sorted(timings[on])
            p95 = t[min(len(t) - 1, round(0.95 * (len(t) - 1)))]
            print(
                f"| {name} | {'on' if on else 'off'} | {len(t)} | "
                f"{statistics.median(t):.1f} | {p95:.1f} | {rows[on] / len(t):.0f} |"
            )
    settings.STUDENT_ACCESS_LOG = True


if __name__ == "__main__":
    main()
