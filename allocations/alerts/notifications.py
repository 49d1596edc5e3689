"""Telling people: a newly opened critical alert mails the student's school's case managers,
the case managers with the student in their caseload and the district's directors at once
(one email per person per sync, listing them all); the others go into the daily digest
(staffing/notify.py, a transactional outbox)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from typing import Any

from allocations.models import Alert
from staffing import notify
from staffing.models import District
from students.scope import StaffReach


def alerts_notify(*, district: District, alerts: list[Alert]) -> int:
    """One urgent email per person for the critical alerts just opened, one digest line per
    person for each of the others."""
    if not alerts:
        return 0
    sent = 0
    recipients = StaffReach(district=district)
    urgent: dict[Any, list[Alert]] = defaultdict(list)
    for alert in alerts:
        users = recipients(alert.school_id, alert.student_id)
        if alert.severity == Alert.Severity.CRITICAL:
            for user in users:
                urgent[user].append(alert)
        elif users:
            sent += notify.notify(
                district=district,
                users=users,
                key=f"alert:{alert.pk}:{alert.times_opened}",
                subject=f"[{alert.get_severity_display()}] {alert.title}",
                body=alert_body(alert),
                urgent=False,
            )
    for user, batch in urgent.items():
        sent += _urgent(district=district, user=user, batch=batch)
    return sent


def _urgent(*, district: District, user: Any, batch: list[Alert]) -> int:
    batch.sort(key=lambda a: (a.date or dt.date.min, a.title))
    digest = hashlib.sha1(  # noqa: S324 - a dedupe key, not a secret
        ",".join(f"{a.pk}:{a.times_opened}" for a in batch).encode()
    ).hexdigest()
    subject = (
        f"[Critical] {batch[0].title}"
        if len(batch) == 1
        else f"[Critical] {len(batch)} safety-tier services unstaffed in {district.name}"
    )
    return notify.notify(
        district=district,
        users=[user],
        key=f"critical:{digest}",
        subject=subject[:200],
        body="\n\n".join(alert_body(a) for a in batch),
        urgent=True,
    )


def alert_body(alert: Alert) -> str:
    lines = [alert.title, alert.detail]
    if alert.suggestions:
        lines.append("Qualified cover, best first:")
        lines += [f"- {s['name']} ({s['aide']}): {s['why']}" for s in alert.suggestions]
    elif alert.kind == Alert.Kind.UNSTAFFED:
        lines.append("No qualified aide of the school could cover it.")
    lines.append(f"Open it: /admin/allocations/alert/{alert.pk}/change/")
    return "\n".join(line for line in lines if line)
