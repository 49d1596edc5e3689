"""The adapter builds the engine's policy from the district's settings."""

from __future__ import annotations

import datetime as dt

from allocations import engine
from allocations.adapter import policy_for, problem_for_week
from staffing.models import District

WEEK = dt.date(2026, 11, 23)


def test_the_engines_safety_tier_is_the_districts_setting(district_a, district_b):
    District.objects.filter(pk=district_a.pk).update(safety_qualifications=["SEIZURE", "MEDICAL"])
    district_a.refresh_from_db()

    assert policy_for(district=district_a).safety_qualifications == {"MEDICAL", "SEIZURE"}
    assert problem_for_week(district=district_a, week_start=WEEK).policy == engine.Policy(
        safety_qualifications=frozenset({"MEDICAL", "SEIZURE"})
    )
    assert problem_for_week(district=district_b, week_start=WEEK).policy == engine.Policy()
    given = engine.Policy(safety_qualifications=frozenset(), safety_weight=10)
    assert problem_for_week(district=district_a, week_start=WEEK, policy=given).policy is given
