"""The one place that turns ORM rows into engine inputs and engine results back into rows.

Reads use `values_list` (no model instances) so that a 1,000-school district loads in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from allocations import engine
from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    AideSchool,
    AvailabilityWindow,
    Closure,
    Contract,
    District,
    School,
)
from students.models import MandateBlock, ParaMandate


def policy_for(*, district: District) -> engine.Policy:
    """The engine's policy under the district's settings (its safety tier)."""
    return engine.Policy(safety_qualifications=district.safety_codes)


def problem_for_week(
    *,
    district: District,
    week_start: dt.date,
    school_ids: Collection[int] | None = None,
    contract_caps: Mapping[int, int] | None = None,
    policy: engine.Policy | None = None,
) -> engine.Problem:
    """The district's week as an engine Problem, optionally only a group of schools.

    A group must be closed under aide links (every aide who may work at one of its schools may
    work only at schools of the group); `contract_caps` then gives the group's share of each
    contract's weekly cap.
    """
    week_end = week_start + dt.timedelta(days=6)
    schools = _schools(district=district, school_ids=school_ids)
    wanted_schools = {s.id for s in schools}
    mandates = _mandates(
        district=district, week=(week_start, week_end), school_ids=school_ids, wanted=wanted_schools
    )
    return engine.Problem(
        week_start=week_start,
        schools=schools,
        aides=_aides(district=district, week=(week_start, week_end), school_ids=school_ids),
        contracts=_contracts(district=district, contract_caps=contract_caps),
        mandates=mandates,
        blocks=_blocks(
            district=district, school_ids=school_ids, mandate_ids={m.id for m in mandates}
        ),
        closures=_closures(district=district, week=(week_start, week_end), wanted=wanted_schools),
        policy=policy or policy_for(district=district),
    )


def _schools(
    *, district: District, school_ids: Collection[int] | None
) -> tuple[engine.School, ...]:
    rows = School.objects.filter(district=district)
    if school_ids is not None:
        rows = rows.filter(id__in=school_ids)
    return tuple(engine.School(id=i, code=c) for i, c in rows.values_list("id", "code"))


def _aides(
    *, district: District, week: tuple[dt.date, dt.date], school_ids: Collection[int] | None
) -> tuple[engine.Aide, ...]:
    """The aides linked to the schools, with their hours, qualifications and absences."""
    links = AideSchool.objects.filter(district=district)
    if school_ids is not None:
        links = links.filter(school_id__in=school_ids)
    aide_schools: dict[int, set[int]] = defaultdict(set)
    for aide_id, school_id in links.values_list("aide_id", "school_id"):
        aide_schools[aide_id].add(school_id)
    windows, quals, absences = _aide_facts(
        district=district, week=week, linked=None if school_ids is None else links.values("aide_id")
    )
    return tuple(
        engine.Aide(
            id=aide_id,
            code=code,
            school_ids=frozenset(aide_schools[aide_id]),
            max_weekly_minutes=max_minutes,
            hourly_cost=Decimal(cost),
            contract_id=contract_id,
            windows=tuple(sorted(windows[aide_id], key=lambda w: (w.weekday, w.start))),
            qualifications=tuple(sorted(quals[aide_id], key=lambda q: q.code)),
            absences=tuple(absences[aide_id]),
        )
        for aide_id, code, max_minutes, cost, contract_id in Aide.objects.filter(
            district=district, id__in=list(aide_schools)
        )
        .order_by("id")
        .values_list("id", "code", "max_weekly_minutes", "hourly_cost", "contract_id")
        if aide_id in aide_schools
    )


def _aide_facts(
    *, district: District, week: tuple[dt.date, dt.date], linked: QuerySet[Any] | None
) -> tuple[
    dict[int, list[engine.Window]],
    dict[int, list[engine.Qualification]],
    dict[int, list[engine.AbsenceSpan]],
]:
    """Each aide's hours, qualifications and absences in the week (of the `linked` aides)."""
    windows_qs = AvailabilityWindow.objects.filter(district=district)
    quals_qs = AideQualification.objects.filter(district=district)
    absences_qs = Absence.objects.filter(district=district, date__range=week)
    if linked is not None:
        windows_qs = windows_qs.filter(aide_id__in=linked)
        quals_qs = quals_qs.filter(aide_id__in=linked)
        absences_qs = absences_qs.filter(aide_id__in=linked)
    windows: dict[int, list[engine.Window]] = defaultdict(list)
    for aide_id, weekday, start, end in windows_qs.values_list(
        "aide_id", "weekday", "start", "end"
    ):
        windows[aide_id].append(engine.Window(weekday=weekday, start=start, end=end))
    quals: dict[int, list[engine.Qualification]] = defaultdict(list)
    for aide_id, code, expires_on in quals_qs.values_list("aide_id", "qualification", "expires_on"):
        quals[aide_id].append(engine.Qualification(code=code, expires_on=expires_on))
    absences: dict[int, list[engine.AbsenceSpan]] = defaultdict(list)
    for aide_id, on, from_minute, to_minute in absences_qs.values_list(
        "aide_id", "date", "start", "end"
    ):
        absences[aide_id].append(engine.AbsenceSpan(on=on, start=from_minute, end=to_minute))
    return windows, quals, absences


