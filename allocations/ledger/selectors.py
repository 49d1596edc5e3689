"""Reads of the ledger: compensatory balances, missed days, delivered minutes, a record's
correction history, and the parent portal's four weeks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Sum

from allocations.ledger.common import MINUTES, NOT_DELIVERED, Kind, Outcome, Status
from allocations.ledger.models import CompensatoryEntry, DeliveryRecord
from staffing.models import District
from students.models import ParaMandate, Student


@dataclass(frozen=True)
class BalanceRow:
    student_id: int | None
    student_code: str
    mandate_id: int | None
    mandate_code: str
    accrued: int
    pending: int
    reversed: int
    made_up: int
    adjusted: int

    @property
    def owed(self) -> int:
        return max(0, self.accrued + self.adjusted - self.reversed - self.made_up)


def compensatory_balances(
    *, district: District, student_ids: Iterable[int] | None = None
) -> list[BalanceRow]:
    """Per (student, mandate) code: approved accruals, pending ones, reversals of approved
    accruals, make-up minutes, adjustments; `owed` never shows below zero."""
    entries = CompensatoryEntry.objects.filter(district=district)
    if student_ids is not None:
        entries = entries.filter(student_id__in=list(student_ids))
    return _balances(entries)


def _balances(entries: QuerySet[CompensatoryEntry]) -> list[BalanceRow]:
    reversed_q = Exists(CompensatoryEntry.objects.filter(reverses=OuterRef("pk")))
    rows = (
        entries.annotate(is_reversed=reversed_q)
        .values("student_code", "mandate_code")
        .annotate(
            accrued=Sum("minutes", filter=Q(kind=Kind.ACCRUAL, status=Status.APPROVED), default=0),
            pending=Sum(
                "minutes",
                filter=Q(kind=Kind.ACCRUAL, status=Status.PENDING, is_reversed=False),
                default=0,
            ),
            reversed=Sum(
                "minutes",
                filter=Q(kind=Kind.REVERSAL, reverses__status=Status.APPROVED),
                default=0,
            ),
            made_up=Sum("minutes", filter=Q(kind=Kind.MAKEUP), default=0),
            adjusted=Sum("minutes", filter=Q(kind=Kind.ADJUSTMENT), default=0),
            linked_student=Max("student_id"),
            linked_mandate=Max("mandate_id"),
        )
        .order_by("student_code", "mandate_code")
    )
    return [
        BalanceRow(
            student_id=row["linked_student"],
            student_code=row["student_code"],
            mandate_id=row["linked_mandate"],
            mandate_code=row["mandate_code"],
            accrued=row["accrued"],
            pending=row["pending"],
            reversed=row["reversed"],
            made_up=row["made_up"],
            adjusted=row["adjusted"],
        )
        for row in rows
    ]


def owed_minutes(*, district: District, student_code: str, mandate_code: str) -> int:
    rows = _balances(
        CompensatoryEntry.objects.filter(
            district=district, student_code=student_code, mandate_code=mandate_code
        )
    )
    return rows[0].owed if rows else 0


def missed_days(*, district: District, student_id: int, since: dt.date) -> list[dt.date]:
    """The school days from `since` on with missed or unqualified service (current records)."""
    return list(
        DeliveryRecord.objects.filter(
            district=district,
            student_id=student_id,
            is_current=True,
            outcome__in=NOT_DELIVERED,
            date__gte=since,
        )
        .order_by("date")
        .values_list("date", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class MandateDelivery:
    mandate_code: str
    delivered_minutes: int
    missed_minutes: int
    unqualified_minutes: int


@dataclass(frozen=True)
class DeliverySummary:
    since: dt.date
    until: dt.date
    delivered_minutes: int
    missed_minutes: int
    unqualified_minutes: int
    mandates: tuple[MandateDelivery, ...]


def delivery_summary(
    *, district: District, student_id: int, since: dt.date, until: dt.date
) -> DeliverySummary:
    """A student's current records from `since` to `until` (both included), by mandate."""
    minutes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, outcome, m in (
        DeliveryRecord.objects.filter(
            district=district, student_id=student_id, is_current=True, date__range=(since, until)
        )
        .values("mandate_code", "outcome")
        .annotate(m=MINUTES)
        .values_list("mandate_code", "outcome", "m")
    ):
        minutes[code][outcome] += m
    mandates = tuple(
        MandateDelivery(code, by[Outcome.DELIVERED], by[Outcome.MISSED], by[Outcome.UNQUALIFIED])
        for code, by in sorted(minutes.items())
    )
    return DeliverySummary(
        since=since,
        until=until,
        delivered_minutes=sum(m.delivered_minutes for m in mandates),
        missed_minutes=sum(m.missed_minutes for m in mandates),
        unqualified_minutes=sum(m.unqualified_minutes for m in mandates),
        mandates=mandates,
    )


def delivery_history(*, district: District, record: DeliveryRecord) -> list[DeliveryRecord]:
    """Every version of the record, the day close's original first, the current one last."""
    root = record
    while root.replaces_id is not None:
        root = DeliveryRecord.objects.get(district=district, pk=root.replaces_id)
    chain = [root]
    while (
        following := DeliveryRecord.objects.filter(district=district, replaces=chain[-1])
        .select_related("recorded_by")
        .first()
    ) is not None:
        chain.append(following)
    return chain


@dataclass(frozen=True)
class FamilyMandateRow:
    mandate_code: str
    support: str
    delivered_minutes: int
    missed_minutes: int
    unqualified_minutes: int
    owed_minutes: int
    pending_minutes: int


@dataclass(frozen=True)
class FamilyLedger:
    since: dt.date
    until: dt.date
    delivered_minutes: int
    missed_minutes: int
    unqualified_minutes: int
    rows: tuple[FamilyMandateRow, ...]


FAMILY_DAYS = 28


def family_ledger(*, student: Student, today: dt.date) -> FamilyLedger:
    """For the parent portal: the last four weeks' minutes and what is owed, per mandate. Pass
    a student the parent is a guardian of (`selectors.student_of_guardian`)."""
    district = student.district
    since = today - dt.timedelta(days=FAMILY_DAYS - 1)
    summary = delivery_summary(district=district, student_id=student.pk, since=since, until=today)
    balances = {
        b.mandate_code: b
        for b in compensatory_balances(district=district, student_ids=[student.pk])
    }
    delivered = {m.mandate_code: m for m in summary.mandates}
    support = {
        m.code: m.get_support_display()
        for m in ParaMandate.objects.filter(district=district, student=student)
    }
    rows = []
    for code in sorted(set(delivered) | set(balances)):
        d = delivered.get(code, MandateDelivery(code, 0, 0, 0))
        b = balances.get(code)
        rows.append(
            FamilyMandateRow(
                mandate_code=code,
                support=support.get(code, ""),
                delivered_minutes=d.delivered_minutes,
                missed_minutes=d.missed_minutes,
                unqualified_minutes=d.unqualified_minutes,
                owed_minutes=b.owed if b else 0,
                pending_minutes=b.pending if b else 0,
            )
        )
    return FamilyLedger(
        since=since,
        until=today,
        delivered_minutes=summary.delivered_minutes,
        missed_minutes=summary.missed_minutes,
        unqualified_minutes=summary.unqualified_minutes,
        rows=tuple(rows),
    )
