"""The `allocations.refresh_alerts` task's wiring: a week's current plan brings its alerts (and
the look-ahead's) in step; another district's id, or a run that is no longer the plan, changes
nothing."""

from __future__ import annotations

import pytest

from allocations import tasks
from allocations.models import Alert, AllocationRun
from tests import factories as f


@pytest.fixture
def run_with_gap(week, student_a):
    """The week's plan with a gap the solver left (nobody holds ASL) and a mandate with no
    times, neither alerted yet."""
    lost = f.MandateFactory(
        student=student_a, code="M-ASL", support="one_to_one", required_qualifications="ASL"
    )
    f.BlockFactory(mandate=lost, weekday=2, start=13 * 60, end=14 * 60)
    f.MandateFactory(student=student_a, code="M-VAGUE", support="shared", max_group=2)
    run = AllocationRun.objects.get(district=week, is_current=True)
    run.unstaffed.create(
        district=week, mandate=lost, block=lost.blocks.get(), date=run.week_start.replace(day=25),
        start=13 * 60, end=14 * 60, reason="none_qualified",
    )  # fmt: skip
    return run


def test_refresh_alerts_syncs_the_current_plans_alerts_and_looks_ahead(week, run_with_gap):
    opened = tasks.refresh_alerts.delay(week.pk, run_with_gap.pk).get()

    assert opened == 1
    assert sorted(Alert.objects.values_list("kind", "mandate__code", "severity", "cause")) == [
        ("unstaffed", "M-ASL", "high", "vacancy"),
        ("vague_mandate", "M-VAGUE", "normal", "vague_mandate"),
    ]


def test_refresh_alerts_for_another_district_or_a_past_plan_does_nothing(
    week, run_with_gap, district_b
):
    assert tasks.refresh_alerts.delay(district_b.pk, run_with_gap.pk).get() == 0
    assert Alert.objects.count() == 0

    AllocationRun.objects.filter(pk=run_with_gap.pk).update(is_current=False)

    assert tasks.refresh_alerts.delay(week.pk, run_with_gap.pk).get() == 0
    assert Alert.objects.count() == 0
