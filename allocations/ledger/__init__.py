"""The delivery ledger: what each school day gave every mandated IEP block, and the compensatory
minutes owed for what it did not (docs/ledger.md).

Records are evidence a parent can take to a state complaint: never edited, a correction is a new
record that replaces the old one, and they keep the codes they were written with so that a
district re-import leaves them readable.

- `models`: `DeliveryRecord`, `CompensatoryEntry`, `MissedDaysNotice` (loaded by
  `allocations.models`, so this package imports nothing itself: its modules read the plan);
- `days`: closing a school day from the week's current staffing plan (`day_close`);
- `services`: corrections, make-up sessions, IEP-team decisions, parents' notices;
- `selectors`: balances, missed days, delivered minutes, history, the parent portal's view;
- `common`: the errors, the school year and the accrual rules the others share;
- `admin`, `tasks`: the ledger's admin pages and Celery tasks.
"""
