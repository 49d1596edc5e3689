"""Re-plans after an absence that survive a lost Celery message.

A re-plan is the 6:40 sick call's answer, so its loss matters: `replan_request` writes a
`ReplanRequest` in the transaction that records (changes, removes) the absence and queues the
task once that commits; `replan_request_run` does the re-plan and marks the request done in one
transaction, after locking the request, so a redelivered or re-queued message does it once.
The watchdog (`replans_watch`) re-queues requests whose message has not been acted on in
`REPLAN_STUCK_SECONDS`: the message was lost (a broker restarted without persistence) or its
worker died.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from allocations.absences import absence_replan
from allocations.models import ReplanRequest
from staffing.models import District

# After this many re-queues a request is left alone, with the reason, for an operator to see.
MAX_REQUEUES = 5


def _queue(request: ReplanRequest) -> None:
    # tasks.py imports this module for the task's body, so it is imported when first needed.
    from allocations.tasks import replan_absence

    args = (request.district_id, request.aide_id, request.date.isoformat(), request.trigger)
    transaction.on_commit(lambda: replan_absence.delay(*args, request.pk))


def replan_request(*, district: District, aide_id: int, on: dt.date, trigger: str) -> ReplanRequest:
    """Ask for the re-plan of what an absence of the aide that date touches (call it in the
    transaction that writes the absence); the task is queued when that commits."""
    request = ReplanRequest.objects.create(
        district=district, aide_id=aide_id, date=on, trigger=trigger[:200], queued_at=timezone.now()
    )
    _queue(request)
    return request


@transaction.atomic
def replan_request_run(*, district: District, request_id: int) -> ReplanRequest | None:
    """Do a requested re-plan once; None if there is no such request of the district."""
    request = (
        ReplanRequest.objects.select_for_update().filter(district=district, pk=request_id).first()
    )
    if request is None or request.done_at is not None:
        return request
    replan = absence_replan(
        district=district, aide_id=request.aide_id, on=request.date, trigger=request.trigger
    )
    request.done_at = timezone.now()
    request.repair = replan.repair
    request.save(update_fields=["done_at", "repair"])
    return request


@transaction.atomic
def replans_watch(*, now: dt.datetime) -> list[int]:
    """Re-queue, on commit, the requests not done `REPLAN_STUCK_SECONDS` after they were last
    queued; the ids of those re-queued."""
    since = now - dt.timedelta(seconds=settings.REPLAN_STUCK_SECONDS)
    waiting = ReplanRequest.objects.select_for_update(skip_locked=True).filter(
        done_at__isnull=True, queued_at__lt=since, requeues__lt=MAX_REQUEUES
    )
    requeued = []
    for request in waiting.order_by("pk"):
        request.requeues += 1
        request.queued_at = now
        if request.requeues == MAX_REQUEUES:
            request.error = f"not done after {MAX_REQUEUES} re-queues: see the worker log"
        request.save(update_fields=["requeues", "queued_at", "error"])
        _queue(request)
        requeued.append(request.pk)
    return requeued
