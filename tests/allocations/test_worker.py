"""A real worker on Redis: the fan-out chord runs through the broker, not eagerly."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker

from allocations import tasks
from allocations.models import AllocationRun, AllocationRunPart
from config.celery import app
from tests.allocations.test_tasks import _school_with_one_aide

WEEK = dt.date(2026, 11, 23)


@pytest.fixture
def redis_worker():
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
def test_worker_allocates_a_week_through_redis(district_a, redis_worker):
    _school_with_one_aide(district_a, "EAST")
    _school_with_one_aide(district_a, "WEST")

    run_id = tasks.allocate_week.delay(district_a.pk, WEEK.isoformat()).get(timeout=60)
    # allocate_week returns once the chord is sent; its body finishes the run on the worker.
    run = AllocationRun.objects.get(pk=run_id)
    for _ in range(240):
        run.refresh_from_db()
        if run.status != AllocationRun.Status.RUNNING:
            break
        time.sleep(0.25)
    assert (run.status, run.is_current, run.covered_minutes) == ("succeeded", True, 240)
    assert AllocationRunPart.objects.filter(run=run, finished=True).count() == 2
