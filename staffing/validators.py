"""The rules every way in shares: the admin's ModelForms, the district import and (next) the API
check a value with the model field's own validators, so a limit is written once, here or on the
field, and no door accepts what another refuses.

Numbers get explicit bounds because SQLite enforces none and PostgreSQL's column range is the
only other one; dates get a window around today so that a typo (0001-01-01, 9999-12-31) is
refused before it reaches date arithmetic or a plan.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# Letters, digits, '-', '_' or '.', not starting with '-': a spreadsheet reads a cell starting
# with '-', '+', '=' or '@' as a formula, and codes are written into CSV exports.
CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_.][A-Za-z0-9_.\-]{0,63}$",
    "Use 1-64 letters, digits, '-', '_' or '.', not starting with '-'.",
)

MINUTES_PER_WEEK = 7 * 24 * 60

# The range PostgreSQL gives each integer column, applied on every database (SQLite stores
# 64-bit integers whatever the column says).
_COLUMN_RANGES = BaseDatabaseOperations.integer_field_ranges


def column_max(internal_type: str) -> MaxValueValidator:
    """The largest value the production column of this type holds, as a field validator."""
    return MaxValueValidator(_COLUMN_RANGES[internal_type][1])


NOT_NEGATIVE = MinValueValidator(Decimal("0"), "Must not be negative.")
AT_MOST_A_WEEK = MaxValueValidator(
    MINUTES_PER_WEEK, f"A week has {MINUTES_PER_WEEK:,} minutes: give at most that."
)


def field_range(field: models.Field) -> tuple[int | None, int | None]:  # type: ignore[type-arg]
    """The narrowest (low, high) that the field's min/max validators allow."""
    low: int | None = None
    high: int | None = None
    for validator in field.validators:
        if isinstance(validator, MinValueValidator) and isinstance(validator.limit_value, int):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        if isinstance(validator, MaxValueValidator) and isinstance(validator.limit_value, int):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


# The day the date window is measured from, when the caller knows the district's today better
# than the server's clock does (the import, record_absence).
_TODAY: ContextVar[dt.date | None] = ContextVar("date_window_today", default=None)


@contextlib.contextmanager
def dates_around(today: dt.date) -> Iterator[None]:
    """Check date windows around `today` (the district's) inside the block."""
    token = _TODAY.set(today)
    try:
        yield
    finally:
        _TODAY.reset(token)


def school_year_start(on: dt.date) -> dt.date:
    """July 1 of the school year `on` falls in."""
    return dt.date(on.year if on.month >= 7 else on.year - 1, 7, 1)


@deconstructible
class DateWindowValidator:
    """A date within whole school years around today: `settings.INPUT_DATE_SCHOOL_YEARS_BACK`
    before this school year and `settings.INPUT_DATE_SCHOOL_YEARS_AHEAD` after it.

    Bounds fall on July 1, so the server's and the district's "today" give the same window
    except on the night of June 30. The days things happen on (absences, closures) take the
    whole window; the dates that bound a span (a contract's, a mandate's, a qualification's)
    take `settings.INPUT_DATE_EARLIEST` as their lower bound instead, so that a mandate in
    force since long ago or an old expiry stays editable.
    """

    def __init__(self, *, since_floor: bool = False) -> None:
        self.since_floor = since_floor

    def window(self, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        today = today or _TODAY.get() or timezone.localdate()
        this_year = school_year_start(today)
        back = settings.INPUT_DATE_SCHOOL_YEARS_BACK
        ahead = settings.INPUT_DATE_SCHOOL_YEARS_AHEAD
        first = this_year.replace(year=this_year.year - back)
        if self.since_floor:
            first = dt.date.fromisoformat(settings.INPUT_DATE_EARLIEST)
        last = dt.date(this_year.year + ahead + 1, 6, 30)
        return first, last

    def __call__(self, value: dt.date) -> None:
        first, last = self.window()
        if not first <= value <= last:
            raise ValidationError(
                "%(value)s is outside the dates accepted, %(first)s to %(last)s.",
                code="date_window",
                params={"value": value.isoformat(), "first": first, "last": last},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateWindowValidator) and other.since_floor == self.since_floor

    def __hash__(self) -> int:
        return hash(("DateWindowValidator", self.since_floor))


DAY_IN_WINDOW = DateWindowValidator()
SPAN_DATE_IN_WINDOW = DateWindowValidator(since_floor=True)


def validate_qualification_list(value: str) -> None:
    """`MEDICAL;ASL`: codes separated by ';' (spaces around them are ignored)."""
    for code in (part.strip() for part in value.split(";")):
        if code:
            try:
                CODE_VALIDATOR(code)
            except ValidationError as exc:
                raise ValidationError(
                    "'%(code)s' is not a qualification code: %(why)s",
                    code="qualification_code",
                    params={"code": code[:64], "why": exc.messages[0]},
                ) from exc
