"""What the API writes goes through the same services as every other door: an absence re-plans
the day exactly as record_absence does, a run is the director's, alerts and the ledger follow
the caller's reach."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.db import transaction

from allocations.ledger.models import DeliveryRecord
from allocations.models import Alert, AllocationRun, PlanRepair
from staffing.models import Absence
from tests.allocations.conftest import TUESDAY, plan
from tests.api_personas import client_as, issue


def _replanned(district):
    """The week's plan and what each re-plan changed."""
    repairs = PlanRepair.objects.order_by("pk")
    return plan(district), [(r.covered_before, r.covered_after, r.changes) for r in repairs]


def test_an_absence_through_the_api_re_plans_the_day_as_the_command_does(week, director_a):
    body = {"aide": "AIDE-1", "date": "2026-11-24", "reason": "flu"}
    with transaction.atomic():
        recorded = client_as(director_a).post("/api/v1/absences/", body, format="json")
        by_api = _replanned(week)
        transaction.set_rollback(True)
    assert (Absence.objects.count(), PlanRepair.objects.count()) == (0, 0)

    call_command(
        "record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date", "2026-11-24",
        "--reason", "flu",
    )  # fmt: skip

    assert by_api == _replanned(week)
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
    assert recorded.status_code == 201
    answer = recorded.json()
    assert answer["absence"] | {"id": 0, "aide": 0} == {
        "id": 0, "aide": 0, "aide_code": "AIDE-1", "date": "2026-11-24", "start": None,
        "end": None, "reason": "flu",
    }  # fmt: skip
    repair = answer["replan"]["repair"]
    assert (answer["replan"]["note"], repair["covered_before"], repair["covered_after"]) == (
        "",
        120,
        120,
    )
    assert repair["trigger"] == "absence of AIDE-1 recorded through the API"


def test_cancelling_an_absence_re_plans_its_day(week, director_a):
    client = client_as(director_a)
    recorded = client.post("/api/v1/absences/", {"aide": "AIDE-1", "date": "2026-11-24"})

    cancelled = client.delete(f"/api/v1/absences/{recorded.json()['absence']['id']}/")

    assert cancelled.status_code == 200
    assert Absence.objects.count() == 0
    # The substitute still works, so nothing changes back: the re-plan says why.
    assert cancelled.json()["replan"] == {
        "repair": None,
        "note": "the aide had nothing planned that day: no plan changed",
    }
    assert cancelled.json()["absence"]["aide_code"] == "AIDE-1"
    assert PlanRepair.objects.count() == 1


def test_a_case_manager_records_an_absence_for_part_of_a_day(week):
    client = client_as(week_case_manager())
    body = {"aide": "AIDE-1", "date": "2026-11-24", "start": "09:00", "end": "10:00"}

    response = client.post("/api/v1/absences/", body, format="json")

    assert response.status_code == 201
    assert list(Absence.objects.values_list("aide__code", "date", "start", "end")) == [
        ("AIDE-1", TUESDAY, 540, 600)
    ]


def week_case_manager():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="cm_lincoln")


def test_a_refused_absence_names_its_fields_and_writes_nothing(week, director_a):
    client = client_as(director_a)
    client.post("/api/v1/absences/", {"aide": "AIDE-1", "date": "2026-11-24"}, format="json")
    before = (Absence.objects.count(), PlanRepair.objects.count(), plan(week))

    answers = [
        client.post("/api/v1/absences/", body, format="json").json()
        for body in (
            {"aide": "AIDE-1", "date": "2026-11-24", "start": "09:00", "end": "10:00"},
            {"aide": "NOBODY", "date": "2026-11-24"},
            {"aide": "AIDE-2", "date": "2026-11-24", "start": "09:00"},
            {"aide": "AIDE-2", "date": "2026-11-24", "start": "09:10", "end": "10:00"},
        )
    ]

    assert answers == [
        {"error": {"code": "invalid", "fields": {}, "message":
            "aide AIDE-1 is already absent on 2026-11-24 all day: the absences would overlap"}},
        {"error": {"code": "invalid", "message": "Some values are not valid: see fields.",
            "fields": {"aide": ["no such aide in district ALPHA"]}}},
        {"error": {"code": "invalid", "message": "Some values are not valid: see fields.",
            "fields": {"start": ["give both for part of a day, or neither"],
                       "end": ["give both for part of a day, or neither"]}}},
        {"error": {"code": "invalid", "message": "Some values are not valid: see fields.",
            "fields": {"start": ["'09:10' is not on the 15-minute grid"]}}},
    ]  # fmt: skip
    assert (Absence.objects.count(), PlanRepair.objects.count(), plan(week)) == before


