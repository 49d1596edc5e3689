"""Two districts side by side (issue 9): each with a director, a case manager for the whole
district, one limited to one school, a parent, and one row of every tenant model whose text
carries the district's canary. District A's people attack; district B's canary must never show."""

from __future__ import annotations

import datetime as dt

import pytest

from allocations.reports.models import ShortfallReport
from staffing.api.policy import PersonThrottle
from staffing.models import Membership
from tests import factories as f

# Distinct strings that occur in no template, so their presence in a page means a leaked row.
CANARY = {"a": "ZqAlfa", "b": "ZqBravo"}
WEEK = dt.date(2026, 11, 23)


def _district(make_world, letter):
    district = f.DistrictFactory(code=f"D{letter.upper()}", name=f"District {CANARY[letter]}")
    world = make_world(district, CANARY[letter])
    # make_world's staff member is a case manager limited to the world's one school.
    world["scoped_case_manager"] = world["member"].user
    f.SchoolFactory(district=district, code=f"OTHER-{letter}", name=f"Other {CANARY[letter]}")
    world["director"] = f.MembershipFactory(
        district=district,
        user=f.UserFactory(username=f"director-{letter}", is_staff=True),
        role=Membership.Role.DIRECTOR,
    ).user
    world["case_manager"] = f.MembershipFactory(
        district=district,
        user=f.UserFactory(username=f"case-manager-{letter}", is_staff=True),
        role=Membership.Role.CASE_MANAGER,
    ).user
    world["parent"] = world["guardian"].user
    world["report"] = ShortfallReport.objects.create(
        district=district, week_start=WEEK, status="failed", error=f"no plan {CANARY[letter]}",
        built_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    world["district"] = district
    return world


@pytest.fixture
def two_districts(make_world):
    """{"a": world, "b": world}: each world is make_world's dict plus district, director,
    case_manager (whole district), scoped_case_manager (one school), parent and report."""
    return {"a": _district(make_world, "a"), "b": _district(make_world, "b")}


@pytest.fixture(autouse=True)
def _no_api_throttle(monkeypatch):
    # Hundreds of calls by one person would be answered 429 before the door itself is tried;
    # the throttle has its own tests (tests/staffing/api).
    monkeypatch.setattr(PersonThrottle, "allow_request", lambda self, request, view: True)
