"""Absences: recording, changing and removing one, and re-planning the school-days it touches.

Every door writes absences through `absence_record`, `absence_change` and `absence_cancel`:
each locks the aide's row, checks every rule (`absence_check`) and refuses with an
`AbsenceError` naming the fields, which the door words for its reader.

A re-plan takes the week's current plan, re-solves one date of the schools concerned with the
engine's repair (allocations/engine/repair.py) and writes the result over those school-days
only, in one transaction with the run row locked, so two absences at once queue rather than
overwrite each other. Alerts for those school-days follow in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q

from allocations import engine
from allocations.adapter import problem_for_week
from allocations.alerts import alerts_sync
from allocations.models import AllocationRun, Assignment, PlanRepair, UnstaffedRun
from allocations.store import result_store
from staffing.models import Absence, Aide, AideSchool, Contract, District
from staffing.timeofday import GRID_MINUTES, format_hhmm, format_span, week_start_of
from students.models import Student


class AbsenceError(ValueError):
    """An absence refused, in domain terms: the fields it concerns ("aide", "date", "start",
    "end", "reason"; none when it is the absence as a whole) and what is wrong with them. Each
    door words it for its reader: the admin as form errors, the command with its flags."""

    def __init__(self, fields: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.fields = fields
        self.message = message


REASON_MAX_CHARS = Absence._meta.get_field("reason").max_length or 200


def absence_overlapping(
    *, aide: Aide, on: dt.date, start: int | None, end: int | None, exclude_pk: int | None = None
) -> Absence | None:
    """An absence of the aide that date overlapping [start, end) (None/None = the whole day)."""
    rows = Absence.objects.filter(district_id=aide.district_id, aide=aide, date=on)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    if start is not None and end is not None:
        rows = rows.filter(Q(start__isnull=True) | Q(start__lt=end, end__gt=start))
    return rows.order_by("start").first()


def absence_check(
    *,
    aide: Aide,
    on: dt.date,
    start: int | None,
    end: int | None,
    reason: str = "",
    exclude_pk: int | None = None,
) -> None:
    """Every rule an absence must meet (times in minutes since midnight, both or neither), as
    an AbsenceError."""
    if (start is None) != (end is None):
        raise AbsenceError(("start", "end"), "give both for part of a day, or neither")
    if start is not None and end is not None:
        if end <= start:
            raise AbsenceError(("start", "end"), "the end is not after the start")
        for name, value in (("start", start), ("end", end)):
            if value % GRID_MINUTES:
                raise AbsenceError((name,), f"{format_hhmm(value)} is not on the 15-minute grid")
    if len(reason) > REASON_MAX_CHARS:
        raise AbsenceError(("reason",), f"at most {REASON_MAX_CHARS} characters, not {len(reason)}")
    clash = absence_overlapping(aide=aide, on=on, start=start, end=end, exclude_pk=exclude_pk)
    if clash is not None:
        raise AbsenceError(
            (),
            f"aide {aide.code} is already absent on {on.isoformat()} "
            f"{format_span(clash.start, clash.end)}: the absences would overlap",
        )


def _aide_locked(*, district: District, aide_code: str) -> Aide:
    """The district's aide with that code, its row locked: absences of one aide are checked
    for overlaps and written one at a time."""
    aide = Aide.objects.select_for_update().filter(district=district, code=aide_code).first()
    if aide is None:
        raise AbsenceError(("aide",), f"no such aide in district {district.code}")
    return aide


def absence_record(
    *,
    district: District,
    aide_code: str,
    on: dt.date,
    start: int | None = None,
    end: int | None = None,
    reason: str = "",
) -> Absence:
    """Record an absence of one of the district's aides, the whole day or [start, end) in
    minutes since midnight. The caller re-plans what it touches (`absence_replan`)."""
    with transaction.atomic():
        aide = _aide_locked(district=district, aide_code=aide_code)
        absence_check(aide=aide, on=on, start=start, end=end, reason=reason)
        return Absence.objects.create(
            district=district, aide=aide, date=on, start=start, end=end, reason=reason
        )


@dataclass(frozen=True)
class AbsenceChange:
    absence: Absence
    # The aide and date it had before: a re-plan of that day gives the aide back.
    before: tuple[int, dt.date]


def absence_change(
    *,
    district: District,
    absence_id: int,
    aide_code: str,
    on: dt.date,
    start: int | None = None,
    end: int | None = None,
    reason: str = "",
) -> AbsenceChange:
    """Change one of the district's absences (an unknown id is Absence.DoesNotExist)."""
    with transaction.atomic():
        absence = Absence.objects.select_for_update().get(pk=absence_id, district=district)
        before = (absence.aide_id, absence.date)
        aide = _aide_locked(district=district, aide_code=aide_code)
        absence_check(aide=aide, on=on, start=start, end=end, reason=reason, exclude_pk=absence.pk)
        absence.aide, absence.date, absence.start, absence.end = aide, on, start, end
        absence.reason = reason
        absence.save()
        return AbsenceChange(absence=absence, before=before)


