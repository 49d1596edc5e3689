"""People acting on alerts: staff of the alert's district who reach its student acknowledge
it, then resolve it with a note. An alert of another district is not found."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.models import Alert
from staffing.models import District
from staffing.tenancy import district_staff_scope


def _alert_for_update(*, district: District, user: Any, alert_id: int) -> Alert:
    """The district's alert, locked, once `user` may act on it (Alert.DoesNotExist for an id
    of another district)."""
    alert = Alert.objects.select_for_update().get(pk=alert_id, district=district)
    scope = district_staff_scope(
        user=user,
        district_id=alert.district_id,
        refusal="This alert is not one of your district's.",
    )
    if alert.student_id is not None and not scope.reaches_student(
        student_id=alert.student_id, school_id=alert.school_id
    ):
        raise PermissionDenied("This student is not in your caseload or schools.")
    return alert


@transaction.atomic
def alert_acknowledge(*, district: District, user: Any, alert_id: int) -> Alert:
    alert = _alert_for_update(district=district, user=user, alert_id=alert_id)
    if alert.status != Alert.Status.OPEN:
        raise ValidationError(
            f"Only an open alert can be acknowledged; this one is {alert.status}."
        )
    alert.status = Alert.Status.ACKNOWLEDGED
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = user
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    return alert


@transaction.atomic
def alert_resolve(*, district: District, user: Any, alert_id: int, note: str) -> Alert:
    alert = _alert_for_update(district=district, user=user, alert_id=alert_id)
    if alert.status == Alert.Status.RESOLVED:
        raise ValidationError("This alert is already resolved.")
    if not note.strip():
        raise ValidationError("Say how it was resolved (who covered, or what was decided).")
    alert.status = Alert.Status.RESOLVED
    alert.resolved_at = timezone.now()
    alert.resolved_by = user
    alert.resolution_note = note.strip()
    alert.save(
        update_fields=["status", "resolved_at", "resolved_by", "resolution_note", "updated_at"]
    )
    return alert
