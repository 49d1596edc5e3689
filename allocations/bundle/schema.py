"""What a bundle is: its files and columns, the model field each column is kept to, and the
clean in-memory `Bundle` that validation produces."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import models

from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    Closure,
    Contract,
    District,
    School,
)
from staffing.validators import CODE_VALIDATOR
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
