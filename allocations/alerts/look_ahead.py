"""Alerts that look ahead, daily: qualifications a planned assignment needs that expire within
30 days, contracts that end or whose weekly cap is (nearly) reached within 14 days, mandates
with nothing to staff (no times or settings)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from allocations.alerts.common import RANK, SEVERITY_OF_RANK, SyncCounts, Wanted, codes, severity_of
from allocations.alerts.services import alerts_apply
from allocations.engine.causes import Cause
from allocations.models import Alert, AllocationRun, Assignment
from staffing.models import Aide, AideQualification, Contract, District
from staffing.selectors import district_today
from students.models import MandateBlock, ParaMandate

QUALIFICATION_DAYS = 30
CONTRACT_DAYS = 14
CAP_SHARE = 0.9  # a week planned at 90% of a contract's cap or more is flagged


def alerts_look_ahead(*, district: District, today: dt.date | None = None) -> SyncCounts:
    today = today or district_today(district=district)
    runs = list(
        AllocationRun.objects.filter(
            district=district,
            is_current=True,
            week_start__gt=today - dt.timedelta(days=7),
            week_start__lte=today + dt.timedelta(days=QUALIFICATION_DAYS),
        )
    )
    planned = Assignment.objects.filter(run__in=runs, date__gte=today)
    wanted = [
        *_qualifications_expiring(district=district, today=today, planned=planned),
        *_contracts_ending(district=district, today=today, planned=planned),
        *_contract_caps(district=district, today=today, runs=runs),
        *_vague_mandates(district=district, today=today),
    ]
    scope = Q(kind__in=[k for k in Alert.Kind if k != Alert.Kind.UNSTAFFED])
    return alerts_apply(district=district, wanted=wanted, scope=scope)


@dataclass
class _Expiring:
    aide: str
    students: set[str] = field(default_factory=set)
    rank: int = RANK[Alert.Severity.NORMAL]


def _qualifications_expiring(
    *, district: District, today: dt.date, planned: QuerySet[Assignment]
) -> list[Wanted]:
    """Qualifications a planned assignment needs that expire within 30 days, as severe as the
    most severe mandate that needs them."""
    horizon = today + dt.timedelta(days=QUALIFICATION_DAYS)
    quals = {
        (aide_id, code): expires
        for aide_id, code, expires in AideQualification.objects.filter(
            district=district, expires_on__gte=today, expires_on__lte=horizon
        ).values_list("aide_id", "qualification", "expires_on")
    }
    if not quals:
        return []
    safety = district.safety_codes
    expiring: dict[tuple[int, str, dt.date], _Expiring] = {}
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
        severity = severity_of(support=support, required=codes(required), safety=safety)
        for code in codes(required):
            expires = quals.get((aide_id, code))
            if expires is None:
                continue
            entry = expiring.setdefault(
                (aide_id, code, expires), _Expiring(aide=f"{aide_name} ({aide_code})")
            )
            entry.students.add(student)
            entry.rank = min(entry.rank, RANK[severity])
    return [
        _expiring(aide_id, code, expires, entry)
        for (aide_id, code, expires), entry in sorted(expiring.items(), key=lambda item: item[0])
    ]


def _expiring(aide_id: int, code: str, expires: dt.date, entry: _Expiring) -> Wanted:
    students = sorted(entry.students)
    return Wanted(
        key=f"qualification_expiring:{aide_id}:{code}:{expires.isoformat()}",
        kind=Alert.Kind.QUALIFICATION_EXPIRING,
        severity=SEVERITY_OF_RANK[entry.rank],
        cause=Cause.QUALIFICATION_EXPIRING,
        title=f"{entry.aide}: {code} expires on {expires:%d %b %Y}",
        detail=(
            f"Planned assignments need it for {len(students)} student(s): "
            f"{', '.join(students)}. Renew it, or plan cover from "
            f"{expires + dt.timedelta(days=1):%d %b}."
        ),
        date=expires,
        aide_id=aide_id,
    )


def _contracts_ending(
    *, district: District, today: dt.date, planned: QuerySet[Assignment]
) -> list[Wanted]:
    """Contracts that end within 14 days while their staff are planned."""
    wanted: list[Wanted] = []
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
                cause=Cause.CONTRACT_ENDING,
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
    return wanted


def _contract_caps(
    *, district: District, today: dt.date, runs: Sequence[AllocationRun]
) -> list[Wanted]:
    """Weekly caps planned at 90% or more in a week starting within 14 days."""
    soon = today + dt.timedelta(days=CONTRACT_DAYS)
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
    wanted: list[Wanted] = []
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
                    cause=Cause.CONTRACT_CAP,
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
    return wanted


def _vague_mandates(*, district: District, today: dt.date) -> list[Wanted]:
    """Mandates in force within 30 days with nothing to staff."""
    horizon = today + dt.timedelta(days=QUALIFICATION_DAYS)
    safety = district.safety_codes
    with_blocks = MandateBlock.objects.filter(district=district).values("mandate_id")
    return [
        Wanted(
            key=f"vague_mandate:{mid}",
            kind=Alert.Kind.VAGUE_MANDATE,
            severity=severity_of(support=support, required=codes(required), safety=safety),
            cause=Cause.VAGUE_MANDATE,
            title=f"{first} {last} ({scode}): mandate {code} has no times or settings",
            detail="Nothing can be staffed until its settings, days and times are entered.",
            school_id=school,
            student_id=sid,
            mandate_id=mid,
        )
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
        )
    ]
