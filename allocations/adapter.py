"""The one place that turns ORM rows into engine inputs and engine results back into rows.

Reads use `values_list` (no model instances) so that a 1,000-school district loads in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from decimal import Decimal

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


def week_dates(week_start: dt.date) -> list[dt.date]:
    return [week_start + dt.timedelta(days=i) for i in range(7)]


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
    schools_qs = School.objects.filter(district=district)
    links_qs = AideSchool.objects.filter(district=district)
    if school_ids is not None:
        schools_qs = schools_qs.filter(id__in=school_ids)
        links_qs = links_qs.filter(school_id__in=school_ids)
    schools = tuple(engine.School(id=i, code=c) for i, c in schools_qs.values_list("id", "code"))
    wanted_schools = {s.id for s in schools}

    aide_schools: dict[int, set[int]] = defaultdict(set)
    for aide_id, school_id in links_qs.values_list("aide_id", "school_id"):
        aide_schools[aide_id].add(school_id)

    windows_qs = AvailabilityWindow.objects.filter(district=district)
    quals_qs = AideQualification.objects.filter(district=district)
    absences_qs = Absence.objects.filter(district=district, date__range=(week_start, week_end))
    if school_ids is not None:
        linked = links_qs.values("aide_id")
        windows_qs = windows_qs.filter(aide_id__in=linked)
        quals_qs = quals_qs.filter(aide_id__in=linked)
        absences_qs = absences_qs.filter(aide_id__in=linked)

    windows: dict[int, list[engine.Window]] = defaultdict(list)
    for aide_id, weekday, start, end in windows_qs.values_list(
        "aide_id", "weekday", "start", "end"
    ):
        if aide_id in aide_schools:
            windows[aide_id].append(engine.Window(weekday=weekday, start=start, end=end))

    quals: dict[int, list[engine.Qualification]] = defaultdict(list)
    for aide_id, code, expires_on in quals_qs.values_list("aide_id", "qualification", "expires_on"):
        if aide_id in aide_schools:
            quals[aide_id].append(engine.Qualification(code=code, expires_on=expires_on))

    absences: dict[int, list[engine.AbsenceSpan]] = defaultdict(list)
    for aide_id, on, from_minute, to_minute in absences_qs.values_list(
        "aide_id", "date", "start", "end"
    ):
        if aide_id in aide_schools:
            absences[aide_id].append(engine.AbsenceSpan(on=on, start=from_minute, end=to_minute))

    contracts = tuple(
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

    aides = tuple(
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

    mandate_rows = ParaMandate.objects.filter(district=district, starts_on__lte=week_end).exclude(
        ends_on__lt=week_start
    )
    if school_ids is not None:
        mandate_rows = mandate_rows.filter(student__school_id__in=school_ids)
    mandates = tuple(
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
            mandate_rows.order_by("id").values_list(
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
        if school_id in wanted_schools
    )
    mandate_ids = {m.id for m in mandates}
    blocks_qs = MandateBlock.objects.filter(district=district)
    if school_ids is not None:
        blocks_qs = blocks_qs.filter(mandate__student__school_id__in=school_ids)
    blocks = tuple(
        engine.Block(
            id=bid,
            mandate_id=mandate_id,
            setting=setting,
            location=location,
            weekday=weekday,
            start=start,
            end=end,
        )
        for bid, mandate_id, setting, location, weekday, start, end in blocks_qs.order_by(
            "id"
        ).values_list("id", "mandate_id", "setting", "location", "weekday", "start", "end")
        if mandate_id in mandate_ids
    )
    closures = tuple(
        engine.Closure(on=on, school_id=school_id)
        for on, school_id in Closure.objects.filter(
            district=district, date__range=(week_start, week_end)
        ).values_list("date", "school_id")
        if school_id is None or school_id in wanted_schools
    )
    return engine.Problem(
        week_start=week_start,
        schools=schools,
        aides=aides,
        contracts=contracts,
        mandates=mandates,
        blocks=blocks,
        closures=closures,
        policy=policy or engine.Policy(),
    )
