"""Writes of the weekly shortfall report: build a week's report and store it whole, or record
why it could not be built.

One row per district and week (a unique constraint). A build reads every figure in one
repeatable-read snapshot, then replaces the row in one short transaction: readers see the old
report or the new one, never a mix, and a re-run or a redelivered task replaces rather than
adds. The email to the directors is queued in that transaction (the outbox), keyed by the
figures, so a redelivery that finds the same figures mails nobody twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from allocations.models import AllocationRun
from allocations.reports.figures import (
    cause_figures,
    contract_figures,
    plan_figures,
    schools_of,
    student_figures,
)
from allocations.reports.hiring import hiring_figures
from allocations.reports.ledger import ledger_figures, trend_figures
from allocations.reports.mail import report_files, report_mail
from allocations.reports.models import ShortfallReport
from allocations.selectors import run_current
from allocations.services import allocation_run
from staffing.models import District
from staffing.tenancy import DIRECTOR, district_staff_scope

logger = logging.getLogger(__name__)


class ReportError(ValueError):
    """The week cannot be reported on (not a Monday, or no plan and none may be made)."""


def _snapshot() -> None:
    """Read every figure from one snapshot, unless the caller's transaction already decides."""
    # SQLite (the embedded demo) has one writer and no isolation levels to set.
    if connection.vendor != "postgresql" or connection.savepoint_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def report_content(*, district: District, run: AllocationRun) -> dict[str, Any]:
    """Every figure of the report on `run`'s week (a plain JSON document)."""
    week_start = run.week_start
    with transaction.atomic():
        _snapshot()
        content: dict[str, Any] = {
            "district": {"code": district.code, "name": district.name},
            "week_start": week_start.isoformat(),
            "run_id": run.pk,
            "schools": schools_of(district=district),
            **plan_figures(district=district, run=run),
            "causes": cause_figures(district=district, week_start=week_start),
            "students": student_figures(district=district, week_start=week_start),
            **contract_figures(district=district, run=run),
            "ledger": ledger_figures(
                district=district, week_start=week_start - dt.timedelta(days=7)
            ),
            "trend": trend_figures(district=district, week_start=week_start),
            "hiring": hiring_figures(district=district, run=run),
        }
    return content


def _store(
    *,
    district: District,
    week_start: dt.date,
    fields: dict[str, Any],
    files: list[tuple[str, str, bytes]] | None = None,
) -> ShortfallReport:
    with transaction.atomic():
        report, created = ShortfallReport.objects.select_for_update().get_or_create(
            district=district, week_start=week_start, defaults=fields
        )
        if not created:
            ShortfallReport.objects.filter(pk=report.pk).update(**fields, builds=F("builds") + 1)
            report.refresh_from_db()
        if files is not None:
            report_mail(report=report, files=files)
    return report


def report_build(
    *,
    district: District,
    week_start: dt.date,
    requested_by: Any = None,
    allocate_if_missing: bool = True,
) -> ShortfallReport:
    """Build the week's report and store it in place of any earlier one. Without a current
    plan of the week, allocate it first (unless told not to). A failure is stored as a failed
    report with its error, then raised."""
    if week_start.weekday() != 0:
        raise ReportError(f"{week_start.isoformat()} is not a Monday")
    started = time.perf_counter()
    try:
        run = run_current(district=district, week_start=week_start)
        if run is None and allocate_if_missing:
            run = allocation_run(district=district, week_start=week_start)
        if run is None or not run.is_current:
            raise ReportError(
                f"No plan of {district.code} for the week of {week_start.isoformat()}: "
                "allocate the week first"
            )
        content = report_content(district=district, run=run)
        built_at = timezone.now()
        files = report_files(content, built_at=built_at)
    except Exception as exc:
        logger.exception("shortfall report of %s, week %s failed", district.code, week_start)
        report_fail(
            district=district,
            week_start=week_start,
            error=f"{type(exc).__name__}: {exc}",
            requested_by=requested_by,
        )
        raise
    content["digest"] = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[
        :16
    ]
    return _store(
        district=district,
        week_start=week_start,
        fields={
            "status": ShortfallReport.Status.READY,
            "run": run,
            "content": content,
            "error": "",
            "built_at": built_at,
            "build_seconds": time.perf_counter() - started,
            "requested_by": requested_by,
        },
        files=files,
    )


def report_fail(
    *, district: District, week_start: dt.date, error: str, requested_by: Any = None
) -> ShortfallReport:
    """Record that the week's report could not be built: the row says failed and why, and
    shows no figures (they would no longer be the week's)."""
    return _store(
        district=district,
        week_start=week_start,
        fields={
            "status": ShortfallReport.Status.FAILED,
            "run": None,
            "content": {},
            "error": error[:4000] or "failed",
            "built_at": timezone.now(),
            "build_seconds": 0,
            "requested_by": requested_by,
        },
    )


def report_request(*, district: District, week_start: dt.date, user: Any) -> None:
    """A director asks for the week's report now: a worker builds it (allocating the week
    first if it has no plan). The director's act only, as starting a run is."""
    refusal = "Only the district's director may build its shortfall report."
    scope = district_staff_scope(user=user, district_id=district.pk, refusal=refusal)
    if scope.role != DIRECTOR:
        raise PermissionDenied(refusal)
    if week_start.weekday() != 0:
        raise ReportError(f"{week_start.isoformat()} is not a Monday")
    # tasks.py imports this module, so it is imported when first needed.
    from allocations.reports.tasks import weekly_report

    weekly_report.delay_on_commit(district.pk, week_start.isoformat(), user.pk)
