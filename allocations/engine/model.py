"""The engine's inputs and outputs: frozen dataclasses, no behaviour beyond derived figures.

Times are minutes since midnight on a 15-minute grid, `end` exclusive. Weekdays are 0=Mon..6=Sun.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from allocations.engine.causes import Cause

Weekday = int
SLOT_MINUTES = 15

ONE_TO_ONE = "one_to_one"
SHARED = "shared"


@dataclass(frozen=True)
class Window:
    weekday: int
    start: int
    end: int


@dataclass(frozen=True)
class Qualification:
    code: str
    expires_on: date | None  # last valid day; None = no expiry


@dataclass(frozen=True)
class AbsenceSpan:
    on: date
    start: int | None  # None/None = the whole day
    end: int | None


@dataclass(frozen=True)
class Aide:
    id: int
    code: str
    school_ids: frozenset[int]
    max_weekly_minutes: int
    hourly_cost: Decimal
    contract_id: int | None
    windows: tuple[Window, ...]
    qualifications: tuple[Qualification, ...]
    absences: tuple[AbsenceSpan, ...]


@dataclass(frozen=True)
class Contract:
    id: int
    code: str
    starts_on: date
    ends_on: date
    weekly_minute_cap: int
    hourly_rate: Decimal


@dataclass(frozen=True)
class School:
    id: int
    code: str


@dataclass(frozen=True)
class Closure:
    on: date
    school_id: int | None  # None = the whole district


@dataclass(frozen=True)
class Mandate:
    id: int
    code: str
    student_id: int
    school_id: int
    support: str  # "one_to_one" | "shared"
    max_group: int | None
    required_qualifications: frozenset[str]
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class Block:
    id: int
    mandate_id: int
    setting: str
    location: str
    weekday: int
    start: int
    end: int


@dataclass(frozen=True)
class Policy:
    """The district's ranking of allocations, as weights the solvers use.

    Each tier's weight dominates everything below it for one aide in one slot: a safety-tier
    student-minute is worth `safety_weight` ordinary ones, more than the largest shared group
    (8 students), so a dedicated aide is never traded for a group. It is set well above that
    (100) because a fill segment also weighs continuity and fairness bonuses against it: at 10,
    the safety tier of a 250-school district reached 99.46% of its bound, at 100 it reaches 99.53%
    with the same overall coverage and run time (docs/PERFORMANCE.md).
    """

    safety_qualifications: frozenset[str] = frozenset({"MEDICAL", "PERSONAL_CARE"})
    safety_weight: int = 100
    fairness_bonus: int = 40  # first minutes of a student's day, per 100 of one student-minute
    same_day_bonus: int = 30  # keep the aide who served the previous slot
    same_week_bonus: int = 15  # prefer an aide who served the mandate earlier in the week
    contract_penalty: int = 8  # district staff before contract staff
    cost_penalty_max: int = 8  # the dearest aide's penalty; cheaper aides scale down to 0
    weekly_template: bool = False  # stage B; measured below the fill alone, see the docs
    template_seconds: float = 5.0  # cap on one weekly template MIP
    template_max_nodes: int = 2000  # deterministic cap on branch-and-bound per template
    template_mip_gap: float = 0.001


@dataclass(frozen=True)
class Problem:
    week_start: date  # a Monday
    schools: tuple[School, ...]
    aides: tuple[Aide, ...]
    contracts: tuple[Contract, ...]
    mandates: tuple[Mandate, ...]
    blocks: tuple[Block, ...]
    closures: tuple[Closure, ...]
    policy: Policy = field(default_factory=Policy)


# A gap's reason is one of the solver's members of the one list of causes.
GapReason = Cause


@dataclass(frozen=True)
class Assignment:
    """One contiguous run of one aide with one block on one date."""

    aide_id: int
    mandate_id: int
    block_id: int
    on: date
    start: int
    end: int


@dataclass(frozen=True)
class Gap:
    """One contiguous unstaffed run of a due block on a date, with one reason."""

    mandate_id: int
    block_id: int
    on: date
    start: int
    end: int
    reason: GapReason


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


@dataclass(frozen=True)
class Figures:
    """Student-minutes (each due slot of each mandate counts 15)."""

    due_minutes: int
    covered_minutes: int
    safety_due_minutes: int
    safety_covered_minutes: int
    bound_minutes: int
    safety_bound_minutes: int
    bound_kind: str
    contract_minutes: int
    cost: Decimal
    aides_per_mandate_week: float
    elapsed_seconds: float
    bound_seconds: float = 0.0  # of elapsed_seconds, the week LPs (master step and bound)

    @property
    def coverage(self) -> float:
        return _share(self.covered_minutes, self.due_minutes)

    @property
    def safety_coverage(self) -> float:
        return _share(self.safety_covered_minutes, self.safety_due_minutes)

    @property
    def gap(self) -> float:
        """How far below the bound the plan stays, as a share of the bound."""
        return 1.0 - _share(self.covered_minutes, self.bound_minutes)

    @property
    def safety_gap(self) -> float:
        return 1.0 - _share(self.safety_covered_minutes, self.safety_bound_minutes)


@dataclass(frozen=True)
class Result:
    assignments: tuple[Assignment, ...]
    gaps: tuple[Gap, ...]
    figures: Figures
