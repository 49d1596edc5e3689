"""Wall-clock times of day as minutes since midnight, on the district's 15-minute grid.

Stored as small integers so the database can check the grid and the engine can do arithmetic;
shown and typed as `HH:MM` everywhere a person sees them.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

GRID_MINUTES = 15
MINUTES_PER_DAY = 24 * 60
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_CHOICES = [(i, name.capitalize()) for i, name in enumerate(WEEKDAYS)]


def week_start_of(on: dt.date) -> dt.date:
    """The Monday of the date's week (weeks run Monday to Sunday, weekday 0 = Monday)."""
    return on - dt.timedelta(days=on.weekday())


_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(text: str) -> int:
    """`"08:15"` -> 495. Raises ValueError naming what is wrong."""
    match = _HHMM.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a time HH:MM (24 h)")
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    if minutes % GRID_MINUTES:
        raise ValueError(f"'{text}' is not on the 15-minute grid")
    return minutes


def format_hhmm(minutes: int | None) -> str:
    if minutes is None:
        return ""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_span(start: int | None, end: int | None) -> str:
    if start is None or end is None:
        return "all day"
    return f"{format_hhmm(start)}-{format_hhmm(end)}"


class TimeOfDayFormField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        # No max_length: its validator would measure the parsed minutes, not the text typed.
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 5, "placeholder": "HH:MM"}))
        kwargs.setdefault("help_text", "HH:MM on the 15-minute grid")
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def prepare_value(self, value: object) -> object:
        if isinstance(value, int):
            return format_hhmm(value)
        return value

    def to_python(self, value: object) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_hhmm(text)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class TimeOfDayField(models.PositiveSmallIntegerField):  # type: ignore[type-arg]
    """Minutes since midnight, edited as HH:MM."""

    def formfield(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["form_class"] = TimeOfDayFormField
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        return models.Field.formfield(self, **kwargs)


def on_grid(field: str) -> models.Q:
    """Check-constraint condition: the field is on the 15-minute grid (or null)."""
    from django.db.models import F
    from django.db.models.lookups import Exact

    return models.Q(Exact(F(field) % GRID_MINUTES, 0)) | models.Q(**{f"{field}__isnull": True})
