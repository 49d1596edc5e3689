"""Two districts with one row of everything (`make_world`), and a client for every role."""

from __future__ import annotations

import pytest

from tests.api_personas import _fresh_throttles, client_as, issue  # noqa: F401


@pytest.fixture
def worlds(make_world, district_a, district_b):
    return {"a": make_world(district_a, "A"), "b": make_world(district_b, "B")}


@pytest.fixture
def callers(worlds, district_a, district_b, director_a, director_b):
    """Each role's client and the district whose ids are *not* theirs ("a" or "b")."""
    case_manager = worlds["a"]["member"].user  # a case manager limited to school SCH-A
    parent = worlds["a"]["guardian"].user
    return {
        "director_a": (client_as(director_a), "b"),
        "case_manager_a": (client_as(case_manager), "b"),
        "parent_a": (client_as(parent), "b"),
        "director_b": (client_as(director_b), "a"),
        "token_a": (client_as(raw_token=issue(district_a, director_a)), "b"),
        "token_b": (client_as(raw_token=issue(district_b, director_b)), "a"),
        "anonymous": (client_as(), "b"),
    }
