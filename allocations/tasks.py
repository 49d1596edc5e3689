"""Celery tasks: thin wrappers that take ids and ISO dates and call a service.

`allocate_week` fans a district week out over workers: one `allocate_part` per independent
group of schools, then `finish_run` once all are in (a chord).
"""

from __future__ import annotations

import datetime as dt
import time

from celery import chord, shared_task
from django.db import OperationalError

from allocations import fanout
from allocations.absences import absence_replan
from allocations.alerts import alerts_look_ahead, alerts_sync
from allocations.models import AllocationRun, AllocationRunPart, Assignment, UnstaffedRun
from allocations.services import allocation_run_start
from staffing.bulk import statistics_refresh
from staffing.models import District

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="allocations.allocate_week", acks_late=True, **RETRY)
def allocate_week(district_id: int, week_start: str, run_id: int | None = None) -> int:
    district = District.objects.get(pk=district_id)
    if run_id is None:
        run = allocation_run_start(district=district, week_start=dt.date.fromisoformat(week_start))
    else:
        run = AllocationRun.objects.get(pk=run_id, district=district)
    parts = fanout.allocation_parts_plan(run=run)
    chord(allocate_part.si(district_id, part.pk) for part in parts)(
        finish_run.si(district_id, run.pk, time.time())
    )
    return run.pk


@shared_task(name="allocations.allocate_part", acks_late=True, **RETRY)
def allocate_part(district_id: int, part_id: int) -> int:
    part = AllocationRunPart.objects.select_related("run", "run__district").get(
        pk=part_id, district_id=district_id
    )
    fanout.allocation_part_solve(part=part)
    return part.pk


@shared_task(name="allocations.finish_run", acks_late=True, **RETRY)
def finish_run(district_id: int, run_id: int, started_at: float) -> int:
    run = AllocationRun.objects.get(pk=run_id, district_id=district_id)
    fanout.allocation_parts_finish(run=run, started_at=started_at)
    statistics_refresh(Assignment, UnstaffedRun)
    refresh_alerts.delay(district_id, run.pk)
    return run.pk


@shared_task(name="allocations.refresh_alerts", acks_late=True, **RETRY)
def refresh_alerts(district_id: int, run_id: int) -> int:
    """Bring a week's alerts in step with its plan, if the run is still the week's plan."""
    run = AllocationRun.objects.filter(pk=run_id, district_id=district_id, is_current=True).first()
    if run is None:
        return 0
    counts = alerts_sync(district=run.district, run=run)
    alerts_look_ahead(district=run.district)
    return counts.opened


@shared_task(name="allocations.replan_absence", acks_late=True, **RETRY)
def replan_absence(district_id: int, aide_id: int, on: str, trigger: str) -> int | None:
    """Re-plan what an absence recorded, changed or removed in the admin touches."""
    district = District.objects.get(pk=district_id)
    replan = absence_replan(
        district=district, aide_id=aide_id, on=dt.date.fromisoformat(on), trigger=trigger
    )
    return replan.repair.pk if replan.repair else None


@shared_task(name="allocations.look_ahead", acks_late=True, **RETRY)
def look_ahead() -> int:
    """Daily: the alerts that look ahead (expiring qualifications, contracts, vague mandates)."""
    opened = 0
    for district in District.objects.order_by("pk"):
        opened += alerts_look_ahead(district=district).opened
    return opened


# The weekly shortfall report's tasks live with it; importing them here registers them.
from allocations.reports.tasks import weekly_report  # noqa: E402, F401
