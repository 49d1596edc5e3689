"""Validating a whole bundle before anything is written: every error is collected, none stops
the reading of the rest. The result is a clean in-memory `Bundle` or the list of errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone as django_timezone

from allocations.bundle.csvfile import (
    DEFAULT_MAX_FILE_BYTES,
    BundleError,
    Row,
    read_rows,
    read_text,
)
from allocations.bundle.rows import rows_check
from allocations.bundle.schema import FILES, Bundle, MandateData, field_error
from staffing.validators import dates_around

# Bundle and MandateData live in schema; callers import them from here too.
__all__ = ["Bundle", "BundleInvalid", "MandateData", "read_bundle"]


class _Errors(list[BundleError]):
    """The errors found so far, and which files could not be read at all."""

    broken: frozenset[str] = frozenset()


class BundleInvalid(Exception):
    def __init__(self, errors: list[BundleError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the bundle")
        self.errors = errors


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
    rows_check(bundle, rows, errors)


def _error_order(error: BundleError) -> tuple[int, str, int, str, str]:
    order = ["district.json", *FILES]
    rank = order.index(error.file) if error.file in order else len(order)
    return rank, error.file, error.line or 0, error.column or "", error.message
