"""record_absence reads --date as YYYY-MM-DD only, within the date window around the
district's today (issue 9, item 5); a refused date writes nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from allocations.models import PlanRepair
from staffing.models import Absence
from staffing.selectors import district_today
from staffing.validators import DAY_IN_WINDOW

from .conftest import plan


@pytest.mark.parametrize("text", ["20261201", "2026-W49-3", "2026-12-1", "2026-12-01T00:00"])
def test_a_date_not_written_yyyy_mm_dd_is_refused(week, text):
    before = (Absence.objects.count(), PlanRepair.objects.count(), plan(week))
    with pytest.raises(CommandError) as refused:
        call_command("record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date", text)
    assert str(refused.value) == f"--date {text}: not a date YYYY-MM-DD"
    assert (Absence.objects.count(), PlanRepair.objects.count(), plan(week)) == before


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_the_window_is_refused(week, text):
    first, last = DAY_IN_WINDOW.window(district_today(district=week))
    before = (Absence.objects.count(), PlanRepair.objects.count(), plan(week))
    with pytest.raises(CommandError) as refused:
        call_command("record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date", text)
    assert str(refused.value) == (
        f"--date {text}: {text} is outside the dates accepted, {first} to {last}."
    )
    assert (Absence.objects.count(), PlanRepair.objects.count(), plan(week)) == before
