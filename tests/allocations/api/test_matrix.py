"""Every endpoint, every role, another district's ids: all 404 (parents 403, anonymous 401),
lists never show another district's rows, and nothing in the database changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from allocations.api.models import ImportJob
from allocations.ledger.models import DeliveryRecord
from allocations.models import Alert, AllocationRun, Assignment, UnstaffedRun
from allocations.reports.models import ShortfallReport
from staffing.models import Absence
from tests.api_personas import ROLES

WEEK = dt.date(2026, 11, 23)
REFUSED = {"parent_a": 403, "anonymous": 401}


def _ids(world, district):
    """The ids of one district's rows, by resource."""

    def one(model):
        return model.objects.filter(district=district).values_list("pk", flat=True).get()

    return {
        "schools": world["school"].pk,
        "aides": world["aide"].pk,
        "contracts": world["contract"].pk,
        "absences": one(Absence),
        "students": world["student"].pk,
        "mandates": world["mandate"].pk,
        "assignments": one(Assignment),
        "unstaffed": one(UnstaffedRun),
        "runs": one(AllocationRun),
        "alerts": one(Alert),
        "delivery-records": one(DeliveryRecord),
        "reports": one(ShortfallReport),
        "imports": one(ImportJob),
    }


@pytest.fixture
def ids(worlds, district_a, district_b):
    for district in (district_a, district_b):
        ShortfallReport.objects.create(
            district=district,
            week_start=WEEK,
            status="failed",
            error="no plan",
            built_at=dt.datetime.now(dt.UTC),
        )
    return {"a": _ids(worlds["a"], district_a), "b": _ids(worlds["b"], district_b)}


def _requests(their):
    """(label, method, path, body) of every endpoint that names a row by id."""
    reads = [(f"GET {name}", "get", f"/api/v1/{name}/{pk}/", None) for name, pk in their.items()]
    record = their["delivery-records"]
    return [
        *reads,
        ("DELETE absences", "delete", f"/api/v1/absences/{their['absences']}/", None),
        ("acknowledge", "post", f"/api/v1/alerts/{their['alerts']}/acknowledge/", {}),
        ("resolve", "post", f"/api/v1/alerts/{their['alerts']}/resolve/", {"note": "covered"}),
        (
            "correct",
            "post",
            f"/api/v1/delivery-records/{record}/correct/",
            {"outcome": "delivered", "note": "was there"},
        ),
    ]


def _row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.parametrize("role", ROLES)
def test_another_districts_ids_are_not_found_and_change_nothing(role, callers, ids):
    client, other = callers[role]
    before = _row_counts()
    alert_states = sorted(Alert.objects.values_list("pk", "status"))

    answers = {}
    for label, method, path, body in _requests(ids[other]):
        response = getattr(client, method)(path, body, format="json")
        answers[label] = (response.status_code, sorted(response.json()["error"]))

    expected = REFUSED.get(role, 404)
    assert answers == {label: (expected, ["code", "fields", "message"]) for label in answers}
    assert len(answers) == 17
    assert _row_counts() == before
    assert sorted(Alert.objects.values_list("pk", "status")) == alert_states


@pytest.mark.parametrize("role", ROLES)
def test_lists_never_show_another_districts_rows(role, callers, ids):
    client, other = callers[role]
    expected = REFUSED.get(role, 200)

    answers = {}
    for name, their_id in ids[other].items():
        response = client.get(f"/api/v1/{name}/", {"run": ids[other]["runs"]} | {"page_size": 500})
        rows = response.json().get("results", []) if response.status_code == 200 else []
        answers[name] = (response.status_code, [r["id"] for r in rows if r["id"] == their_id])

    assert answers == {name: (expected, []) for name in ids[other]}


@pytest.mark.parametrize("role", ["director_a", "token_a"])
def test_the_same_requests_with_the_districts_own_ids_answer(role, callers, ids):
    client, _ = callers[role]
    codes = {
        label: getattr(client, method)(path, body, format="json").status_code
        for label, method, path, body in _requests(ids["a"])
    }
    assert codes == {
        **{f"GET {name}": 200 for name in ids["a"]},
        "DELETE absences": 200,
        "acknowledge": 200,
        "resolve": 200,
        "correct": 201,
    }


def test_filters_naming_another_districts_rows_find_nothing(callers, ids):
    client, _ = callers["director_a"]
    theirs = ids["b"]
    found = {
        path: client.get(path).json()["count"]
        for path in (
            f"/api/v1/aides/?school={theirs['schools']}",
            f"/api/v1/aides/?contract={theirs['contracts']}",
            f"/api/v1/students/?school={theirs['schools']}",
            f"/api/v1/mandates/?student={theirs['students']}",
            f"/api/v1/alerts/?student={theirs['students']}",
            f"/api/v1/assignments/?run={theirs['runs']}",
            f"/api/v1/delivery-records/?student={theirs['students']}",
            f"/api/v1/compensatory-balances/?student={theirs['students']}",
        )
    }
    assert found == dict.fromkeys(found, 0)
