"""Why a mandated service goes unstaffed: the one list of causes, and the rule that finds one.

Every layer speaks of a gap in these words. The solver gives each gap the reason it saw slot by
slot (`SOLVER_REASONS`); an alert diagnoses the mandate's day as a director would put it
(`UNSTAFFED_CAUSES`); the ledger keeps that diagnosis, or says the service was not planned at
all (`LEDGER_CAUSES`); alerts that look ahead say why a service soon will go unstaffed
(`LOOK_AHEAD_CAUSES`). The web layer labels them in `allocations/labels.py`; the database keeps
the values, which `alerts.csv` exports as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # model.py builds on this module; the names are only annotations here
    from allocations.engine.model import Contract, Qualification


class Cause(StrEnum):
    # What the solver saw in the unstaffed slots.
    NO_AIDE_AVAILABLE = "no_aide_available"
    NONE_QUALIFIED = "none_qualified"
    QUALIFIED_AIDES_BUSY = "qualified_aides_busy"
    CAP_REACHED = "cap_reached"
    CONTRACT_NOT_IN_FORCE = "contract_not_in_force"
    # Why a mandate's day went unstaffed, in a director's words.
    AIDE_ABSENT = "aide_absent"
    NO_QUALIFIED_AIDE = "no_qualified_aide"
    QUALIFICATION_EXPIRED = "qualification_expired"
    CONTRACT_ENDED_OR_CAP = "contract_ended_or_cap"
    VACANCY = "vacancy"
    # What only the delivery ledger can say.
    NOT_PLANNED = "not_planned"
    OTHER = "other"
    # Why a service soon will go unstaffed.
    QUALIFICATION_EXPIRING = "qualification_expiring"
    CONTRACT_ENDING = "contract_ending"
    CONTRACT_CAP = "contract_cap"
    VAGUE_MANDATE = "vague_mandate"


SOLVER_REASONS = (
    Cause.NO_AIDE_AVAILABLE,
    Cause.NONE_QUALIFIED,
    Cause.QUALIFIED_AIDES_BUSY,
    Cause.CAP_REACHED,
    Cause.CONTRACT_NOT_IN_FORCE,
)
UNSTAFFED_CAUSES = (
    Cause.AIDE_ABSENT,
    Cause.NO_QUALIFIED_AIDE,
    Cause.QUALIFICATION_EXPIRED,
    Cause.CONTRACT_ENDED_OR_CAP,
    Cause.VACANCY,
)
LEDGER_CAUSES = (*UNSTAFFED_CAUSES, Cause.NOT_PLANNED, Cause.OTHER)
LOOK_AHEAD_CAUSES = (
    Cause.QUALIFICATION_EXPIRING,
    Cause.CONTRACT_ENDING,
    Cause.CONTRACT_CAP,
    Cause.VAGUE_MANDATE,
)
ALERT_CAUSES = (*UNSTAFFED_CAUSES, *LOOK_AHEAD_CAUSES)
CONTRACT_REASONS = frozenset({Cause.CAP_REACHED, Cause.CONTRACT_NOT_IN_FORCE})


def broad_cause(reason: Cause) -> Cause:
    """A solver reason in a director's words, when no alert diagnosed the day: the contract's
    limits, or else no qualified aide was free."""
    return Cause.CONTRACT_ENDED_OR_CAP if reason in CONTRACT_REASONS else Cause.NO_QUALIFIED_AIDE


Span = tuple[int, int]
AwaySpan = tuple[int | None, int | None]  # None/None = the whole day


@dataclass(frozen=True)
class Busy:
    """A run the current plan gives an aide on the gap's day."""

    start: int
    end: int
    student_code: str
    school_id: int
    school_code: str


@dataclass(frozen=True)
class AideDay:
    """One aide linked to the gap's school, as things stand on the gap's day."""

    id: int
    code: str
    name: str
    qualifications: tuple[Qualification, ...]
    windows: tuple[Span, ...]  # that weekday's hours
    absences: tuple[AwaySpan, ...]
    busy: tuple[Busy, ...]
    planned_minutes: int  # in the gap's week
    max_weekly_minutes: int
    contract: Contract | None
    contract_room_minutes: int  # what the contract's weekly cap still allows

    def valid(self, code: str, on: date) -> bool:
        return any(
            q.code == code and (q.expires_on is None or q.expires_on >= on)
            for q in self.qualifications
        )

    def qualified(self, required: Iterable[str], on: date) -> bool:
        return all(self.valid(code, on) for code in required)

    def holds(self, required: frozenset[str]) -> bool:
        """Holds every required qualification, valid or not."""
        return required <= {q.code for q in self.qualifications}

    def absent_minutes(self, spans: Iterable[Span]) -> int:
        """The most minutes of `spans` any one of its absences takes."""
        spans = tuple(spans)
        return max((overlap(spans, start, end) for start, end in self.absences), default=0)


@dataclass(frozen=True)
class GapDay:
    """One mandate's unstaffed minutes on one date, with what the plan says of it."""

    on: date
    school_id: int
    required: frozenset[str]
    spans: tuple[Span, ...]  # sorted
    reasons: frozenset[Cause]  # the solver's, for these spans
    regular_ids: frozenset[int]  # the aides who serve the mandate in the week's plan

    @property
    def minutes(self) -> int:
        return sum(end - start for start, end in self.spans)


def overlap(spans: Iterable[Span], start: int | None, end: int | None) -> int:
    """Minutes of `spans` inside [start, end) (None/None = the whole day)."""
    if start is None or end is None:
        return sum(e - s for s, e in spans)
    return sum(max(0, min(e, end) - max(s, start)) for s, e in spans)


def cause_of(gap: GapDay, aides: Iterable[AideDay]) -> Cause:
    """Why the gap is unstaffed, the first that applies: an aide who serves the student this
    week is absent; nobody serves it this week (a qualified aide of the school absent, else a
    vacancy); the contract's limits; the school's aides hold the qualifications, none valid
    that day; a qualified aide of the school is absent; else no qualified aide was free."""
    linked = tuple(aides)
    qualified_absent = any(
        a.absent_minutes(gap.spans) for a in linked if a.qualified(gap.required, gap.on)
    )
    if any(a.absent_minutes(gap.spans) for a in linked if a.id in gap.regular_ids):
        return Cause.AIDE_ABSENT
    if not gap.regular_ids:
        return Cause.AIDE_ABSENT if qualified_absent else Cause.VACANCY
    if gap.reasons & CONTRACT_REASONS:
        return Cause.CONTRACT_ENDED_OR_CAP
    held = [a for a in linked if a.holds(gap.required)]
    if gap.required and held and not any(a.qualified(gap.required, gap.on) for a in held):
        return Cause.QUALIFICATION_EXPIRED
    if qualified_absent:
        return Cause.AIDE_ABSENT
    return Cause.NO_QUALIFIED_AIDE
