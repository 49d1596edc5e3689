"""Alerts: what a case manager must act on, kept in step with the plan.

- `alerts_sync` runs after every plan and re-plan, over the school-days it touched: one alert per
  mandate and date with unstaffed minutes, keyed so that a persisting gap updates its alert, a
  filled gap resolves it and a gap that comes back reopens it (never a second alert, never a
  storm). Each says why in a director's words and ranks qualified cover.
- `alerts_look_ahead` runs daily: qualifications a current assignment needs that expire within
  30 days, contracts that end or whose weekly cap is (nearly) reached within 14 days, mandates
  with nothing to staff (no times or settings).
- Notification: a newly opened critical alert mails the student's school's case managers and
  the district's directors at once (one email per person per sync, listing them all); the
  others go into the daily digest (staffing/notify.py, a transactional outbox).

Severity: critical when the mandate requires MEDICAL or PERSONAL_CARE, high for the other
one_to_one mandates, normal otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from allocations.models import Alert, AllocationRun, Assignment, UnstaffedRun
from staffing import notify
from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    AideSchool,
    AvailabilityWindow,
    Contract,
    District,
)
from staffing.selectors import district_today
from staffing.tenancy import district_staff_scope
from staffing.timeofday import format_span
from students.models import SAFETY_QUALIFICATIONS, MandateBlock, ParaMandate, Support

RANK = {Alert.Severity.CRITICAL: 0, Alert.Severity.HIGH: 1, Alert.Severity.NORMAL: 2}
QUALIFICATION_DAYS = 30
CONTRACT_DAYS = 14
CAP_SHARE = 0.9  # a week planned at 90% of a contract's cap or more is flagged
SUGGESTIONS = 5
CONTRACT_REASONS = {UnstaffedRun.Reason.CAP_REACHED, UnstaffedRun.Reason.CONTRACT_NOT_IN_FORCE}


def severity_of(*, support: str, required: Iterable[str]) -> Alert.Severity:
    if SAFETY_QUALIFICATIONS & set(required):
        return Alert.Severity.CRITICAL
    if support == Support.ONE_TO_ONE:
        return Alert.Severity.HIGH
    return Alert.Severity.NORMAL


def _codes(text: str) -> frozenset[str]:
    return frozenset(q for q in text.split(";") if q)


def _minutes(spans: Iterable[tuple[int, int]]) -> int:
    return sum(end - start for start, end in spans)


def _overlap(spans: Iterable[tuple[int, int]], start: int | None, end: int | None) -> int:
    """Minutes of `spans` inside [start, end) (None/None = the whole day)."""
    if start is None or end is None:
        return _minutes(spans)
    return sum(max(0, min(e, end) - max(s, start)) for s, e in spans)


@dataclass
class Wanted:
    key: str
    kind: str
    severity: Alert.Severity
    cause: str
    title: str
    detail: str = ""
    date: dt.date | None = None
    school_id: int | None = None
    student_id: int | None = None
    mandate_id: int | None = None
    aide_id: int | None = None
    contract_id: int | None = None
    minutes: int = 0
    suggestions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SyncCounts:
    opened: int = 0
    updated: int = 0
    resolved: int = 0
    notified: int = 0


# --- unstaffed services ---------------------------------------------------------------------


@dataclass
class _Staff:
    """What the sync knows of the aides of the schools in scope, for causes and cover."""

    code: dict[int, str] = field(default_factory=dict)
    name: dict[int, str] = field(default_factory=dict)
    contract: dict[int, int | None] = field(default_factory=dict)
    max_minutes: dict[int, int] = field(default_factory=dict)
    by_school: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    quals: dict[int, dict[str, dt.date | None]] = field(default_factory=lambda: defaultdict(dict))
    windows: dict[tuple[int, int], list[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    absent: dict[tuple[int, dt.date], list[tuple[int | None, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    contract_dates: dict[int, tuple[dt.date, dt.date]] = field(default_factory=dict)
    busy: dict[tuple[int, dt.date], list[tuple[int, int, str, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # start, end, student code, school id


def _staff(
    *, district: District, run: AllocationRun, school_ids: set[int], dates: set[dt.date]
) -> _Staff:
    staff = _Staff()
    links = AideSchool.objects.filter(district=district, school_id__in=school_ids)
    for aide_id, school_id in links.values_list("aide_id", "school_id"):
        staff.by_school[school_id].append(aide_id)
    aides = links.values("aide_id")
    for pk, code, name, contract_id, max_minutes in Aide.objects.filter(
        district=district, pk__in=aides
    ).values_list("id", "code", "name", "contract_id", "max_weekly_minutes"):
        staff.code[pk], staff.name[pk] = code, name
        staff.contract[pk], staff.max_minutes[pk] = contract_id, max_minutes
    for aide_id, code, expires_on in AideQualification.objects.filter(
        district=district, aide_id__in=aides
    ).values_list("aide_id", "qualification", "expires_on"):
        staff.quals[aide_id][code] = expires_on
    for cid, starts_on, ends_on in Contract.objects.filter(district=district).values_list(
        "id", "starts_on", "ends_on"
    ):
        staff.contract_dates[cid] = (starts_on, ends_on)
    weekdays = {d.weekday() for d in dates}
    for aide_id, weekday, start, end in AvailabilityWindow.objects.filter(
        district=district, aide_id__in=aides, weekday__in=weekdays
    ).values_list("aide_id", "weekday", "start", "end"):
        staff.windows[(aide_id, weekday)].append((start, end))
    for aide_id, on, away_from, away_to in Absence.objects.filter(
        district=district, aide_id__in=aides, date__in=dates
    ).values_list("aide_id", "date", "start", "end"):
        staff.absent[(aide_id, on)].append((away_from, away_to))
    for aide_id, on, start, end, student, school in Assignment.objects.filter(
        run=run, aide_id__in=aides, date__in=dates
    ).values_list(
        "aide_id", "date", "start", "end", "mandate__student__code", "mandate__student__school_id"
    ):
        staff.busy[(aide_id, on)].append((start, end, student, school))
    return staff


def _valid(staff: _Staff, aide_id: int, code: str, on: dt.date) -> bool:
    expires = staff.quals[aide_id].get(code, dt.date.min)
    return code in staff.quals[aide_id] and (expires is None or expires >= on)


def _absent_during(staff: _Staff, aide_id: int, on: dt.date, spans: list[tuple[int, int]]) -> int:
    return max(
        (_overlap(spans, s, e) for s, e in staff.absent.get((aide_id, on), [])),
        default=0,
    )


def _cause(
    *,
    staff: _Staff,
    school_id: int,
    required: frozenset[str],
    on: dt.date,
    spans: list[tuple[int, int]],
    reasons: set[str],
    regulars: set[int],
    staffed: bool,
) -> Alert.Cause:
    linked = staff.by_school.get(school_id, [])
    qualified_absent = any(
        _absent_during(staff, a, on, spans)
        for a in linked
        if all(_valid(staff, a, q, on) for q in required)
    )
    if any(_absent_during(staff, a, on, spans) for a in regulars):
        return Alert.Cause.AIDE_ABSENT
    if not staffed:
        return Alert.Cause.AIDE_ABSENT if qualified_absent else Alert.Cause.VACANCY
    if reasons & CONTRACT_REASONS:
        return Alert.Cause.CONTRACT
    held = [a for a in linked if required <= staff.quals[a].keys()]
    if required and held and not any(all(_valid(staff, a, q, on) for q in required) for a in held):
        return Alert.Cause.QUALIFICATION_EXPIRED
    if qualified_absent:
        return Alert.Cause.AIDE_ABSENT
    return Alert.Cause.NO_QUALIFIED_AIDE


def _free(staff: _Staff, aide_id: int, on: dt.date, spans: list[tuple[int, int]]) -> int:
    """Minutes of the gap the aide could take as things stand: in its window, not absent, not
    busy, and not at another school that day."""
    free = 0
    windows = staff.windows.get((aide_id, on.weekday()), [])
    absent = staff.absent.get((aide_id, on), [])
    busy = staff.busy.get((aide_id, on), [])
    for start, end in spans:
        for minute in range(start, end, 15):
            if not any(s <= minute < e for s, e in windows):
                continue
            if any(s is None or (e is not None and s <= minute < e) for s, e in absent):
                continue
            if any(s <= minute < e for s, e, _, _ in busy):
                continue
            free += 15
    return free


def _suggest(
    *,
    staff: _Staff,
    school_id: int,
    school_codes: dict[int, str],
    required: frozenset[str],
    on: dt.date,
    spans: list[tuple[int, int]],
    regulars: set[int],
    used: dict[int, int],
    contract_room: dict[int, int],
) -> list[dict[str, Any]]:
    """Qualified aides of the school, best first, each with why it fits and what stands in
    the way (another student, another school, its hours, its contract)."""
    ranked: list[tuple[tuple[int, ...], dict[str, Any]]] = []
    wanted = _minutes(spans)
    for aide_id in sorted(set(staff.by_school.get(school_id, []))):
        if not all(_valid(staff, aide_id, q, on) for q in required):
            continue
        if _absent_during(staff, aide_id, on, spans) >= wanted:
            continue
        why: list[str] = []
        if required:
            held = ", ".join(
                f"{q} (valid to {staff.quals[aide_id][q]})"
                if staff.quals[aide_id][q]
                else f"{q} (no expiry)"
                for q in sorted(required)
            )
            why.append(f"holds {held}")
        if aide_id in regulars:
            why.append("already serves this student this week")
        free = _free(staff, aide_id, on, spans)
        elsewhere = sorted(
            {school_codes.get(s, "?") for _, _, _, s in staff.busy.get((aide_id, on), [])}
            - {school_codes.get(school_id, "?")}
        )
        if elsewhere:
            free = 0
            why.append(f"but works at {', '.join(elsewhere)} that day")
        else:
            why.append(f"free for {free} of the {wanted} minutes")
            clashes = [
                f"{format_span(s, e)} with {student}"
                for s, e, student, _ in staff.busy.get((aide_id, on), [])
                if any(s < end and e > start for start, end in spans)
            ]
            windows = staff.windows.get((aide_id, on.weekday()), [])
            in_window = sum(
                15
                for start, end in spans
                for minute in range(start, end, 15)
                if any(s <= minute < e for s, e in windows)
            )
            if in_window < wanted:
                why.append(f"available for {in_window} of them (its hours)")
            if clashes:
                why.append("busy " + "; ".join(sorted(set(clashes))))
        left = staff.max_minutes.get(aide_id, 0) - used.get(aide_id, 0)
        why.append(
            f"{used.get(aide_id, 0)} of {staff.max_minutes.get(aide_id, 0)} weekly minutes planned"
        )
        contract_id = staff.contract.get(aide_id)
        if contract_id is not None:
            why.append("contract staff")
            left = min(left, contract_room.get(contract_id, 0))
            starts_on, ends_on = staff.contract_dates.get(contract_id, (dt.date.max, dt.date.min))
            if not starts_on <= on <= ends_on:
                free = left = 0
                why.append(f"but its contract is not in force that day (ends {ends_on:%d %b})")
            elif contract_room.get(contract_id, 0) <= 0:
                why.append("its contract's weekly cap is reached")
        if left <= 0:
            why.append("weekly hours reached")
        score = (
            -min(free, max(left, 0)),
            -free,
            0 if aide_id in regulars else 1,
            0 if contract_id is None else 1,
            used.get(aide_id, 0),
            aide_id,
        )
        ranked.append(
            (
                score,
                {
                    "aide": staff.code.get(aide_id, ""),
                    "name": staff.name.get(aide_id, ""),
                    "free_minutes": free,
                    "why": "; ".join(why),
                },
            )
        )
    ranked.sort(key=lambda item: item[0])
    return [item for _, item in ranked[:SUGGESTIONS]]


def _unstaffed_wanted(
    *, district: District, run: AllocationRun, school_ids: set[int] | None, dates: set[dt.date]
) -> list[Wanted]:
    gaps = UnstaffedRun.objects.filter(run=run, date__in=dates)
    if school_ids is not None:
        gaps = gaps.filter(mandate__student__school_id__in=school_ids)
    grouped: dict[tuple[int, dt.date], list[tuple[int, int, str, str]]] = defaultdict(list)
    info: dict[int, tuple[Any, ...]] = {}
    for row in gaps.values_list(
        "mandate_id",
        "date",
        "start",
        "end",
        "reason",
        "block__setting",
        "mandate__code",
        "mandate__support",
        "mandate__required_qualifications",
        "mandate__student_id",
        "mandate__student__code",
        "mandate__student__first_name",
        "mandate__student__last_name",
        "mandate__student__school_id",
        "mandate__student__school__code",
    ):
        mandate_id, on, start, end, reason, setting = row[:6]
        grouped[(mandate_id, on)].append((start, end, reason, setting))
        info[mandate_id] = row[6:]
    if not grouped:
        return []
    schools = {v[7] for v in info.values()}
    school_codes = {v[7]: v[8] for v in info.values()}
    staff = _staff(district=district, run=run, school_ids=schools, dates={k[1] for k in grouped})
    regulars: dict[int, set[int]] = defaultdict(set)
    for mandate_id, aide_id in (
        Assignment.objects.filter(run=run, mandate_id__in=info.keys())
        .values_list("mandate_id", "aide_id")
        .distinct()
    ):
        regulars[mandate_id].add(aide_id)
    used = {int(k): int(v) for k, v in run.aide_minutes.items()}
    contract_room = _contract_room(district=district, used=used)
    wanted: list[Wanted] = []
    for (mandate_id, on), rows in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        code, support, required_text, student_id, student_code, first, last, school_id, school = (
            info[mandate_id]
        )
        required = _codes(required_text)
        spans = sorted((s, e) for s, e, _, _ in rows)
        minutes = _minutes(spans)
        cause = _cause(
            staff=staff,
            school_id=school_id,
            required=required,
            on=on,
            spans=spans,
            reasons={r for _, _, r, _ in rows},
            regulars=regulars[mandate_id],
            staffed=bool(regulars[mandate_id]),
        )
        settings = ", ".join(sorted({s for _, _, _, s in rows}))
        times = ", ".join(format_span(s, e) for s, e in spans)
        severity = severity_of(support=support, required=required)
        wanted.append(
            Wanted(
                key=f"unstaffed:{mandate_id}:{on.isoformat()}",
                kind=Alert.Kind.UNSTAFFED,
                severity=severity,
                cause=cause,
                title=(
                    f"{first} {last} ({student_code}): {minutes} min of {settings} support "
                    f"unstaffed on {on:%a %d %b} - {Alert.Cause(cause).label.lower()}"
                ),
                detail=(
                    f"Mandate {code} ({support.replace('_', ' ')}"
                    + (f", requires {', '.join(sorted(required))}" if required else "")
                    + f") at {school}: unstaffed {times}."
                ),
                date=on,
                school_id=school_id,
                student_id=student_id,
                mandate_id=mandate_id,
                minutes=minutes,
                suggestions=_suggest(
                    staff=staff,
                    school_id=school_id,
                    school_codes=school_codes,
                    required=required,
                    on=on,
                    spans=spans,
                    regulars=regulars[mandate_id],
                    used=used,
                    contract_room=contract_room,
                ),
            )
        )
    return wanted


def _contract_room(*, district: District, used: dict[int, int]) -> dict[int, int]:
    spent: dict[int, int] = defaultdict(int)
    for aide_id, contract_id in Aide.objects.filter(
        district=district, contract__isnull=False
    ).values_list("id", "contract_id"):
        spent[contract_id] += used.get(aide_id, 0)
    return {
        cid: cap - spent[cid]
        for cid, cap in Contract.objects.filter(district=district).values_list(
            "id", "weekly_minute_cap"
        )
    }


def alerts_sync(
    *,
    district: District,
    run: AllocationRun,
    school_ids: Sequence[int] | None = None,
    dates: Sequence[dt.date] | None = None,
) -> SyncCounts:
    """Bring the unstaffed-service alerts of the run's week (or of some school-days of it) in
    step with the run, which must be the week's current plan."""
    week = [run.week_start + dt.timedelta(days=i) for i in range(7)]
    day_set = set(dates) if dates is not None else set(week)
    schools = set(school_ids) if school_ids is not None else None
    wanted = _unstaffed_wanted(district=district, run=run, school_ids=schools, dates=day_set)
    scope = Q(kind=Alert.Kind.UNSTAFFED, date__in=day_set)
    if schools is not None:
        scope &= Q(school_id__in=schools)
    return _apply(district=district, wanted=wanted, scope=scope)


