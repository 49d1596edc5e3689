"""Every cause has one label, and the models' choices are built from the one list."""

from __future__ import annotations

from allocations.engine.causes import ALERT_CAUSES, SOLVER_REASONS, Cause
from allocations.labels import CAUSE_LABELS, cause_label
from allocations.models import Alert, UnstaffedRun


def test_each_cause_has_a_label():
    assert set(CAUSE_LABELS) == set(Cause)
    assert cause_label("no_aide_available") == "No aide available then"
    assert cause_label("contract_ended_or_cap") == "Contract ended or cap reached"


def test_the_models_store_members_of_the_one_list():
    assert UnstaffedRun.Reason is Cause
    assert Alert.Cause is Cause
    assert UnstaffedRun._meta.get_field("reason").choices == [
        (c.value, CAUSE_LABELS[c]) for c in SOLVER_REASONS
    ]
    assert [v for v, _ in Alert._meta.get_field("cause").choices] == [c.value for c in ALERT_CAUSES]