def _contracts(
    *, district: District, contract_caps: Mapping[int, int] | None
) -> tuple[engine.Contract, ...]:
    return tuple(
        engine.Contract(
            id=cid,
            code=code,
            starts_on=starts_on,
            ends_on=ends_on,
            weekly_minute_cap=cap if contract_caps is None else contract_caps.get(cid, 0),
            hourly_rate=rate,
        )
        for cid, code, starts_on, ends_on, cap, rate in Contract.objects.filter(
            district=district
        ).values_list("id", "code", "starts_on", "ends_on", "weekly_minute_cap", "hourly_rate")
    )


def _mandates(
    *,
    district: District,
    week: tuple[dt.date, dt.date],
    school_ids: Collection[int] | None,
    wanted: set[int],
) -> tuple[engine.Mandate, ...]:
    """The mandates in force some day of the week, of students of the wanted schools."""
    rows = ParaMandate.objects.filter(district=district, starts_on__lte=week[1]).exclude(
        ends_on__lt=week[0]
    )
    if school_ids is not None:
        rows = rows.filter(student__school_id__in=school_ids)
    return tuple(
        engine.Mandate(
            id=mid,
            code=code,
            student_id=student_id,
            school_id=school_id,
            support=support,
            max_group=max_group,
            required_qualifications=frozenset(q for q in required.split(";") if q),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for mid, code, student_id, school_id, support, max_group, required, starts_on, ends_on in (
            rows.order_by("id").values_list(
                "id",
                "code",
                "student_id",
                "student__school_id",
                "support",
                "max_group",
                "required_qualifications",
                "starts_on",
                "ends_on",
            )
        )
        if school_id in wanted
    )


def _blocks(
    *, district: District, school_ids: Collection[int] | None, mandate_ids: set[int]
) -> tuple[engine.Block, ...]:
    rows = MandateBlock.objects.filter(district=district)
    if school_ids is not None:
        rows = rows.filter(mandate__student__school_id__in=school_ids)
    return tuple(
        engine.Block(
            id=bid,
            mandate_id=mandate_id,
            setting=setting,
            location=location,
            weekday=weekday,
            start=start,
            end=end,
        )
        for bid, mandate_id, setting, location, weekday, start, end in rows.order_by(
            "id"
        ).values_list("id", "mandate_id", "setting", "location", "weekday", "start", "end")
        if mandate_id in mandate_ids
    )


def _closures(
    *, district: District, week: tuple[dt.date, dt.date], wanted: set[int]
) -> tuple[engine.Closure, ...]:
    return tuple(
        engine.Closure(on=on, school_id=school_id)
        for on, school_id in Closure.objects.filter(
            district=district, date__range=week
        ).values_list("date", "school_id")
        if school_id is None or school_id in wanted
    )
