"""Writing alerts: the rows a sync or a look-ahead wants, against the rows there are."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from allocations.alerts.common import RANK, SyncCounts, Wanted
from allocations.alerts.notifications import alerts_notify
from allocations.models import Alert
from staffing.models import District

FIELDS = (
    "kind",
    "severity",
    "cause",
    "title",
    "detail",
    "date",
    "school_id",
    "student_id",
    "mandate_id",
    "aide_id",
    "contract_id",
    "minutes",
    "suggestions",
)
STATE = (
    "rank",
    "status",
    "times_opened",
    "opened_at",
    "updated_at",
    "resolved_at",
    "resolved_by",
    "acknowledged_at",
    "acknowledged_by",
    "resolution_note",
)
AUTO_CLOSED = "Closed automatically: the plan no longer shows this gap."


@transaction.atomic
def alerts_apply(*, district: District, wanted: list[Wanted], scope: Q) -> SyncCounts:
    """Open, update, reopen and resolve the district's alerts in `scope` (and any with a wanted
    key) so that they match `wanted`: a persisting gap updates its alert, a filled gap
    resolves it, a gap that comes back (or grows after someone resolved it) reopens it. Mails
    those just opened."""
    now = timezone.now()
    counts = SyncCounts()
    keys = [w.key for w in wanted]
    existing = {
        a.key: a
        for a in Alert.objects.select_for_update()
        .filter(district=district)
        .filter(scope | Q(key__in=keys))
    }
    opened: list[Alert] = []
    changed: list[Alert] = []
    for w in wanted:
        alert = existing.get(w.key)
        if alert is None:
            opened.append(_new(district=district, wanted=w, now=now))
        elif _update(alert, wanted=w, now=now, counts=counts):
            changed.append(alert)
    wanted_keys = set(keys)
    for key, alert in existing.items():
        if key not in wanted_keys and alert.status != Alert.Status.RESOLVED:
            _close(alert, now=now)
            changed.append(alert)
            counts.resolved += 1
    Alert.objects.bulk_create(opened, batch_size=1000)
    counts.opened += len(opened)
    if changed:
        Alert.objects.bulk_update(changed, [*FIELDS, *STATE], batch_size=1000)
    fresh = opened + [a for a in changed if a.status == Alert.Status.OPEN and a.opened_at == now]
    counts.notified = alerts_notify(district=district, alerts=fresh)
    return counts


def _values(wanted: Wanted) -> dict[str, object]:
    return {name: getattr(wanted, name) for name in FIELDS}


def _new(*, district: District, wanted: Wanted, now: dt.datetime) -> Alert:
    return Alert(
        district=district,
        key=wanted.key,
        rank=RANK[wanted.severity],
        opened_at=now,
        **_values(wanted),
    )


def _update(alert: Alert, *, wanted: Wanted, now: dt.datetime, counts: SyncCounts) -> bool:
    """Bring one existing alert up to date; False when nothing changed."""
    values = _values(wanted)
    reopen = alert.status == Alert.Status.RESOLVED and (
        alert.resolved_by_id is None or wanted.minutes > alert.minutes
    )
    if not reopen and all(getattr(alert, k) == v for k, v in values.items()):
        return False
    for name, value in values.items():
        setattr(alert, name, value)
    alert.rank = RANK[wanted.severity]
    alert.updated_at = now
    if reopen:
        alert.status = Alert.Status.OPEN
        alert.times_opened += 1
        alert.opened_at = now
        alert.resolved_at = alert.resolved_by = None
        alert.acknowledged_at = alert.acknowledged_by = None
        alert.resolution_note = ""
        counts.opened += 1
    else:
        counts.updated += 1
    return True


def _close(alert: Alert, *, now: dt.datetime) -> None:
    alert.status = Alert.Status.RESOLVED
    alert.resolved_at = now
    alert.resolved_by = None
    alert.updated_at = now
    alert.resolution_note = AUTO_CLOSED
