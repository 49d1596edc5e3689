"""Each district's weekly report job in django-celery-beat's database schedule: a
`PeriodicTask` per district running `allocations.weekly_report` on a crontab in the district's
own time zone (default Friday 16:00), which its director may move. Operators see the schedules
in the admin (Periodic tasks)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from staffing.models import District
from staffing.tenancy import DIRECTOR, district_staff_scope
from staffing.timeofday import format_hhmm

TASK = "allocations.weekly_report"
DEFAULT_WEEKDAY = 4  # Friday (0 = Monday, as everywhere in ParaCover)
DEFAULT_AT = 16 * 60
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ReportSchedule:
    weekday: int
    at_minutes: int
    timezone: str
    stored: bool  # False: the default, until beat's hourly check stores it

    @property
    def at(self) -> str:
        return format_hhmm(self.at_minutes)

    def __str__(self) -> str:
        return f"every {WEEKDAYS[self.weekday]} at {self.at} ({self.timezone})"


def _name(district: District) -> str:
    return f"weekly-shortfall-report-{district.pk}"


def report_schedule_get(*, district: District) -> ReportSchedule:
    task = (
        PeriodicTask.objects.filter(name=_name(district), crontab__isnull=False)
        .select_related("crontab")
        .first()
    )
    if task is None or task.crontab is None:
        return ReportSchedule(DEFAULT_WEEKDAY, DEFAULT_AT, district.timezone, stored=False)
    cron = task.crontab
    # Celery counts weekdays from Sunday = 0.
    weekday = (int(cron.day_of_week) - 1) % 7
    return ReportSchedule(
        weekday, int(cron.hour) * 60 + int(cron.minute), str(cron.timezone), stored=True
    )


def _store(*, district: District, weekday: int, at_minutes: int) -> PeriodicTask:
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(at_minutes % 60),
        hour=str(at_minutes // 60),
        day_of_week=str((weekday + 1) % 7),
        day_of_month="*",
        month_of_year="*",
        timezone=district.timezone,
    )
    task, _ = PeriodicTask.objects.update_or_create(
        name=_name(district),
        defaults={
            "task": TASK,
            "crontab": crontab,
            "interval": None,
            "args": json.dumps([district.pk]),
            "enabled": True,
            "description": f"The weekly shortfall report of {district.code} (the coming week).",
        },
    )
    return task


@transaction.atomic
def report_schedule_set(
    *, district: District, weekday: int, at_minutes: int, user: Any = None
) -> ReportSchedule:
    """Move the district's weekly report job. `user` must be its director; without one (a
    command, the hourly check) the caller is trusted."""
    if user is not None:
        refusal = "Only the district's director may move its weekly report."
        scope = district_staff_scope(user=user, district_id=district.pk, refusal=refusal)
        if scope.role != DIRECTOR:
            raise PermissionDenied(refusal)
    if not 0 <= weekday <= 6:
        raise ValidationError("Choose a day of the week.")
    if not 0 <= at_minutes < 24 * 60:
        raise ValidationError("Give a time of day, HH:MM.")
    _store(district=district, weekday=weekday, at_minutes=at_minutes)
    return report_schedule_get(district=district)


def report_schedules_ensure() -> int:
    """Give every district its weekly job (the default one if it has none), in its current
    time zone; returns how many were stored or moved to a new time zone."""
    changed = 0
    for district in District.objects.order_by("pk"):
        current = report_schedule_get(district=district)
        if current.stored and current.timezone == district.timezone:
            continue
        with transaction.atomic():
            _store(district=district, weekday=current.weekday, at_minutes=current.at_minutes)
        changed += 1
    return changed
