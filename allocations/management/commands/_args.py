"""Argument parsing shared by the allocation commands."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import models

from staffing.models import District
from staffing.selectors import district_today
from staffing.validators import dates_around

# Only the spec's form: `date.fromisoformat` alone also reads 20261201 and 2026-W49-3.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def district_arg(code: str) -> District:
    district = District.objects.filter(code=code).first()
    if district is None:
        raise CommandError(f"--district {code}: no district with that code")
    return district


def iso_date(text: str, *, flag: str) -> dt.date:
    """`text` as a date written YYYY-MM-DD, and only so."""
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} {text[:40]}: not a date YYYY-MM-DD") from None


def date_arg(
    text: str,
    *,
    district: District,
    model_field: models.Field,  # type: ignore[type-arg]
    flag: str = "--date",
) -> dt.date:
    """A YYYY-MM-DD date that the model field it is stored in accepts (its date window is
    measured from the district's today), refused with the flag's name otherwise."""
    on = iso_date(text, flag=flag)
    try:
        with dates_around(district_today(district=district)):
            model_field.run_validators(on)
    except ValidationError as exc:
        raise CommandError(f"{flag} {text}: {exc.messages[0]}") from None
    return on


def week_arg(text: str) -> dt.date:
    week_start = iso_date(text, flag="--week")
    if week_start.weekday() != 0:
        raise CommandError(f"--week {text}: not a Monday (weeks run Monday to Sunday)")
    return week_start
