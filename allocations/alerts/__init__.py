"""Alerts: what a case manager must act on, kept in step with the plan.

- `sync`: after every plan and re-plan, over the school-days it touched, one alert per mandate
  and date with unstaffed minutes, keyed so that a persisting gap updates its alert, a filled
  gap resolves it and a gap that comes back reopens it (never a second alert, never a storm).
  Each says why in a director's words and ranks qualified cover (both found by the engine).
- `look_ahead`: daily, qualifications, contracts and mandates that will leave a service
  unstaffed.
- `services` writes the rows, `notifications` mails people, `actions` are what people do.

Severity: critical when the mandate requires one of the district's safety qualifications
(`District.safety_qualifications`), high for the other 1:1 mandates, normal otherwise.
"""

from allocations.alerts.actions import alert_acknowledge, alert_resolve
from allocations.alerts.common import RANK, SyncCounts, Wanted, severity_of
from allocations.alerts.look_ahead import alerts_look_ahead
from allocations.alerts.services import alerts_apply
from allocations.alerts.sync import alerts_sync

__all__ = [
    "RANK",
    "SyncCounts",
    "Wanted",
    "alert_acknowledge",
    "alert_resolve",
    "alerts_apply",
    "alerts_look_ahead",
    "alerts_sync",
    "severity_of",
]
