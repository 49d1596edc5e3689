"""A real worker on Redis killed in the middle of the report job: the message it held comes
back to another worker, which completes exactly one report; meanwhile the stored report is the
previous one, whole."""

from __future__ import annotations

import pytest

from allocations.reports.models import ShortfallReport
from allocations.reports.services import report_build
from allocations.reports.tasks import weekly_report
from config.celery import app
from tests.allocations.conftest import WEEK
from tests.allocations.workers import (
    QUEUE_KEY,
    broker,
    broker_clear,
    row_locked,
    someone_waits_on_a_lock,
    wait_for,
    worker,
)


@pytest.fixture
def through_redis():
    broker_clear()
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True
        broker_clear()


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_report_job_completes_exactly_one_report(
    tmp_path, report_week, through_redis
):
    before = report_build(district=report_week, week_start=WEEK)
    before.refresh_from_db()

    # The doomed worker computes every figure, then waits to replace the row: killed there.
    with (
        row_locked("allocations_shortfallreport", before.pk),
        worker(tmp_path, "doomed") as doomed,
    ):
        weekly_report.delay(report_week.pk, WEEK.isoformat())
        wait_for(someone_waits_on_a_lock, "the job to reach the report row")
        doomed.kill()
    during = ShortfallReport.objects.get(pk=before.pk)
    assert (during.status, during.builds, during.content) == ("ready", 1, before.content)
    assert broker().hlen("unacked") == 1

    # Redis hands the killed worker's message to another worker 15 s after it was taken.
    with worker(
        tmp_path, "survivor", CELERY_VISIBILITY_TIMEOUT="15", CELERY_RESTORE_INTERVAL="1"
    ) as survivor:
        wait_for(
            lambda: survivor.succeeded("allocations.weekly_report", before.pk),
            "the redelivered job",
            timeout=90,
        )

    (after,) = ShortfallReport.objects.filter(district=report_week)
    assert (after.pk, after.status, after.builds, after.error) == (before.pk, "ready", 2, "")
    assert after.content["rows"] == before.content["rows"]
    assert (broker().llen(QUEUE_KEY), broker().hlen("unacked")) == (0, 0)
