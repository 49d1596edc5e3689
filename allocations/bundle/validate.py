"""Validating a whole bundle before anything is written: every error is collected, none stops
the reading of the rest. The result is a clean in-memory `Bundle` or the list of errors."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone as django_timezone

from allocations.bundle.csvfile import (
    DEFAULT_MAX_FILE_BYTES,
    BundleError,
    Row,
    read_rows,
    read_text,
)
from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    Closure,
    Contract,
    District,
    School,
)
from staffing.timeofday import WEEKDAYS, parse_hhmm
from staffing.validators import CODE_VALIDATOR, dates_around, field_range
from students.models import GRADES as GRADE_LIST
from students.models import MandateBlock, ParaMandate, Setting, Student, Support

# The vocabularies are the models': a bundle accepts exactly what the database would.
CODE = cast("re.Pattern[str]", CODE_VALIDATOR.regex)
CODE_RULE = "1-64 letters, digits, '-', '_', '.', not starting with '-'"
GRADES = set(GRADE_LIST)
SUPPORTS = set(Support.values)
SETTINGS = set(Setting.values)

# file: (required columns, optional columns, file required)
FILES: dict[str, tuple[list[str], list[str], bool]] = {
    "schools.csv": (["school_code", "name"], [], True),
    "closures.csv": (["date"], ["school_code", "reason"], False),
    "contracts.csv": (
        ["contract_code", "agency", "starts_on", "ends_on", "weekly_minute_cap", "hourly_rate"],
        [],
        False,
    ),
    "aides.csv": (
        ["aide_code", "name", "employer", "schools", "max_weekly_minutes", "hourly_cost"],
        [],
        True,
    ),
    "aide_qualifications.csv": (["aide_code", "qualification"], ["expires_on"], True),
    "aide_availability.csv": (["aide_code", "weekday", "start", "end"], [], True),
    "students.csv": (
        ["student_code", "school_code", "first_name", "last_name", "grade"],
        [],
        True,
    ),
    "mandates.csv": (
        [
            "mandate_code",
            "student_code",
            "support",
            "setting",
            "location",
            "weekday",
            "start",
            "end",
            "starts_on",
        ],
        ["max_group", "required_qualifications", "ends_on"],
        True,
    ),
    "absences.csv": (["aide_code", "date"], ["start", "end", "reason"], False),
}


def _fields(model: type[models.Model], **columns: str) -> dict[str, models.Field]:  # type: ignore[type-arg]
    return {column: model._meta.get_field(name) for column, name in columns.items()}  # type: ignore[misc]


# The model field each column is stored in: its validators (length, range, date window, code)
# are the limits a cell must keep, the same ones the admin's forms apply.
FIELDS: dict[str, dict[str, models.Field]] = {  # type: ignore[type-arg]
    "district.json": _fields(District, code="code", name="name", timezone="timezone"),
    "schools.csv": _fields(School, school_code="code", name="name"),
    "closures.csv": {
        **_fields(Closure, date="date", reason="reason"),
        **_fields(School, school_code="code"),
    },
    "contracts.csv": _fields(
        Contract,
        contract_code="code",
        agency="agency",
        starts_on="starts_on",
        ends_on="ends_on",
        weekly_minute_cap="weekly_minute_cap",
        hourly_rate="hourly_rate",
    ),
    "aides.csv": _fields(
        Aide,
        aide_code="code",
        name="name",
        max_weekly_minutes="max_weekly_minutes",
        hourly_cost="hourly_cost",
    ),
    "aide_qualifications.csv": _fields(
        AideQualification, qualification="qualification", expires_on="expires_on"
    ),
    "students.csv": _fields(
        Student,
        student_code="code",
        first_name="first_name",
        last_name="last_name",
    ),
    "mandates.csv": {
        **_fields(
            ParaMandate,
            mandate_code="code",
            required_qualifications="required_qualifications",
            starts_on="starts_on",
            ends_on="ends_on",
        ),
        **_fields(MandateBlock, location="location"),
    },
    "absences.csv": _fields(Absence, date="date", reason="reason"),
}


def field_error(file: str, column: str, value: object) -> str | None:
    """What the column's model field says is wrong with `value`, or None when it is fine."""
    model_field = FIELDS.get(file, {}).get(column)
    if model_field is None:
        return None
    try:
        model_field.run_validators(value)
    except ValidationError as exc:
        return exc.messages[0]
    return None


# Columns that are required by the spec but may be empty in some rows are checked per row.
MAY_BE_EMPTY = {"max_group", "required_qualifications", "ends_on", "expires_on", "school_code"}


