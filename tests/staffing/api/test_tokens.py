"""API tokens: made by a director in the admin, shown once, stored hashed, refused once revoked
or once their maker no longer directs the district."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from staffing.api.models import ApiToken
from staffing.models import Membership
from tests.api_personas import client_as, issue

ADD = reverse("admin:staffing_api_apitoken_add")
LIST = reverse("admin:staffing_api_apitoken_changelist")


def _error(response):
    return response.status_code, response.json()["error"]["code"]


def test_a_director_makes_a_token_in_the_admin_and_sees_it_once(client, director_a, district_a):
    client.force_login(director_a)

    response = client.post(ADD, {"name": "SIS sync"}, follow=True)

    [message] = [str(m) for m in get_messages(response.wsgi_request) if "copy it" in str(m)]
    raw = message.split(": ", 1)[1].split(" ", 1)[0]
    token = ApiToken.objects.get()
    assert (token.district, token.name, token.created_by) == (district_a, "SIS sync", director_a)
    assert raw.startswith("pc_")
    assert len(raw) == 46
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:9]
    assert raw not in str(ApiToken.objects.values().get())
    page = client.get(reverse("admin:staffing_api_apitoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert raw not in page.content.decode()
    assert token.prefix in page.content.decode()


def test_the_token_calls_the_api_as_its_district_and_records_its_use(district_a, director_a):
    raw = issue(district_a, director_a)
    assert ApiToken.objects.get().last_used_at is None

    response = client_as(raw_token=raw).get("/api/v1/schools/")

    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_is_refused(client, district_a, director_a):
    raw = issue(district_a, director_a)
    token = ApiToken.objects.get()
    client.force_login(director_a)

    client.post(LIST, {"action": "revoke", "_selected_action": [token.pk]})

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _error(client_as(raw_token=raw).get("/api/v1/schools/")) == (
        401,
        "authentication_failed",
    )


def test_an_unknown_token_is_refused(district_a):
    response = client_as(raw_token="pc_not-a-token").get("/api/v1/schools/")
    assert _error(response) == (401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_stops_when_its_maker_no_longer_directs_the_district(district_a, director_a):
    raw = issue(district_a, director_a)
    Membership.objects.filter(user=director_a).update(role=Membership.Role.CASE_MANAGER)

    assert _error(client_as(raw_token=raw).get("/api/v1/schools/")) == (
        401,
        "authentication_failed",
    )


def test_case_managers_cannot_see_or_make_tokens(client, case_manager_a, district_a, director_a):
    issue(district_a, director_a)
    client.force_login(case_manager_a)

    assert client.get(LIST).status_code == 403
    assert client.post(ADD, {"name": "mine"}).status_code == 403
    assert ApiToken.objects.count() == 1


def test_another_districts_token_cannot_be_revoked(client, director_a, district_b, director_b):
    issue(district_b, director_b)
    theirs = ApiToken.objects.get()
    client.force_login(director_a)

    client.post(LIST, {"action": "revoke", "_selected_action": [theirs.pk]})

    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    change = reverse("admin:staffing_api_apitoken_change", args=[theirs.pk])
    assert client.get(change).status_code == 404


def test_token_names_are_unique_per_district(
    client, director_a, district_a, district_b, director_b
):
    issue(district_b, director_b, name="SIS sync")
    issue(district_a, director_a, name="SIS sync")
    client.force_login(director_a)

    response = client.post(ADD, {"name": "SIS sync"})

    assert response.status_code == 200
    assert "The district has a token of that name already." in response.content.decode()
    assert ApiToken.objects.count() == 2


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b"])
def test_a_malformed_header_is_refused(district_a, header):
    client = client_as()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert _error(client.get("/api/v1/schools/")) == (401, "authentication_failed")
