"""Rates per person and per token, answered in the one error shape; a case manager's reach."""

from __future__ import annotations

from staffing.api.policy import PersonThrottle, TokenThrottle
from tests import factories as f
from tests.api_personas import client_as, issue


def test_a_person_and_a_token_each_have_their_own_rate(district_a, director_a, monkeypatch):
    rates = {"person": "2/minute", "token": "3/minute"}
    monkeypatch.setattr(PersonThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", rates)
    person = client_as(director_a)
    token = client_as(raw_token=issue(district_a, director_a))

    by_person = [person.get("/api/v1/schools/").status_code for _ in range(3)]
    by_token = [token.get("/api/v1/schools/").status_code for _ in range(4)]
    refused = person.get("/api/v1/schools/")

    assert by_person == [200, 200, 429]
    assert by_token == [200, 200, 200, 429]
    error = refused.json()["error"]
    assert (error["code"], error["fields"]) == ("throttled", {})
    assert error["message"].startswith("Request was throttled. Expected available in ")
    assert int(refused["Retry-After"]) > 0


def test_a_case_manager_reaches_only_their_schools_students(worlds, district_a):
    elsewhere = f.SchoolFactory(district=district_a, code="ELSEWHERE")
    hidden = f.StudentFactory(school=elsewhere, code="STU-ELSE")
    mine = worlds["a"]["student"]
    client = client_as(worlds["a"]["member"].user)

    listed = [s["code"] for s in client.get("/api/v1/students/").json()["results"]]
    schools = [s["code"] for s in client.get("/api/v1/schools/").json()["results"]]

    assert listed == [mine.code]
    assert client.get(f"/api/v1/students/{hidden.pk}/").status_code == 404
    assert client.get(f"/api/v1/students/{mine.pk}/").status_code == 200
    # Staffing data stays district-wide, as in the admin: finding cover is their job.
    assert schools == ["ELSEWHERE", "SCH-A"]


def test_lists_are_paginated(district_a, director_a):
    for i in range(3):
        f.SchoolFactory(district=district_a, code=f"S{i}")

    page = client_as(director_a).get("/api/v1/schools/", {"page_size": 2, "page": 2}).json()

    assert (page["count"], [s["code"] for s in page["results"]]) == (3, ["S2"])
    assert page["next"] is None
    assert page["previous"] == "http://testserver/api/v1/schools/?page_size=2"


def test_a_bad_page_and_a_bad_filter_are_errors_in_the_one_shape(district_a, director_a):
    client = client_as(director_a)

    assert client.get("/api/v1/schools/", {"page": 9}).json() == {
        "error": {"code": "not_found", "message": "Invalid page.", "fields": {}}
    }
    assert client.get("/api/v1/alerts/", {"status": "lost"}).json()["error"]["fields"] == {
        "status": ["Select a valid choice. lost is not one of the available choices."]
    }


def test_every_answer_showing_students_tells_the_record_of_access_once(worlds, district_a):
    from staffing.api.base import student_records_read

    heard = []

    def listen(sender, scope, student_ids, what, door, **kwargs):
        heard.append((scope.user_id, student_ids, what, door))

    student_records_read.connect(listen)
    try:
        client = client_as(worlds["a"]["member"].user)
        student = worlds["a"]["student"]
        client.get("/api/v1/mandates/")
        client.get(f"/api/v1/students/{student.pk}/")
        client.get("/api/v1/schools/")
    finally:
        student_records_read.disconnect(listen)

    user_id = worlds["a"]["member"].user_id
    assert heard == [
        (user_id, [student.pk], "mandate", "api"),
        (user_id, [student.pk], "student", "api"),
    ]