@dataclass
class MandateData:
    code: str
    student: str
    support: str
    max_group: int | None
    qualifications: tuple[str, ...]
    starts_on: dt.date
    ends_on: dt.date | None
    line: int
    blocks: list[tuple[str, str, int, int, int]] = field(default_factory=list)


@dataclass
class Bundle:
    code: str
    name: str
    timezone: str
    schools: dict[str, str] = field(default_factory=dict)
    contracts: dict[str, tuple[str, dt.date, dt.date, int, Decimal]] = field(default_factory=dict)
    # aide code -> (name, contract code or None, school codes, max weekly minutes, hourly cost)
    aides: dict[str, tuple[str, str | None, list[str], int, Decimal]] = field(default_factory=dict)
    qualifications: list[tuple[str, str, dt.date | None]] = field(default_factory=list)
    availability: list[tuple[str, int, int, int]] = field(default_factory=list)
    students: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    mandates: dict[str, MandateData] = field(default_factory=dict)
    closures: list[tuple[dt.date, str | None, str]] = field(default_factory=list)
    absences: list[tuple[str, dt.date, int | None, int | None, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "schools": len(self.schools),
            "contracts": len(self.contracts),
            "aides": len(self.aides),
            "qualifications": len(self.qualifications),
            "availability windows": len(self.availability),
            "students": len(self.students),
            "mandates": len(self.mandates),
            "mandate blocks": sum(len(m.blocks) for m in self.mandates.values()),
            "closures": len(self.closures),
            "absences": len(self.absences),
        }


class _Errors(list[BundleError]):
    """The errors found so far, and which files could not be read at all."""

    broken: frozenset[str] = frozenset()


class BundleInvalid(Exception):
    def __init__(self, errors: list[BundleError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the bundle")
        self.errors = errors


class _Cells:
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


def _unique(cells: _Cells, column: str, value: str | None, seen: dict[str, int]) -> None:
    if value is None:
        return
    if value in seen:
        cells.fail(column, f"duplicate code '{value}' (first on line {seen[value]})")
    else:
        seen[value] = cells.row.line


def _district(folder: Path, errors: list[BundleError], max_bytes: int) -> tuple[str, str, str]:
    path = folder / "district.json"
    if not path.is_file():
        errors.append(BundleError("district.json", None, None, "required file is missing"))
        return "", "", ""
    text = read_text(path, errors, max_bytes)
    if text is None:
        return "", "", ""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(BundleError("district.json", None, None, f"not valid JSON ({exc})"))
        return "", "", ""
    if not isinstance(data, dict):
        errors.append(BundleError("district.json", None, None, "must be a JSON object"))
        return "", "", ""
    values = []
    for key in ("code", "name", "timezone"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(BundleError("district.json", None, None, f"'{key}' is missing or empty"))
            value = ""
        value = value.strip()
        message = field_error("district.json", key, value) if value else None
        if message is not None:
            errors.append(BundleError("district.json", None, None, f"'{key}': {message}"))
            value = ""
        values.append(value)
    code, name, timezone = values
    if timezone:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            errors.append(
                BundleError(
                    "district.json", None, None, f"'timezone' '{timezone}' is not a known time zone"
                )
            )
    return code, name, timezone


def read_bundle(folder: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Bundle:
    """Read and validate the bundle in `folder`; raise BundleInvalid listing every error."""
    errors = _Errors()
    if not folder.is_dir():
        raise BundleInvalid([BundleError(str(folder), None, None, "is not a folder")])
    code, name, timezone = _district(folder, errors, max_bytes)
    bundle = Bundle(code=code, name=name, timezone=timezone)
    with dates_around(_district_today(timezone)):
        _bundle_files(folder, bundle, errors, max_bytes)
    if errors:
        raise BundleInvalid(sorted(set(errors), key=_error_order))
    return bundle


def _district_today(timezone_name: str) -> dt.date:
    """Today in the bundle's district, which dates are checked around (the server's when the
    time zone is wrong, which is reported anyway)."""
    try:
        return django_timezone.now().astimezone(ZoneInfo(timezone_name)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return django_timezone.localdate()


def _bundle_files(folder: Path, bundle: Bundle, errors: _Errors, max_bytes: int) -> None:
    rows: dict[str, list[Row]] = {}
    broken: set[str] = set()
    for file, (required, optional, needed) in FILES.items():
        path = folder / file
        read = None
        if path.is_file():
            read = read_rows(path, required, optional, errors, max_bytes)
        elif needed:
            errors.append(BundleError(file, None, None, "required file is missing"))
        if read is None and (needed or path.is_file()):
            broken.add(file)
        rows[file] = read or []
    errors.broken = frozenset(broken)
    _schools(bundle, rows, errors)
    _contracts(bundle, rows, errors)
    _aides(bundle, rows, errors)
    _students(bundle, rows, errors)
    _mandates(bundle, rows, errors)
    _absences(bundle, rows, errors)


def _error_order(error: BundleError) -> tuple[int, str, int, str, str]:
    order = ["district.json", *FILES]
    rank = order.index(error.file) if error.file in order else len(order)
    return rank, error.file, error.line or 0, error.column or "", error.message


def _schools(bundle: Bundle, rows: dict[str, list[Row]], errors: list[BundleError]) -> None:
    seen: dict[str, int] = {}
    for row in rows["schools.csv"]:
        c = _Cells(row, errors)
        code, name = c.code("school_code"), c.text("name")
        _unique(c, "school_code", code, seen)
        if c.ok and code:
            bundle.schools[code] = name
    for row in rows["closures.csv"]:
        c = _Cells(row, errors)
        on = c.date("date")
        school = c.known("school_code", c.code("school_code", required=False), seen, "school")
        reason = c.text("reason", required=False)
        if c.ok and on:
            bundle.closures.append((on, school, reason))


def _contracts(bundle: Bundle, rows: dict[str, list[Row]], errors: list[BundleError]) -> None:
    seen: dict[str, int] = {}
    for row in rows["contracts.csv"]:
        c = _Cells(row, errors)
        code = c.code("contract_code")
        _unique(c, "contract_code", code, seen)
        agency = c.text("agency")
        starts_on, ends_on = c.date("starts_on"), c.date("ends_on")
        cap, rate = c.integer("weekly_minute_cap"), c.decimal("hourly_rate")
        if starts_on and ends_on and ends_on < starts_on:
            c.fail("ends_on", f"ends_on {ends_on} is before starts_on {starts_on}")
        if c.ok and code and starts_on and ends_on and cap is not None and rate is not None:
            bundle.contracts[code] = (agency, starts_on, ends_on, cap, rate)


def _aides(bundle: Bundle, rows: dict[str, list[Row]], errors: list[BundleError]) -> None:
    seen: dict[str, int] = {}
    contract_codes = {r.values.get("contract_code") for r in rows["contracts.csv"]}
    for row in rows["aides.csv"]:
        c = _Cells(row, errors)
        code = c.code("aide_code")
        _unique(c, "aide_code", code, seen)
        name = c.text("name")
        employer = c.text("employer")
        if employer and employer != "district" and employer not in contract_codes:
            c.fail(
                "employer",
                f"'{employer}' is neither 'district' nor a contract_code of contracts.csv",
            )
        schools = c.codes("schools")
        if not row.values.get("schools"):
            c.fail("schools", "required value is empty")
        for school in schools:
            c.known("schools", school, bundle.schools, "school")
        minutes, cost = c.integer("max_weekly_minutes", high=7 * 24 * 60), c.decimal("hourly_cost")
        if c.ok and code and minutes is not None and cost is not None:
            contract = None if employer == "district" else employer
            bundle.aides[code] = (name, contract, sorted(set(schools)), minutes, cost)
    quals_seen: dict[tuple[str, str], int] = {}
    for row in rows["aide_qualifications.csv"]:
        c = _Cells(row, errors)
        aide = c.known("aide_code", c.code("aide_code"), seen, "aide")
        qual = c.code("qualification")
        expires_on = c.date("expires_on", required=False)
        if aide and qual:
            if (aide, qual) in quals_seen:
                c.fail("qualification", f"'{qual}' is listed twice for aide '{aide}' "
                       f"(first on line {quals_seen[(aide, qual)]})")  # fmt: skip
            quals_seen.setdefault((aide, qual), row.line)
        if c.ok and aide and qual:
            bundle.qualifications.append((aide, qual, expires_on))
    windows_seen: dict[tuple[str, int, int, int], int] = {}
    for row in rows["aide_availability.csv"]:
        c = _Cells(row, errors)
        aide = c.known("aide_code", c.code("aide_code"), seen, "aide")
        weekday, span = c.weekday("weekday"), c.span()
        if aide and weekday is not None and span:
            key = (aide, weekday, *span)
            if key in windows_seen:
                c.fail(
                    "start", f"the same window is listed twice (first on line {windows_seen[key]})"
                )
            windows_seen.setdefault(key, row.line)
        if c.ok and aide and weekday is not None and span:
            bundle.availability.append((aide, weekday, *span))


def _students(bundle: Bundle, rows: dict[str, list[Row]], errors: list[BundleError]) -> None:
    seen: dict[str, int] = {}
    for row in rows["students.csv"]:
        c = _Cells(row, errors)
        code = c.code("student_code")
        _unique(c, "student_code", code, seen)
        school = c.known("school_code", c.code("school_code"), bundle.schools, "school")
        first, last = c.text("first_name"), c.text("last_name")
        grade = c.choice("grade", GRADES)
        if c.ok and code and school and grade:
            bundle.students[code] = (school, first, last, grade)


AGREE = ("student_code", "support", "max_group", "required_qualifications", "starts_on", "ends_on")


def _mandates(bundle: Bundle, rows: dict[str, list[Row]], errors: list[BundleError]) -> None:
    first_rows: dict[str, Row] = {}
    # A student whose own row has an error is not reported again here.
    student_codes = {r.values.get("student_code") for r in rows["students.csv"]}
    for row in rows["mandates.csv"]:
        c = _Cells(row, errors)
        code = c.code("mandate_code")
        student = c.known("student_code", c.code("student_code"), student_codes, "student")
        support = c.choice("support", SUPPORTS)
        group_text = c.text("max_group", required=False)
        max_group: int | None = None
        if support == "shared":
            if not group_text:
                c.fail("max_group", "a shared mandate needs max_group (2-8)")
            else:
                max_group = c.integer("max_group", low=2, high=8)
        elif support == "one_to_one" and group_text:
            c.fail("max_group", "must be empty for one_to_one support")
        setting = c.choice("setting", SETTINGS)
        location = c.text("location")
        weekday, span = c.weekday("weekday"), c.span()
        quals = tuple(sorted(set(c.codes("required_qualifications"))))
        starts_on = c.date("starts_on")
        ends_on = c.date("ends_on", required=False)
        if starts_on and ends_on and ends_on < starts_on:
            c.fail("ends_on", f"ends_on {ends_on} is before starts_on {starts_on}")
        if code is None:
            continue
        first = first_rows.setdefault(code, row)
        if first is not row:
            for column in AGREE:
                mine, theirs = row.values.get(column, ""), first.values.get(column, "")
                if column == "required_qualifications":
                    mine = ";".join(sorted({q.strip() for q in mine.split(";") if q.strip()}))
                    theirs = ";".join(sorted({q.strip() for q in theirs.split(";") if q.strip()}))
                if mine != theirs:
                    c.fail(column, f"'{mine}' disagrees with line {first.line} of mandate "
                           f"'{code}' ('{theirs}')")  # fmt: skip
        if not (c.ok and student in bundle.students and support and setting and location):
            continue
        if weekday is None or span is None or starts_on is None or student is None:
            continue
        mandate = bundle.mandates.setdefault(
            code,
            MandateData(code, student, support, max_group, quals, starts_on, ends_on, row.line),
        )
        mandate.blocks.append((setting, location, weekday, *span))


def _absences(bundle: Bundle, rows: dict[str, list[Row]], errors: list[BundleError]) -> None:
    by_day: dict[tuple[str, dt.date], list[tuple[int, int, int]]] = defaultdict(list)
    aide_codes = {r.values.get("aide_code") for r in rows["aides.csv"]}
    for row in rows["absences.csv"]:
        c = _Cells(row, errors)
        aide = c.known("aide_code", c.code("aide_code"), aide_codes, "aide")
        on = c.date("date")
        has_start, has_end = bool(row.values.get("start")), bool(row.values.get("end"))
        span: tuple[int, int] | None = None
        if has_start != has_end:
            c.fail(
                "end" if has_start else "start",
                "give both start and end, or neither for a whole day",
            )
        elif has_start:
            span = c.span()
        reason = c.text("reason", required=False)
        if not (c.ok and aide and on):
            continue
        low, high = span if span else (0, 24 * 60)
        for other_low, other_high, other_line in by_day[(aide, on)]:
            if low < other_high and other_low < high:
                c.fail("date", f"overlaps the absence of aide '{aide}' on line {other_line}")
                break
        by_day[(aide, on)].append((low, high, row.line))
        if c.ok:
            start, end = span if span else (None, None)
            bundle.absences.append((aide, on, start, end, reason))