def absence_cancel(*, district: District, absence_id: int) -> Absence:
    """Remove one of the district's absences; returns it as it was (an unknown id is
    Absence.DoesNotExist). The caller re-plans its day, which may give the aide back."""
    with transaction.atomic():
        absence = (
            Absence.objects.select_for_update()
            .select_related("aide")
            .get(pk=absence_id, district=district)
        )
        Absence.objects.filter(pk=absence.pk).delete()
        return absence


def schools_touched(*, district: District, aide_id: int, on: dt.date) -> list[int]:
    """The schools whose plan an absence (or its end) may change that date: where the aide is
    planned, and where it may work and something is unstaffed."""
    run = AllocationRun.objects.filter(
        district=district, week_start=week_start_of(on), is_current=True
    ).first()
    if run is None:
        return []
    planned = Assignment.objects.filter(run=run, aide_id=aide_id, date=on).values_list(
        "mandate__student__school_id", flat=True
    )
    linked = AideSchool.objects.filter(district=district, aide_id=aide_id).values_list(
        "school_id", flat=True
    )
    open_ = UnstaffedRun.objects.filter(
        run=run, date=on, mandate__student__school_id__in=linked
    ).values_list("mandate__student__school_id", flat=True)
    return sorted(set(planned) | set(open_))


@dataclass(frozen=True)
class Replan:
    repair: PlanRepair | None
    note: str


def absence_replan(*, district: District, aide_id: int, on: dt.date, trigger: str) -> Replan:
    """Re-plan what an absence recorded, changed or removed touches."""
    school_ids = schools_touched(district=district, aide_id=aide_id, on=on)
    week = week_start_of(on)
    planned = AllocationRun.objects.filter(district=district, week_start=week, is_current=True)
    if not planned.exists():
        return Replan(None, f"no plan for the week of {week.isoformat()} yet: run allocate")
    if not school_ids:
        return Replan(None, "the aide had nothing planned that day: no plan changed")
    repair = school_days_replan(
        district=district, on=on, school_ids=school_ids, aide_id=aide_id, trigger=trigger
    )
    return Replan(repair, "")


def _contract_caps_left(
    *, district: District, run: AllocationRun, linked: set[int], minutes: dict[int, int]
) -> dict[int, int]:
    """Each contract's weekly cap less what its staff outside the re-plan already use."""
    used: dict[int, int] = defaultdict(int)
    for aide_id, contract_id in Aide.objects.filter(
        district=district, contract__isnull=False
    ).values_list("id", "contract_id"):
        if aide_id not in linked:
            used[contract_id] += minutes.get(aide_id, 0)
    return {
        cid: max(0, cap - used[cid])
        for cid, cap in Contract.objects.filter(district=district).values_list(
            "id", "weekly_minute_cap"
        )
    }


def run_aide_minutes(run: AllocationRun) -> dict[int, int]:
    """The run's minutes per aide (recounted from its rows for runs stored without them)."""
    if run.aide_minutes or run.covered_minutes == 0:
        return {int(k): int(v) for k, v in run.aide_minutes.items()}
    rows = Assignment.objects.filter(run=run).values_list(
        "aide_id", "mandate_id", "block_id", "date", "start", "end"
    )
    return engine.aide_minutes_of(engine.Assignment(*row) for row in rows)


def _labels(problem: engine.Problem, aide_ids: set[int]) -> tuple[dict[int, str], dict[int, str]]:
    aides = {a.id: a.code for a in problem.aides}
    missing = aide_ids - aides.keys()
    if missing:
        aides |= dict(Aide.objects.filter(id__in=missing).values_list("id", "code"))
    students = {
        pk: f"{first} {last} ({code})"
        for pk, code, first, last in Student.objects.filter(
            id__in={m.student_id for m in problem.mandates}
        ).values_list("id", "code", "first_name", "last_name")
    }
    return aides, {m.id: students.get(m.student_id, "") for m in problem.mandates}


