"""Celery tasks of the delivery ledger: thin wrappers that take ids and ISO dates.

`close_school_days` is the beat entry: it closes yesterday (in each district's time zone) for
every district, one `close_school_day` task per district so that one district's failure retries
alone. Closing is idempotent, so a repeated or overlapping beat writes nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import OperationalError

from allocations.ledger.common import LedgerError
from allocations.ledger.days import day_close, days_to_close
from staffing.models import District

logger = logging.getLogger(__name__)
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="students.close_school_days", acks_late=True, **RETRY)
def close_school_days() -> int:
    days = days_to_close()
    for district_id, on in days:
        close_school_day.delay(district_id, on.isoformat())
    return len(days)


@shared_task(name="students.close_school_day", acks_late=True, **RETRY)
def close_school_day(district_id: int, on: str) -> int | None:
    """Rows written, or None when the day cannot be closed (logged: no plan for the week)."""
    district = District.objects.get(pk=district_id)
    try:
        summary = day_close(district=district, on=dt.date.fromisoformat(on))
    except LedgerError as exc:
        logger.warning("delivery ledger not closed: %s", exc)
        return None
    return summary.rows_written
