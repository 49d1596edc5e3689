"""Celery tasks of the staffing app: thin wrappers that take ids and deliver the email outbox
(`staffing.mailing`)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from staffing import mailing
from staffing.models import District

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="staffing.send_notifications", acks_late=True, **RETRY)
def send_notifications(district_id: int | None = None) -> int:
    """Send the urgent notifications of one district, or of every district (a retry sweep)."""
    if district_id is not None:
        return mailing.pending_send(district_id=district_id)
    district_ids = District.objects.order_by("pk").values_list("pk", flat=True)
    return sum(mailing.pending_send(district_id=pk) for pk in district_ids)


@shared_task(name="staffing.send_digests", acks_late=True, **RETRY)
def send_digests() -> int:
    """Send the daily digest of every district."""
    district_ids = District.objects.order_by("pk").values_list("pk", flat=True)
    return sum(mailing.digests_send(district_id=pk) for pk in district_ids)