# --- looking ahead --------------------------------------------------------------------------


def _look_ahead_wanted(*, district: District, today: dt.date) -> list[Wanted]:
    wanted: list[Wanted] = []
    runs = list(
        AllocationRun.objects.filter(
            district=district,
            is_current=True,
            week_start__gt=today - dt.timedelta(days=7),
            week_start__lte=today + dt.timedelta(days=QUALIFICATION_DAYS),
        )
    )
    planned = Assignment.objects.filter(run__in=runs, date__gte=today)
    # Qualifications a planned assignment needs that expire within 30 days.
    horizon = today + dt.timedelta(days=QUALIFICATION_DAYS)
    expiring: dict[tuple[int, str, dt.date], dict[str, Any]] = {}
    quals = {
        (aide_id, code): expires
        for aide_id, code, expires in AideQualification.objects.filter(
            district=district, expires_on__gte=today, expires_on__lte=horizon
        ).values_list("aide_id", "qualification", "expires_on")
    }
    if quals:
        for aide_id, aide_code, aide_name, required, support, student in (
            planned.filter(aide_id__in={a for a, _ in quals})
            .values_list(
                "aide_id",
                "aide__code",
                "aide__name",
                "mandate__required_qualifications",
                "mandate__support",
                "mandate__student__code",
            )
            .distinct()
        ):
            for code in _codes(required):
                expires = quals.get((aide_id, code))
                if expires is None:
                    continue
                entry = expiring.setdefault(
                    (aide_id, code, expires),
                    {"aide": f"{aide_name} ({aide_code})", "students": set(), "rank": 2},
                )
                entry["students"].add(student)
                severity = severity_of(support=support, required=_codes(required))
                entry["rank"] = min(entry["rank"], RANK[severity])
    severities = {v: k for k, v in RANK.items()}
    for (aide_id, code, expires), entry in sorted(expiring.items()):
        students = sorted(entry["students"])
        wanted.append(
            Wanted(
                key=f"qualification_expiring:{aide_id}:{code}:{expires.isoformat()}",
                kind=Alert.Kind.QUALIFICATION_EXPIRING,
                severity=severities[entry["rank"]],
                cause=Alert.Cause.QUALIFICATION_EXPIRING,
                title=f"{entry['aide']}: {code} expires on {expires:%d %b %Y}",
                detail=(
                    f"Planned assignments need it for {len(students)} student(s): "
                    f"{', '.join(students)}. Renew it, or plan cover from "
                    f"{expires + dt.timedelta(days=1):%d %b}."
                ),
                date=expires,
                aide_id=aide_id,
            )
        )
    # Contracts that end within 14 days while their staff are planned.
    soon = today + dt.timedelta(days=CONTRACT_DAYS)
    for cid, code, name, ends_on in Contract.objects.filter(
        district=district, ends_on__gte=today, ends_on__lte=soon
    ).values_list("id", "code", "agency", "ends_on"):
        minutes = sum(
            e - s
            for s, e in planned.filter(aide__contract_id=cid, date__gt=ends_on).values_list(
                "start", "end"
            )
        )
        staff = planned.filter(aide__contract_id=cid).values("aide_id").distinct().count()
        if not staff:
            continue
        wanted.append(
            Wanted(
                key=f"contract_ending:{cid}:{ends_on.isoformat()}",
                kind=Alert.Kind.CONTRACT_ENDING,
                severity=Alert.Severity.HIGH,
                cause=Alert.Cause.CONTRACT_ENDING,
                title=f"Contract {name} ({code}) ends on {ends_on:%d %b %Y}",
                detail=(
                    f"{staff} of its aides are in current plans; {minutes} planned minutes fall "
                    "after the end date. Renew it or plan cover."
                ),
                date=ends_on,
                contract_id=cid,
                minutes=minutes,
            )
        )
    # Weekly caps planned at 90% or more in a week starting within 14 days.
    contract_of = dict(
        Aide.objects.filter(district=district, contract__isnull=False).values_list(
            "id", "contract_id"
        )
    )
    contracts = {
        cid: (code, name, cap)
        for cid, code, name, cap in Contract.objects.filter(district=district).values_list(
            "id", "code", "agency", "weekly_minute_cap"
        )
    }
    for run in runs:
        if run.week_start > soon:
            continue
        spent: dict[int, int] = defaultdict(int)
        for aide_id, minutes in run.aide_minutes.items():
            contract_id = contract_of.get(int(aide_id))
            if contract_id is not None:
                spent[contract_id] += int(minutes)
        for cid, minutes in sorted(spent.items()):
            code, name, cap = contracts[cid]
            if cap <= 0 or minutes < CAP_SHARE * cap:
                continue
            wanted.append(
                Wanted(
                    key=f"contract_cap:{cid}:{run.week_start.isoformat()}",
                    kind=Alert.Kind.CONTRACT_CAP,
                    severity=Alert.Severity.HIGH,
                    cause=Alert.Cause.CONTRACT_CAP,
                    title=(
                        f"Contract {name} ({code}): {minutes} of {cap} weekly minutes planned "
                        f"for the week of {run.week_start:%d %b}"
                    ),
                    detail="No more of its staff's time can be planned that week.",
                    date=run.week_start,
                    contract_id=cid,
                    minutes=minutes,
                )
            )
    # Mandates in force with nothing to staff.
    with_blocks = MandateBlock.objects.filter(district=district).values("mandate_id")
    for mid, code, support, required, sid, scode, first, last, school in (
        ParaMandate.objects.filter(district=district, starts_on__lte=horizon)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exclude(pk__in=with_blocks)
        .values_list(
            "id",
            "code",
            "support",
            "required_qualifications",
            "student_id",
            "student__code",
            "student__first_name",
            "student__last_name",
            "student__school_id",
        )
    ):
        wanted.append(
            Wanted(
                key=f"vague_mandate:{mid}",
                kind=Alert.Kind.VAGUE_MANDATE,
                severity=severity_of(support=support, required=_codes(required)),
                cause=Alert.Cause.VAGUE_MANDATE,
                title=f"{first} {last} ({scode}): mandate {code} has no times or settings",
                detail="Nothing can be staffed until its settings, days and times are entered.",
                school_id=school,
                student_id=sid,
                mandate_id=mid,
            )
        )
    return wanted


