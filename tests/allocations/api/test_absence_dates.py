"""The API reads an absence's date as record_absence and the admin do (issue 9, item 5):
YYYY-MM-DD only, within the date window; a refused date writes nothing."""

from __future__ import annotations

from allocations.models import PlanRepair
from staffing.models import Absence
from staffing.validators import DAY_IN_WINDOW
from tests.allocations.conftest import plan
from tests.api_personas import client_as


def test_an_absence_dated_outside_the_window_or_not_yyyy_mm_dd_is_refused(week, director_a):
    client = client_as(director_a)
    first, last = DAY_IN_WINDOW.window()
    before = (Absence.objects.count(), PlanRepair.objects.count(), plan(week))

    answers = [
        client.post("/api/v1/absences/", {"aide": "AIDE-1", "date": text}, format="json")
        for text in ("0001-01-01", "9999-12-31", "20261201", "2026-W49-3")
    ]

    assert [a.status_code for a in answers] == [400, 400, 400, 400]
    assert [a.json()["error"]["fields"] for a in answers] == [
        {"date": [f"0001-01-01 is outside the dates accepted, {first} to {last}."]},
        {"date": [f"9999-12-31 is outside the dates accepted, {first} to {last}."]},
        {"date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        {"date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
    ]
    assert (Absence.objects.count(), PlanRepair.objects.count(), plan(week)) == before
