"""The per-file checks: each file's rows, cell by cell and against the files before it, into
the `Bundle`. Every error is recorded; none stops the rest."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from allocations.bundle.cells import Cells, unique
from allocations.bundle.csvfile import BundleError, Row
from allocations.bundle.schema import GRADES, SETTINGS, SUPPORTS, Bundle, MandateData


def rows_check(bundle: Bundle, rows: dict[str, list[Row]], errors: list[BundleError]) -> None:
    """Check every file's rows, in the order their references need, filling `bundle`."""
    _schools(bundle, rows, errors)
    _contracts(bundle, rows, errors)
    _aides(bundle, rows, errors)
    _students(bundle, rows, errors)
    _mandates(bundle, rows, errors)
    _absences(bundle, rows, errors)


def _schools(bundle: Bundle, rows: dict[str, list[Row]], errors: list[BundleError]) -> None:
    seen: dict[str, int] = {}
    for row in rows["schools.csv"]:
        c = Cells(row, errors)
        code, name = c.code("school_code"), c.text("name")
        unique(c, "school_code", code, seen)
        if c.ok and code:
            bundle.schools[code] = name
    for row in rows["closures.csv"]:
        c = Cells(row, errors)
        on = c.date("date")
        school = c.known("school_code", c.code("school_code", required=False), seen, "school")
        reason = c.text("reason", required=False)
        if c.ok and on:
            bundle.closures.append((on, school, reason))


def _contracts(bundle: Bundle, rows: dict[str, list[Row]], errors: list[BundleError]) -> None:
    seen: dict[str, int] = {}
    for row in rows["contracts.csv"]:
        c = Cells(row, errors)
        code = c.code("contract_code")
        unique(c, "contract_code", code, seen)
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
        c = Cells(row, errors)
        code = c.code("aide_code")
        unique(c, "aide_code", code, seen)
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
        c = Cells(row, errors)
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
        c = Cells(row, errors)
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
        c = Cells(row, errors)
        code = c.code("student_code")
        unique(c, "student_code", code, seen)
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
        c = Cells(row, errors)
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
        c = Cells(row, errors)
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
