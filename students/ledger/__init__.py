"""The delivery ledger: what each school day gave every mandated IEP block, and the compensatory
minutes owed for what it did not (docs/ledger.md).

Records are evidence a parent can take to a state complaint: never edited, a correction is a new
record that replaces the old one, and they keep the codes they were written with so that a
district re-import leaves them readable.

- `days`: closing a school day from the week's current staffing plan (`day_close`);
- `services`: corrections, make-up sessions, IEP-team decisions, parents' notices;
- `selectors`: balances, missed days, delivered minutes, history, the parent portal's view.
"""

from students.ledger.common import LedgerError, school_year_start
from students.ledger.days import DaySummary, absence_split, day_close, days_to_close
from students.ledger.selectors import (
    BalanceRow,
    DeliverySummary,
    FamilyLedger,
    FamilyMandateRow,
    MandateDelivery,
    compensatory_balances,
    delivery_history,
    delivery_summary,
    family_ledger,
    missed_days,
)
from students.ledger.services import (
    accrual_decide,
    delivery_correct,
    makeup_record,
    notice_mark_notified,
)

__all__ = [
    "BalanceRow",
    "DaySummary",
    "DeliverySummary",
    "FamilyLedger",
    "FamilyMandateRow",
    "LedgerError",
    "MandateDelivery",
    "absence_split",
    "accrual_decide",
    "compensatory_balances",
    "day_close",
    "days_to_close",
    "delivery_correct",
    "delivery_history",
    "delivery_summary",
    "family_ledger",
    "makeup_record",
    "missed_days",
    "notice_mark_notified",
    "school_year_start",
]
