"""The sign-in throttle (django-axes, docs/security.md): five wrong passwords for one account, or
from one address, pause sign-in there for fifteen minutes, on the site's and the admin's login."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from config import settings as production
from config.signin import client_address

pytestmark = pytest.mark.django_db

RIGHT = "pass-word-123"
LIMIT = 5
COOL_OFF = dt.timedelta(minutes=15)
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


@pytest.fixture
def throttle(settings):
    """The test settings switch the throttle off (`Client.login` has no request); on here."""
    settings.AXES_ENABLED = True
    return settings


def sign_in(client, username, password, address=HOME, url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in_user(client):
    return client.session.get("_auth_user_id")


def cool_off_passes():
    """Moves every recorded attempt the cool-off (and a second) into the past."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - COOL_OFF - dt.timedelta(seconds=1)
    )


def attempts():
    return sorted(
        AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")
    )


def test_the_throttle_is_on_outside_the_tests():
    assert not hasattr(production, "AXES_ENABLED")
    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert (production.AXES_FAILURE_LIMIT, production.AXES_COOLOFF_TIME) == (LIMIT, COOL_OFF)
    assert production.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_wrong_passwords_then_the_right_one_is_refused_until_the_cool_off_passes(
    client, throttle, director_a
):
    wrong = [sign_in(client, "director_a", f"guess-{i}") for i in range(LIMIT)]
    during = sign_in(client, "director_a", RIGHT)
    refused_user = signed_in_user(client)
    cool_off_passes()
    after = sign_in(client, "director_a", RIGHT)

    assert [r.status_code for r in wrong] == [200, 200, 200, 200, 429]
    assert "did not match" in wrong[0].content.decode()
    assert during.status_code == 429
    text = during.content.decode()
    assert "Too many wrong passwords" in text
    assert "paused for 15 minutes" in text
    assert refused_user is None
    assert (after.status_code, after["Location"]) == (302, "/")
    assert signed_in_user(client) == str(director_a.pk)


def test_fewer_wrong_passwords_than_the_limit_leave_sign_in_open(client, throttle, director_a):
    wrong = [sign_in(client, "director_a", f"guess-{i}").status_code for i in range(LIMIT - 1)]

    right = sign_in(client, "director_a", RIGHT)

    assert wrong == [200] * (LIMIT - 1)
    assert (right.status_code, right["Location"]) == (302, "/")
    assert attempts() == [("director_a", HOME, LIMIT - 1)]


def test_the_admin_login_is_throttled_too(client, throttle, director_a):
    url = reverse("admin:login")

    wrong = [sign_in(client, "director_a", f"guess-{i}", url=url).status_code for i in range(LIMIT)]
    right = sign_in(client, "director_a", RIGHT, url=url)

    assert wrong == [200, 200, 200, 200, 429]
    assert right.status_code == 429
    assert "Too many wrong passwords" in right.content.decode()
    assert signed_in_user(client) is None


def test_the_locked_account_is_refused_from_every_address(client, throttle, director_a):
    for i in range(LIMIT):
        sign_in(client, "director_a", f"guess-{i}")

    elsewhere = sign_in(client, "director_a", RIGHT, address=ELSEWHERE)

    assert elsewhere.status_code == 429
    assert signed_in_user(client) is None


def test_another_account_from_the_same_address_waits_out_the_cool_off_too(
    client, throttle, director_a, director_b
):
    for i in range(LIMIT):
        sign_in(client, "director_a", f"guess-{i}")

    same_address = sign_in(client, "director_b", RIGHT)
    refused_user = signed_in_user(client)
    other_address = sign_in(client, "director_b", RIGHT, address=ELSEWHERE)

    assert same_address.status_code == 429
    assert refused_user is None
    assert (other_address.status_code, other_address["Location"]) == (302, "/")
    assert signed_in_user(client) == str(director_b.pk)


def test_guesses_spread_over_many_accounts_add_up_per_address(client, throttle, director_a):
    spread = [sign_in(client, f"someone-{i}", "guess").status_code for i in range(LIMIT)]

    right = sign_in(client, "director_a", RIGHT)

    assert spread == [200, 200, 200, 200, 429]
    assert right.status_code == 429
    assert signed_in_user(client) is None
    assert attempts() == [
        ("director_a", HOME, 1),
        *((f"someone-{i}", HOME, 1) for i in range(LIMIT)),
    ]


def test_attempts_count_against_the_address_the_trusted_proxy_saw(settings):
    request = RequestFactory().post(
        "/accounts/login/",
        REMOTE_ADDR="172.18.0.5",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
    )
    settings.TRUSTED_PROXY_COUNT = 0
    direct = client_address(request)
    settings.TRUSTED_PROXY_COUNT = 1
    one_proxy = client_address(request)
    settings.TRUSTED_PROXY_COUNT = 3
    fewer_entries_than_proxies = client_address(request)

    assert (direct, one_proxy, fewer_entries_than_proxies) == (
        "172.18.0.5",
        "203.0.113.7",
        "172.18.0.5",
    )
