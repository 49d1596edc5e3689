"""The API's Celery task: a bundle import (allocations.api.imports)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from allocations.api.imports import import_job_run


@shared_task(
    name="allocations.import_bundle",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def import_bundle(district_id: int, job_id: int) -> str:
    return import_job_run(district_id=district_id, job_id=job_id)
