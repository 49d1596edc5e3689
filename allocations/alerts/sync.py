"""Unstaffed-service alerts kept in step with the plan: one per mandate and date with unstaffed
minutes, saying why in a director's words (`engine.causes`) and ranking qualified cover
(`engine.cover`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from allocations.alerts.common import SyncCounts, Wanted, severity_of
from allocations.alerts.selectors import (
    GapRun,
    MandateFacts,
    gap_day,
    gaps_of,
    regulars_of,
    staff_of,
)
from allocations.alerts.services import alerts_apply
from allocations.engine.causes import cause_of
from allocations.engine.cover import Cover, rank_cover
from allocations.labels import cause_label
from allocations.models import Alert, AllocationRun
from staffing.models import District
from staffing.timeofday import format_span


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
    wanted = unstaffed_wanted(district=district, run=run, school_ids=schools, dates=day_set)
    scope = Q(kind=Alert.Kind.UNSTAFFED, date__in=day_set)
    if schools is not None:
        scope &= Q(school_id__in=schools)
    return alerts_apply(district=district, wanted=wanted, scope=scope)


def unstaffed_wanted(
    *, district: District, run: AllocationRun, school_ids: set[int] | None, dates: set[dt.date]
) -> list[Wanted]:
    """The alert each mandate and date with unstaffed minutes should have now."""
    gaps = gaps_of(district=district, run=run, school_ids=school_ids, dates=dates)
    if not gaps.runs:
        return []
    staff = staff_of(
        district=district,
        run=run,
        school_ids={m.school_id for m in gaps.mandates.values()},
        dates={on for _, on in gaps.runs},
    )
    regulars = regulars_of(district=district, run=run, mandate_ids=set(gaps.mandates))
    safety = district.safety_codes
    wanted: list[Wanted] = []
    for (mandate_id, on), runs in sorted(gaps.runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        facts = gaps.mandates[mandate_id]
        gap = gap_day(on=on, facts=facts, runs=runs, regulars=regulars.get(mandate_id, frozenset()))
        aides = staff.school_day(facts.school_id, on)
        cause = cause_of(gap, aides)
        wanted.append(
            Wanted(
                key=f"unstaffed:{mandate_id}:{on.isoformat()}",
                kind=Alert.Kind.UNSTAFFED,
                severity=severity_of(support=facts.support, required=gap.required, safety=safety),
                cause=cause,
                title=_title(facts, runs, on=on, minutes=gap.minutes, cause=cause_label(cause)),
                detail=_detail(facts, gap.required, gap.spans),
                date=on,
                school_id=facts.school_id,
                student_id=facts.student_id,
                mandate_id=mandate_id,
                minutes=gap.minutes,
                suggestions=[suggestion(c) for c in rank_cover(gap, aides)],
            )
        )
    return wanted


def _title(
    facts: MandateFacts, runs: list[GapRun], *, on: dt.date, minutes: int, cause: str
) -> str:
    settings = ", ".join(sorted({r.setting for r in runs}))
    return (
        f"{facts.first_name} {facts.last_name} ({facts.student_code}): {minutes} min of "
        f"{settings} support unstaffed on {on:%a %d %b} - {cause.lower()}"
    )


def _detail(facts: MandateFacts, required: frozenset[str], spans: Sequence[tuple[int, int]]) -> str:
    needs = f", requires {', '.join(sorted(required))}" if required else ""
    times = ", ".join(format_span(s, e) for s, e in spans)
    return (
        f"Mandate {facts.code} ({facts.support.replace('_', ' ')}{needs}) at "
        f"{facts.school_code}: unstaffed {times}."
    )


def suggestion(cover: Cover) -> dict[str, Any]:
    """One ranked aide as the alert keeps it: who, the minutes it could take, and why."""
    return {
        "aide": cover.code,
        "name": cover.name,
        "free_minutes": cover.free_minutes,
        "why": "; ".join(_why(cover)),
    }


def _why(cover: Cover) -> list[str]:
    """Why it fits and what stands in the way (another student, another school, its hours,
    its contract), in the order a case manager weighs them."""
    why: list[str] = []
    if cover.held:
        held = ", ".join(
            f"{q.code} (valid to {q.expires_on})" if q.expires_on else f"{q.code} (no expiry)"
            for q in cover.held
        )
        why.append(f"holds {held}")
    if cover.regular:
        why.append("already serves this student this week")
    if cover.elsewhere:
        why.append(f"but works at {', '.join(cover.elsewhere)} that day")
    else:
        why.append(f"free for {cover.day_free_minutes} of the {cover.wanted_minutes} minutes")
        if cover.in_window_minutes < cover.wanted_minutes:
            why.append(f"available for {cover.in_window_minutes} of them (its hours)")
        if cover.clashes:
            clashes = {
                f"{format_span(c.start, c.end)} with {c.student_code}" for c in cover.clashes
            }
            why.append("busy " + "; ".join(sorted(clashes)))
    why.append(f"{cover.planned_minutes} of {cover.max_weekly_minutes} weekly minutes planned")
    if cover.is_contract_staff:
        why.append("contract staff")
        if not cover.contract_in_force and cover.contract_ends_on is not None:
            why.append(
                f"but its contract is not in force that day (ends {cover.contract_ends_on:%d %b})"
            )
        elif cover.contract_cap_reached:
            why.append("its contract's weekly cap is reached")
    if cover.weekly_room_minutes <= 0:
        why.append("weekly hours reached")
    return why
