"""Acknowledging and resolving an alert: only the alert's own district finds it, and only its
staff who reach the student may act; every refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from allocations.alerts import alert_acknowledge, alert_resolve
from allocations.models import Alert


@pytest.fixture
def gap(week):
    for code in ("AIDE-1", "AIDE-2"):
        call_command(
            "record_absence", "--district", "ALPHA", "--aide", code, "--date", "2026-11-24"
        )
    return Alert.objects.get(severity="critical")


def _state(alert):
    alert.refresh_from_db()
    return (
        alert.status,
        alert.acknowledged_by,
        alert.resolved_by,
        alert.resolution_note,
        alert.updated_at,
    )


def test_resolving_another_districts_alert_is_refused(week, gap, director_b, parent_of_student_a):
    before = _state(gap)
    for intruder in (director_b, parent_of_student_a):
        with pytest.raises(PermissionDenied):
            alert_resolve(district=week, user=intruder, alert_id=gap.pk, note="covered")
    assert _state(gap) == before
    assert (gap.status, gap.resolved_by, gap.resolution_note) == ("open", None, "")


def test_an_alert_id_of_another_district_is_not_found(gap, district_b, director_b):
    before = _state(gap)
    with pytest.raises(Alert.DoesNotExist):
        alert_acknowledge(district=district_b, user=director_b, alert_id=gap.pk)
    with pytest.raises(Alert.DoesNotExist):
        alert_resolve(district=district_b, user=director_b, alert_id=gap.pk, note="mine now")
    assert _state(gap) == before
    assert gap.status == "open"


def test_staff_acknowledge_then_resolve_with_a_note(week, gap, director_a):
    acknowledged = alert_acknowledge(district=week, user=director_a, alert_id=gap.pk)
    assert (acknowledged.status, acknowledged.acknowledged_by) == ("acknowledged", director_a)
    with pytest.raises(ValidationError, match="Only an open alert can be acknowledged"):
        alert_acknowledge(district=week, user=director_a, alert_id=gap.pk)
    with pytest.raises(ValidationError, match="Say how it was resolved"):
        alert_resolve(district=week, user=director_a, alert_id=gap.pk, note="  ")
    resolved = alert_resolve(district=week, user=director_a, alert_id=gap.pk, note=" Kim covered ")
    assert _state(gap)[:4] == ("resolved", director_a, director_a, "Kim covered")
    assert resolved.resolved_at is not None
