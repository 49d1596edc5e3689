"""Celery tasks of the weekly shortfall report: ids and ISO dates in, a service call.

`weekly_report` is idempotent (the report row is unique per district and week and replaced
whole), so a redelivered message after a lost worker simply builds the week again.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import OperationalError

from allocations.reports.schedule import report_schedules_ensure
from allocations.reports.services import report_build
from staffing.models import District
from staffing.selectors import district_today
from staffing.timeofday import week_start_of

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


def coming_week(district: District) -> dt.date:
    """The Monday after the district's today (on a Monday, the next one: Friday's job reports
    on the coming week, and so does a late run over the weekend)."""
    return week_start_of(district_today(district=district)) + dt.timedelta(days=7)


@shared_task(name="allocations.weekly_report", acks_late=True, reject_on_worker_lost=True, **RETRY)
def weekly_report(
    district_id: int, week_start: str | None = None, requested_by_id: int | None = None
) -> int:
    """Build the district's report of `week_start` (default: the coming week), allocating the
    week first when it has no plan."""
    district = District.objects.get(pk=district_id)
    week = dt.date.fromisoformat(week_start) if week_start else coming_week(district)
    user = get_user_model().objects.filter(pk=requested_by_id).first() if requested_by_id else None
    return report_build(district=district, week_start=week, requested_by=user).pk


@shared_task(name="allocations.report_schedules", acks_late=True, **RETRY)
def report_schedules() -> int:
    """Hourly: every district has its weekly report job, in its current time zone."""
    return report_schedules_ensure()
