"""Reads of the students app.

Staff reads take the district first (or a queryset already scoped by `staffing.tenancy`).
Parents reach students only through their own guardian rows, which carry the district.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from staffing.models import District
from staffing.timeofday import WEEKDAY_CHOICES, format_span
from students.models import (
    Guardian,
    MandateBlock,
    ParaMandate,
    Student,
    Support,
)

WEEKDAY_LABELS = dict(WEEKDAY_CHOICES)


def in_force_q(on: dt.date, prefix: str = "") -> Q:
    """Mandates in force on `on` (the IEP dates bound the service; ends_on is the last day)."""
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def safety_tier_q(*, districts: Iterable[District], prefix: str = "") -> Q:
    """The SQL twin of `ParaMandate.is_safety_tier`, for mandates of the given districts: 1:1,
    or requiring one of their district's safety qualifications."""
    by_codes: dict[frozenset[str], list[int]] = defaultdict(list)
    for district in districts:
        by_codes[district.safety_codes].append(district.pk)
    tier = Q(**{f"{prefix}support": Support.ONE_TO_ONE})
    for codes, district_ids in sorted(by_codes.items(), key=lambda item: item[1]):
        if codes:
            pattern = r"(^|;)({})(;|$)".format("|".join(re.escape(q) for q in sorted(codes)))
            tier |= Q(
                **{
                    f"{prefix}district_id__in": district_ids,
                    f"{prefix}required_qualifications__regex": pattern,
                }
            )
    return tier


def qualification_q(code: str, prefix: str = "") -> Q:
    """Mandates whose ';'-separated required qualifications include `code` exactly."""
    pattern = rf"(^|;){re.escape(code)}(;|$)"
    return Q(**{f"{prefix}required_qualifications__regex": pattern})


def students_with_figures(queryset: QuerySet[Student], *, on: dt.date) -> QuerySet[Student]:
    """Annotate `mandate_count`, `weekly_minutes` and `safety_tier` over the mandates in force
    on `on`: one subquery each, so a page of students costs one query."""
    mandates = ParaMandate.objects.filter(
        in_force_q(on), district_id=OuterRef("district_id"), student=OuterRef("pk")
    )
    count = mandates.order_by().values("student").annotate(n=Count("pk")).values("n")
    minutes = (
        MandateBlock.objects.filter(
            in_force_q(on, "mandate__"),
            district_id=OuterRef("district_id"),
            mandate__student=OuterRef("pk"),
        )
        .order_by()
        .values("mandate__student")
        .annotate(m=Sum(F("end") - F("start")))
        .values("m")
    )
    districts = District.objects.filter(pk__in=queryset.values("district_id"))
    return queryset.annotate(
        mandate_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        weekly_minutes=Coalesce(Subquery(minutes, output_field=IntegerField()), Value(0)),
        safety_tier=Exists(mandates.filter(safety_tier_q(districts=districts))),
    )