def test_only_the_director_starts_a_run(week, director_a, django_capture_on_commit_callbacks):
    runs = AllocationRun.objects.count()

    refused = client_as(week_case_manager()).post(
        "/api/v1/runs/", {"week_start": "2026-11-30"}, format="json"
    )
    not_monday = client_as(director_a).post(
        "/api/v1/runs/", {"week_start": "2026-12-01"}, format="json"
    )
    assert AllocationRun.objects.count() == runs
    with django_capture_on_commit_callbacks(execute=True):
        started = client_as(director_a).post(
            "/api/v1/runs/", {"week_start": "2026-11-30"}, format="json"
        )
    followed = client_as(director_a).get(f"/api/v1/runs/{started.json()['id']}/")

    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "permission_denied")
    assert not_monday.json()["error"]["fields"] == {"week_start": ["2026-12-01 is not a Monday"]}
    assert started.status_code == 202
    assert started.json()["status"] == "pending"
    assert (followed.json()["status"], followed.json()["progress_percent"]) == ("succeeded", 100)
    assert AllocationRun.objects.count() == runs + 1


def test_a_token_starts_a_run_as_its_director(week, director_a, django_capture_on_commit_callbacks):
    client = client_as(raw_token=issue(week, director_a))
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/api/v1/runs/", {"week_start": "2026-11-30"}, format="json")

    assert started.status_code == 202
    assert AllocationRun.objects.get(pk=started.json()["id"]).started_by == director_a


def test_alerts_are_acknowledged_and_resolved_by_staff_who_reach_the_student(worlds, district_a):
    from tests import factories as f

    case_manager = worlds["a"]["member"].user
    elsewhere = f.SchoolFactory(district=district_a, code="ELSEWHERE")
    other_student = f.StudentFactory(school=elsewhere, code="STU-ELSE")
    hidden = Alert.objects.create(
        district=district_a, key="unstaffed:else", kind="unstaffed", severity="high",
        cause="aide_absent", title="Elsewhere", date=dt.date(2026, 11, 23), school=elsewhere,
        student=other_student, minutes=30, opened_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
    )  # fmt: skip
    mine = Alert.objects.get(district=district_a, key="unstaffed:A")
    client = client_as(case_manager)

    listed = [a["id"] for a in client.get("/api/v1/alerts/").json()["results"]]
    acknowledged = client.post(f"/api/v1/alerts/{mine.pk}/acknowledge/")
    again = client.post(f"/api/v1/alerts/{mine.pk}/acknowledge/")
    resolved = client.post(f"/api/v1/alerts/{mine.pk}/resolve/", {"note": "Bo covered"})
    not_theirs = client.post(f"/api/v1/alerts/{hidden.pk}/acknowledge/")

    assert listed == [mine.pk]
    assert acknowledged.json()["status"] == "acknowledged"
    assert again.json()["error"] == {
        "code": "invalid",
        "message": "Only an open alert can be acknowledged; this one is acknowledged.",
        "fields": {},
    }
    assert (resolved.json()["status"], resolved.json()["resolution_note"]) == (
        "resolved",
        "Bo covered",
    )
    assert not_theirs.status_code == 404
    hidden.refresh_from_db()
    assert hidden.status == "open"


def test_a_case_manager_corrects_a_ledger_record_of_their_student(worlds, district_a):
    record = DeliveryRecord.objects.get(district=district_a)
    client = client_as(worlds["a"]["member"].user)

    response = client.post(
        f"/api/v1/delivery-records/{record.pk}/correct/",
        {"outcome": "delivered", "note": "she was there"},
        format="json",
    )
    current = client.get("/api/v1/delivery-records/", {"is_current": "true"}).json()["results"]

    assert response.status_code == 201
    assert [(r["id"], r["outcome"], r["replaces"]) for r in current] == [
        (response.json()["id"], "delivered", record.pk)
    ]
    balances = client.get("/api/v1/compensatory-balances/").json()["results"]
    assert [(b["student_code"], b["accrued"], b["reversed"], b["owed"]) for b in balances] == [
        ("STU-A", 60, 60, 0)
    ]
