"""Typed access to one row's cells: each bad cell records an error in the bundle's list and
reads as None, so the rest of the row and of the file is still checked."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from allocations.bundle.csvfile import BundleError, Row
from allocations.bundle.schema import CODE, CODE_RULE, FIELDS, field_error
from staffing.timeofday import WEEKDAYS, parse_hhmm
from staffing.validators import field_range


class Cells:
    """Typed access to one row's cells; every bad cell records an error and returns None."""

    def __init__(self, row: Row, errors: list[BundleError]) -> None:
        self.row, self.errors, self.ok = row, errors, True
        # A reference into a file that could not be read at all is not reported again.
        self.broken: frozenset[str] = getattr(errors, "broken", frozenset())

    def fail(self, column: str, message: str) -> None:
        self.ok = False
        self.errors.append(BundleError(self.row.file, self.row.line, column, message))

    def valid(self, column: str, value: object) -> bool:
        """Whether `value` keeps the limits of the column's model field (recorded if not)."""
        message = field_error(self.row.file, column, value)
        if message is not None:
            self.fail(column, message)
        return message is None

    def raw(self, column: str, *, required: bool = True) -> str:
        value = self.row.values.get(column, "")
        if required and not value:
            self.fail(column, "required value is empty")
        return value

    def text(self, column: str, *, required: bool = True) -> str:
        """Free text within its column's length; too long is refused, never cut."""
        value = self.raw(column, required=required)
        if value:
            self.valid(column, value)
        return value

    def code(self, column: str, *, required: bool = True) -> str | None:
        value = self.row.values.get(column, "")
        if not value:
            if required:
                self.fail(column, "required value is empty")
            return None
        if not CODE.match(value):
            self.fail(column, f"'{value[:80]}' is not a valid code ({CODE_RULE})")
            return None
        return value

    def codes(self, column: str) -> list[str]:
        value = self.row.values.get(column, "")
        items = [v.strip() for v in value.split(";") if v.strip()]
        bad = [v for v in items if not CODE.match(v)]
        if bad:
            self.fail(column, f"'{bad[0][:80]}' is not a valid code ({CODE_RULE})")
            return []
        # Stored joined, the list must still fit its column.
        self.valid(column, ";".join(sorted(set(items))))
        return items

    def integer(
        self, column: str, *, low: int | None = None, high: int | None = None
    ) -> int | None:
        """A whole number within `low`..`high`, by default the column's model field's range."""
        value = self.raw(column)
        if not value:
            return None
        if not re.fullmatch(r"-?\d{1,30}", value):
            self.fail(column, f"'{value[:80]}' is not a whole number")
            return None
        model_field = FIELDS.get(self.row.file, {}).get(column)
        field_low, field_high = field_range(model_field) if model_field else (None, None)
        low = (field_low or 0) if low is None else low
        high = field_high if high is None else high
        number = int(value)
        if number < low or (high is not None and number > high):
            limit = f"from {low} to {high}" if high is not None else f"at least {low}"
            self.fail(column, f"{number} is out of range (must be {limit})")
            return None
        return number

    def decimal(self, column: str) -> Decimal | None:
        value = self.raw(column)
        if not value:
            return None
        try:
            number = Decimal(value) if re.fullmatch(r"-?\d{1,30}(\.\d{1,30})?", value) else None
        except InvalidOperation:
            number = None
        if number is None:
            self.fail(column, f"'{value[:80]}' is not an amount such as 27.50")
            return None
        number = number.quantize(Decimal("0.01"))
        return number if self.valid(column, number) else None

    def date(self, column: str, *, required: bool = True) -> dt.date | None:
        value = self.raw(column, required=required)
        if not value:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            on = dt.date.fromisoformat(value)
        except ValueError:
            self.fail(column, f"'{value[:80]}' is not a date YYYY-MM-DD")
            return None
        return on if self.valid(column, on) else None

    def time(self, column: str, *, required: bool = True) -> int | None:
        value = self.raw(column, required=required)
        if not value:
            return None
        try:
            return parse_hhmm(value)
        except ValueError as exc:
            self.fail(column, str(exc))
            return None

    def weekday(self, column: str) -> int | None:
        value = self.raw(column)
        if value and value.lower() in WEEKDAYS:
            return WEEKDAYS.index(value.lower())
        if value:
            self.fail(
                column, f"'{value[:80]}' is not a weekday (mon, tue, wed, thu, fri, sat, sun)"
            )
        return None

    def choice(self, column: str, allowed: set[str]) -> str | None:
        value = self.raw(column)
        if value and value not in allowed:
            self.fail(column, f"'{value[:80]}' is not one of {', '.join(sorted(allowed))}")
            return None
        return value or None

    def span(self, start_col: str = "start", end_col: str = "end") -> tuple[int, int] | None:
        start, end = self.time(start_col), self.time(end_col)
        if start is None or end is None:
            return None
        if end <= start:
            self.fail(end_col, f"end {self.row.values[end_col]} is not after start "
                      f"{self.row.values[start_col]}")  # fmt: skip
            return None
        return start, end

    def known(self, column: str, value: str | None, known: object, what: str) -> str | None:
        if value is not None and value not in known:  # type: ignore[operator]
            if f"{what}s.csv" not in self.broken:
                self.fail(column, f"unknown {what} '{value}'")
            return None
        return value


def unique(cells: Cells, column: str, value: str | None, seen: dict[str, int]) -> None:
    if value is None:
        return
    if value in seen:
        cells.fail(column, f"duplicate code '{value}' (first on line {seen[value]})")
    else:
        seen[value] = cells.row.line