def school_days_replan(
    *,
    district: District,
    on: dt.date,
    school_ids: list[int],
    trigger: str,
    aide_id: int | None = None,
) -> PlanRepair | None:
    """Re-plan one date of some schools of the week's current plan; None without a plan."""
    started = time.perf_counter()
    week_start = week_start_of(on)
    with transaction.atomic():
        # The district row first, as a run does when it becomes the plan (allocations/runs.py):
        # a re-plan waits for that switch and then repairs the new plan, not the old one.
        District.objects.select_for_update().get(pk=district.pk)
        run = (
            AllocationRun.objects.select_for_update()
            .filter(district=district, week_start=week_start, is_current=True)
            .first()
        )
        if run is None or not school_ids:
            return None
        schools = sorted(set(school_ids))
        linked = set(
            AideSchool.objects.filter(district=district, school_id__in=schools).values_list(
                "aide_id", flat=True
            )
        )
        minutes = run_aide_minutes(run)
        problem = problem_for_week(
            district=district,
            week_start=week_start,
            school_ids=schools,
            contract_caps=_contract_caps_left(
                district=district, run=run, linked=linked, minutes=minutes
            ),
        )
        mandate_ids = [m.id for m in problem.mandates]
        current = [
            engine.Assignment(*row)
            for row in Assignment.objects.filter(run=run, mandate_id__in=mandate_ids).values_list(
                "aide_id", "mandate_id", "block_id", "date", "start", "end"
            )
        ]
        engaged = [
            engine.Engaged(*row)
            for row in Assignment.objects.filter(run=run, aide_id__in=linked)
            .exclude(mandate_id__in=mandate_ids)
            .values_list("aide_id", "date", "start", "end", "mandate__student__school_id")
        ]
        solved = time.perf_counter()
        fixed = engine.repair(problem, current, [on], engaged)
        solve_seconds = time.perf_counter() - solved

        in_scope = Q(run=run, date=on, mandate_id__in=mandate_ids)
        Assignment.objects.filter(in_scope).delete()
        UnstaffedRun.objects.filter(in_scope).delete()
        result_store(run=run, assignments=fixed.assignments, gaps=fixed.gaps)

        rates = {c.id: c.hourly_rate for c in problem.contracts}
        cost = Decimal(0)
        contract_minutes = 0
        for aide in problem.aides:
            delta = fixed.aide_minutes.get(aide.id, 0) - minutes.get(aide.id, 0)
            minutes[aide.id] = fixed.aide_minutes.get(aide.id, 0)
            rate = (
                rates.get(aide.contract_id, aide.hourly_cost)
                if aide.contract_id
                else aide.hourly_cost
            )
            cost += rate * delta / 60
            if aide.contract_id is not None:
                contract_minutes += delta
        AllocationRun.objects.filter(pk=run.pk).update(
            covered_minutes=F("covered_minutes") + fixed.covered_after - fixed.covered_before,
            safety_covered_minutes=F("safety_covered_minutes")
            + fixed.safety_covered_after
            - fixed.safety_covered_before,
            contract_minutes=F("contract_minutes") + contract_minutes,
            cost=F("cost") + cost.quantize(Decimal("0.01")),
            aide_minutes={str(k): v for k, v in sorted(minutes.items()) if v},
        )

        aide_codes, students = _labels(
            problem, {c.before for c in fixed.changes if c.before is not None}
        )
        blocks = {b.id: b for b in problem.blocks}
        mandates = {m.id: m for m in problem.mandates}

        def where(mandate_id: int, block_id: int, start: int, end: int) -> dict[str, str]:
            block = blocks[block_id]
            return {
                "student": students.get(mandate_id, ""),
                "mandate": mandates[mandate_id].code,
                "setting": block.setting,
                "location": block.location,
                "time": format_span(start, end),
            }

        repair = PlanRepair.objects.create(
            district=district,
            run=run,
            aide_id=aide_id,
            date=on,
            school_ids=schools,
            trigger=trigger[:200],
            covered_before=fixed.covered_before,
            covered_after=fixed.covered_after,
            safety_covered_before=fixed.safety_covered_before,
            safety_covered_after=fixed.safety_covered_after,
            moved_minutes=fixed.moved_minutes,
            changes=[
                where(c.mandate_id, c.block_id, c.start, c.end)
                | {
                    "before": aide_codes.get(c.before, "") if c.before else "",
                    "after": aide_codes.get(c.after, "") if c.after else "",
                }
                for c in fixed.changes
            ],
            unstaffed=[
                where(g.mandate_id, g.block_id, g.start, g.end) | {"reason": str(g.reason)}
                for g in fixed.gaps
            ],
            solve_seconds=solve_seconds,
        )
        run.refresh_from_db()
        alerts_sync(district=district, run=run, school_ids=schools, dates=[on])
        PlanRepair.objects.filter(pk=repair.pk).update(total_seconds=time.perf_counter() - started)
        repair.refresh_from_db()
    return repair