def alerts_look_ahead(*, district: District, today: dt.date | None = None) -> SyncCounts:
    today = today or district_today(district=district)
    wanted = _look_ahead_wanted(district=district, today=today)
    scope = Q(kind__in=[k for k in Alert.Kind if k != Alert.Kind.UNSTAFFED])
    return _apply(district=district, wanted=wanted, scope=scope)


# --- writing and notifying ------------------------------------------------------------------

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


@transaction.atomic
def _apply(*, district: District, wanted: list[Wanted], scope: Q) -> SyncCounts:
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
        values = {name: getattr(w, name) for name in FIELDS}
        alert = existing.get(w.key)
        if alert is None:
            alert = Alert(
                district=district, key=w.key, rank=RANK[w.severity], opened_at=now, **values
            )
            opened.append(alert)
            continue
        reopen = alert.status == Alert.Status.RESOLVED and (
            alert.resolved_by_id is None or w.minutes > alert.minutes
        )
        if not reopen and all(getattr(alert, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(alert, name, value)
        alert.rank = RANK[w.severity]
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
        changed.append(alert)
    wanted_keys = set(keys)
    for key, alert in existing.items():
        if key in wanted_keys or alert.status == Alert.Status.RESOLVED:
            continue
        alert.status = Alert.Status.RESOLVED
        alert.resolved_at = now
        alert.resolved_by = None
        alert.updated_at = now
        alert.resolution_note = "Closed automatically: the plan no longer shows this gap."
        changed.append(alert)
        counts.resolved += 1
    Alert.objects.bulk_create(opened, batch_size=1000)
    counts.opened += len(opened)
    if changed:
        Alert.objects.bulk_update(
            changed,
            [
                *FIELDS,
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
            ],
            batch_size=1000,
        )
    fresh = opened + [a for a in changed if a.status == Alert.Status.OPEN and a.opened_at == now]
    counts.notified = _notify(district=district, alerts=fresh)
    return counts


def _notify(*, district: District, alerts: list[Alert]) -> int:
    """One urgent email per person for the critical alerts just opened, one digest line per
    person for each of the others."""
    if not alerts:
        return 0
    sent = 0
    recipients = notify.Recipients(district=district)
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
                body=_body(alert),
                urgent=False,
            )
    for user, batch in urgent.items():
        batch.sort(key=lambda a: (a.date or dt.date.min, a.title))
        digest = hashlib.sha1(  # noqa: S324 - a dedupe key, not a secret
            ",".join(f"{a.pk}:{a.times_opened}" for a in batch).encode()
        ).hexdigest()
        subject = (
            f"[Critical] {batch[0].title}"
            if len(batch) == 1
            else f"[Critical] {len(batch)} safety-tier services unstaffed in {district.name}"
        )
        sent += notify.notify(
            district=district,
            users=[user],
            key=f"critical:{digest}",
            subject=subject[:200],
            body="\n\n".join(_body(a) for a in batch),
            urgent=True,
        )
    return sent


def _body(alert: Alert) -> str:
    lines = [alert.title, alert.detail]
    if alert.suggestions:
        lines.append("Qualified cover, best first:")
        lines += [f"- {s['name']} ({s['aide']}): {s['why']}" for s in alert.suggestions]
    elif alert.kind == Alert.Kind.UNSTAFFED:
        lines.append("No qualified aide of the school could cover it.")
    lines.append(f"Open it: /admin/allocations/alert/{alert.pk}/change/")
    return "\n".join(line for line in lines if line)


# --- people acting on alerts ----------------------------------------------------------------


def _check_may_act(user: Any, alert: Alert) -> None:
    scope = district_staff_scope(
        user=user,
        district_id=alert.district_id,
        refusal="This alert is not one of your district's.",
    )
    if alert.student_id is not None and not scope.reaches_student(
        student_id=alert.student_id, school_id=alert.school_id
    ):
        raise PermissionDenied("This student is not in your caseload or schools.")


@transaction.atomic
def alert_acknowledge(*, user: Any, alert: Alert) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _check_may_act(user, alert)
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
def alert_resolve(*, user: Any, alert: Alert, note: str) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _check_may_act(user, alert)
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
