"""CSV files that a spreadsheet opens as data, never as formulas ("CSV injection").

A spreadsheet runs a cell that starts with '=', '+', '-' or '@' as a formula (a tab or a
carriage return first is read past), and a formula can reach other cells, the network or, through
DDE, a program. Every CSV the service writes goes through `csv_writer`, which puts a single quote
before such a cell: spreadsheets show the text as typed and hide the quote.

Numbers are left as they are, a negative one included: `-15` or `-2.50` is a number to every
spreadsheet, not a formula, and only text made wholly of a sign, digits and a point is treated as
a number here. Codes cannot start with these characters at all (staffing.validators), so for the
data a district normally holds every file reads exactly as the bundle spec writes it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should see it: formula text gets a leading single quote."""
    if isinstance(value, (int, float, Decimal)) or not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose every cell goes through `safe_cell`."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: _Writable, **options: Any) -> SafeWriter:
    """The one way the service writes CSV (options as for `csv.writer`)."""
    return SafeWriter(out, **options)
