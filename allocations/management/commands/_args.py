"""Argument parsing shared by the allocation commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from staffing.models import District


def district_arg(code: str) -> District:
    district = District.objects.filter(code=code).first()
    if district is None:
        raise CommandError(f"--district {code}: no district with that code")
    return district


def week_arg(text: str) -> dt.date:
    try:
        week_start = dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--week {text}: not a date YYYY-MM-DD") from None
    if week_start.weekday() != 0:
        raise CommandError(f"--week {text}: not a Monday (weeks run Monday to Sunday)")
    return week_start
