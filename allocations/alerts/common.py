"""What every kind of alert shares: the row it wants, its severity, and the sync's counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from allocations.engine.causes import Cause
from allocations.models import Alert
from students.models import Support

RANK = {Alert.Severity.CRITICAL: 0, Alert.Severity.HIGH: 1, Alert.Severity.NORMAL: 2}
SEVERITY_OF_RANK = {rank: severity for severity, rank in RANK.items()}


def severity_of(*, support: str, required: Iterable[str], safety: frozenset[str]) -> Alert.Severity:
    """Critical when the mandate requires one of the district's safety qualifications, high for
    the other 1:1 mandates, normal otherwise."""
    if safety & set(required):
        return Alert.Severity.CRITICAL
    if support == Support.ONE_TO_ONE:
        return Alert.Severity.HIGH
    return Alert.Severity.NORMAL


def codes(text: str) -> frozenset[str]:
    """The codes of a ';'-separated list."""
    return frozenset(q for q in text.split(";") if q)


@dataclass
class Wanted:
    """An alert as the plan says it should stand now, keyed so that a sync updates it."""

    key: str
    kind: str
    severity: Alert.Severity
    cause: Cause
    title: str
    detail: str = ""
    date: dt.date | None = None
    school_id: int | None = None
    student_id: int | None = None
    mandate_id: int | None = None
    aide_id: int | None = None
    contract_id: int | None = None
    minutes: int = 0
    suggestions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SyncCounts:
    opened: int = 0
    updated: int = 0
    resolved: int = 0
    notified: int = 0
