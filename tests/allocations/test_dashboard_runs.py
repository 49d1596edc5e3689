"""Starting a run from the dashboard is the director's act alone, and a week the dashboard
cannot show is a 400 that says so, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from allocations.models import AllocationRun

from .conftest import WEEK

pytestmark = pytest.mark.django_db


def test_the_director_starts_a_run_of_the_week(
    client, week, director_a, django_capture_on_commit_callbacks
):
    client.force_login(director_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("allocations:run_start"), {"week": WEEK.isoformat()})

    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/?week={WEEK.isoformat()}"
    run = AllocationRun.objects.latest("pk")
    assert (run.started_by, run.status, run.is_current, run.via_workers) == (
        director_a, "succeeded", True, True,
    )  # fmt: skip


def test_a_case_manager_may_not_start_a_run(
    client, week, case_manager_a, django_capture_on_commit_callbacks
):
    before = list(AllocationRun.objects.values_list("pk", "is_current"))
    client.force_login(case_manager_a)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("allocations:run_start"), {"week": WEEK.isoformat()})
    page = client.get(reverse("allocations:dashboard"), {"week": WEEK.isoformat()})

    assert response.status_code == 403
    assert list(AllocationRun.objects.values_list("pk", "is_current")) == before
    assert queued == []
    assert "Run the allocation" not in page.content.decode()
    assert "the allocation for this week" not in page.content.decode()


def test_a_parent_may_not_start_a_run(client, week, parent_of_student_a):
    before = AllocationRun.objects.count()
    client.force_login(parent_of_student_a)

    response = client.post(reverse("allocations:run_start"), {"week": WEEK.isoformat()})

    assert response.status_code == 404
    assert AllocationRun.objects.count() == before


@pytest.mark.parametrize(
    ("week_text", "message"),
    [
        (
            "0001-01-01",
            "No plans are shown for the week of Jan. 1, 0001: give a date as YYYY-MM-DD",
        ),
        ("9999-12-31", "No plans are shown for the week of Dec. 31, 9999: give a date as"),
        ("2026-13-01", "“2026-13-01” is not a date: give a date as YYYY-MM-DD between"),
        ("20261123", "“20261123” is not a date: give a date as YYYY-MM-DD between"),
    ],
)
def test_a_week_the_dashboard_cannot_show_is_a_400_that_says_so(
    client, week, director_a, week_text, message
):
    client.force_login(director_a)

    shown = client.get(reverse("allocations:dashboard"), {"week": week_text})
    started = client.post(reverse("allocations:run_start"), {"week": week_text})

    assert (shown.status_code, started.status_code) == (400, 400)
    assert message in shown.content.decode()
    assert message in started.content.decode()
    assert AllocationRun.objects.count() == 1
