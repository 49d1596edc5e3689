"""Out-of-range and garbage weeks and dates in the query string (issue 9, item 4), on every page
of the project as the people who can open it: an answer in words (200 or 400), never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.attacks.urls import fill, patterns

pytestmark = pytest.mark.django_db

VALUES = ["0001-01-01", "9999-12-31", "abc", "20261201", "2026-W49-3"]
# The query names a page reads a week or a date from; every page gets them all, so a page that
# starts reading one later is tried without this list knowing it.
NAMES = ["week", "date", "week_start", "date__gte", "date__lte"]
# The admin's date filters (its pages are walked for isolation in tests/staffing).
ADMIN_LISTS = ["/admin/staffing/absence/", "/admin/staffing/closure/", "/admin/allocations/alert/"]


def _answers(user, urls) -> list[str]:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    crashes = []
    # A page the person may not open refuses before it reads the query.
    for url in [url for url in urls if client.get(url).status_code == 200]:
        for name in NAMES:
            for value in VALUES:
                response = client.get(url, {name: value})
                if response.status_code >= 500:
                    crashes.append(f"GET {url}?{name}={value}: {response.status_code}")
    return crashes


def _own_pages(world) -> list[str]:
    # Own ids, so that the page gets past its 404 and reads the query; a `.json` suffix is the
    # same view as its page.
    return [
        fill(pattern, world)
        for pattern in patterns()
        if "token" not in pattern.params and "format" not in pattern.params
    ]


@pytest.mark.parametrize("persona", ["director", "parent"])
def test_bad_weeks_and_dates_never_crash_a_page(two_districts, persona):
    world = two_districts["a"]

    assert _answers(world[persona], _own_pages(world)) == []


def test_bad_dates_never_crash_the_admin_lists(two_districts):
    assert _answers(two_districts["a"]["director"], ADMIN_LISTS) == []
