"""What people read for the engine's words: one label per cause of an unstaffed service.

Models build their `choices` from here, so the admin, the dashboard, the alerts and the ledger
all say the same thing; the database and the CSV exports keep the values.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from allocations.engine.causes import Cause

CAUSE_LABELS = MappingProxyType(
    {
        Cause.NO_AIDE_AVAILABLE: "No aide available then",
        Cause.NONE_QUALIFIED: "No available aide holds the required qualifications",
        Cause.QUALIFIED_AIDES_BUSY: "Qualified aides all busy with higher-priority students",
        Cause.CAP_REACHED: "Weekly or contract cap reached",
        Cause.CONTRACT_NOT_IN_FORCE: "Contract not in force",
        Cause.AIDE_ABSENT: "Aide absent",
        Cause.NO_QUALIFIED_AIDE: "No qualified aide free",
        Cause.QUALIFICATION_EXPIRED: "Qualification expired",
        Cause.CONTRACT_ENDED_OR_CAP: "Contract ended or cap reached",
        Cause.VACANCY: "Vacancy: mandate never staffed",
        Cause.NOT_PLANNED: "Not in the week's staffing plan",
        Cause.OTHER: "Other (see the note)",
        Cause.QUALIFICATION_EXPIRING: "Qualification expires soon",
        Cause.CONTRACT_ENDING: "Contract ends soon",
        Cause.CONTRACT_CAP: "Contract cap will be reached",
        Cause.VAGUE_MANDATE: "No times or settings to staff",
    }
)


def cause_label(value: str) -> str:
    """The label of a stored cause value."""
    return CAUSE_LABELS[Cause(value)]


def cause_choices(causes: Iterable[Cause]) -> list[tuple[str, str]]:
    """Django `choices` for a field that stores some of the causes."""
    return [(cause.value, CAUSE_LABELS[cause]) for cause in causes]
