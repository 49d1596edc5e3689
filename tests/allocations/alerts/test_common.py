"""Severity follows the district's safety tier, which the district may change."""

from __future__ import annotations

from allocations.alerts import severity_of
from staffing.models import District


def test_severity_follows_the_safety_tier():
    safety = District(code="X", name="X").safety_codes
    assert safety == frozenset({"MEDICAL", "PERSONAL_CARE"})
    assert severity_of(support="one_to_one", required={"MEDICAL"}, safety=safety) == "critical"
    assert severity_of(support="shared", required={"PERSONAL_CARE"}, safety=safety) == "critical"
    assert severity_of(support="one_to_one", required={"BEHAVIOR"}, safety=safety) == "high"
    assert severity_of(support="shared", required=set(), safety=safety) == "normal"


def test_a_district_that_adds_a_qualification_to_its_safety_tier_raises_its_severity():
    safety = frozenset({"MEDICAL", "SEIZURE"})
    assert severity_of(support="shared", required={"SEIZURE"}, safety=safety) == "critical"
    assert severity_of(support="shared", required={"PERSONAL_CARE"}, safety=safety) == "normal"
    assert severity_of(support="one_to_one", required={"PERSONAL_CARE"}, safety=frozenset()) == (
        "high"
    )