def mandates_with_figures(queryset: QuerySet[ParaMandate]) -> QuerySet[ParaMandate]:
    """Annotate `block_count` and `weekly_minutes` (every block of the mandate)."""
    blocks = (
        MandateBlock.objects.filter(district_id=OuterRef("district_id"), mandate=OuterRef("pk"))
        .order_by()
        .values("mandate")
    )
    return queryset.annotate(
        block_count=Coalesce(
            Subquery(blocks.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        weekly_minutes=Coalesce(
            Subquery(
                blocks.annotate(m=Sum(F("end") - F("start"))).values("m"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


@dataclass(frozen=True)
class BlockLine:
    weekday: int
    start: int
    end: int
    setting: str
    location: str
    mandate_code: str

    @property
    def when(self) -> str:
        """`Mon 08:00-09:15`."""
        return f"{WEEKDAY_LABELS[self.weekday]} {format_span(self.start, self.end)}"

    @property
    def minutes(self) -> int:
        return self.end - self.start


def weekday_ranges(weekdays: Sequence[int]) -> str:
    """[0, 1, 2, 3, 4] -> `Mon-Fri`; [0, 2, 3] -> `Mon, Wed, Thu` (runs of three or more
    collapse)."""
    runs: list[list[int]] = []
    for day in sorted(set(weekdays)):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAY_LABELS[run[0]]}-{WEEKDAY_LABELS[run[-1]]}")
        else:
            parts.extend(WEEKDAY_LABELS[day] for day in run)
    return ", ".join(parts)


def block_groups(blocks: Sequence[BlockLine]) -> list[str]:
    """Blocks at the same time, setting and place on several days as one line:
    `Mon-Fri 07:45-08:00 Bus (bus-loop)`."""
    days: dict[tuple[int, int, str, str], list[int]] = {}
    for b in blocks:
        days.setdefault((b.start, b.end, b.setting, b.location), []).append(b.weekday)
    ordered = sorted(days.items(), key=lambda item: (min(item[1]), item[0]))
    return [
        f"{weekday_ranges(on)} {format_span(start, end)} {setting} ({location})"
        for (start, end, setting, location), on in ordered
    ]


@dataclass(frozen=True)
class MandateSummary:
    pk: int
    code: str
    support: str
    max_group: int | None
    qualifications: tuple[str, ...]
    starts_on: dt.date
    ends_on: dt.date | None
    in_force: bool
    is_safety_tier: bool
    blocks: tuple[BlockLine, ...]

    @property
    def weekly_minutes(self) -> int:
        return sum(b.minutes for b in self.blocks)


@dataclass(frozen=True)
class StudentSchedule:
    """A student's mandates, and the week they add up to (mandates in force only)."""

    mandates: tuple[MandateSummary, ...]
    days: tuple[tuple[str, tuple[BlockLine, ...]], ...]
    weekly_minutes: int
    is_safety_tier: bool


def _block_line(block: MandateBlock, mandate_code: str) -> BlockLine:
    return BlockLine(
        weekday=block.weekday,
        start=int(block.start),
        end=int(block.end),
        setting=block.get_setting_display(),
        location=block.location,
        mandate_code=mandate_code,
    )


def mandate_summary(mandate: ParaMandate, *, on: dt.date) -> MandateSummary:
    """A mandate with its blocks (prefetch `blocks` when summarizing many)."""
    return MandateSummary(
        pk=mandate.pk,
        code=mandate.code,
        support=mandate.get_support_display(),
        max_group=mandate.max_group,
        qualifications=tuple(mandate.qualification_codes),
        starts_on=mandate.starts_on,
        ends_on=mandate.ends_on,
        in_force=mandate.starts_on <= on and (mandate.ends_on is None or mandate.ends_on >= on),
        is_safety_tier=mandate.is_safety_tier,
        blocks=tuple(
            _block_line(b, mandate.code)
            for b in sorted(mandate.blocks.all(), key=lambda b: (b.weekday, b.start, b.pk))
        ),
    )


def student_schedule(*, district: District, student: Student, on: dt.date) -> StudentSchedule:
    mandates = tuple(
        mandate_summary(m, on=on)
        for m in ParaMandate.objects.filter(district=district, student=student)
        .select_related("district")
        .prefetch_related("blocks")
        .order_by("starts_on", "code")
    )
    return _schedule(mandates)


def _schedule(mandates: Sequence[MandateSummary]) -> StudentSchedule:
    lines = sorted(
        (b for m in mandates if m.in_force for b in m.blocks),
        key=lambda b: (b.weekday, b.start, b.mandate_code),
    )
    days = tuple(
        (label, tuple(b for b in lines if b.weekday == weekday))
        for weekday, label in WEEKDAY_CHOICES
        if any(b.weekday == weekday for b in lines)
    )
    return StudentSchedule(
        mandates=tuple(mandates),
        days=days,
        weekly_minutes=sum(b.minutes for b in lines),
        is_safety_tier=any(m.is_safety_tier for m in mandates if m.in_force),
    )


@dataclass(frozen=True)
class MandateFigures:
    students_with_mandates: int
    weekly_minutes: int
    safety_tier_students: int


def mandate_figures(
    *, district: District, students: QuerySet[Student], on: dt.date
) -> MandateFigures:
    """Students (of the given, already scoped queryset) with a mandate in force on `on`, and the
    weekly minutes those mandates add up to."""
    in_force = ParaMandate.objects.filter(in_force_q(on), district=district, student__in=students)
    # A join from the blocks, not a nested IN: the planner keeps it fast even before a freshly
    # imported district's statistics exist.
    minutes = MandateBlock.objects.filter(
        in_force_q(on, "mandate__"), district=district, mandate__student__in=students
    ).aggregate(m=Coalesce(Sum(F("end") - F("start")), 0))["m"]
    return MandateFigures(
        students_with_mandates=in_force.values("student").distinct().count(),
        weekly_minutes=int(minutes),
        safety_tier_students=in_force.filter(safety_tier_q(districts=[district]))
        .values("student")
        .distinct()
        .count(),
    )


def student_list_with_figures(
    *, district: District, students: QuerySet[Student], on: dt.date, limit: int
) -> list[Any]:
    """The first `limit` students of an already scoped queryset, with their mandate figures."""
    return list(
        students_with_figures(
            students.filter(district=district).select_related("school"), on=on
        ).order_by("last_name", "first_name", "code")[:limit]
    )


def students_of_guardian(*, user: Any) -> QuerySet[Student]:
    """The user's own children, across districts (a parent may have children in two). The
    guardian row must belong to the student's district."""
    return (
        Student.objects.filter(
            Exists(
                Guardian.objects.filter(
                    user_id=user.pk, student=OuterRef("pk"), district_id=OuterRef("district_id")
                )
            )
        )
        .select_related("school", "district")
        .order_by("first_name", "last_name", "pk")
    )


def student_of_guardian(*, user: Any, student_id: int) -> Student | None:
    """One of the user's own children, or None (not theirs and not existing look the same)."""
    return students_of_guardian(user=user).filter(pk=student_id).first()
