"""What the ledger's closing, services and reads share: the refusal rules, the accrual of
compensatory minutes, and the missed-days notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, OuterRef, Sum

from allocations.ledger.models import CompensatoryEntry, DeliveryRecord, MissedDaysNotice
from staffing import notify
from staffing.models import District
from staffing.tenancy import Scope, district_staff_scope
from students.models import Student
from students.scope import staff_reaching

Outcome = DeliveryRecord.Outcome
Cause = DeliveryRecord.Cause
Kind = CompensatoryEntry.Kind
Status = CompensatoryEntry.Status

NOT_DELIVERED = (Outcome.MISSED, Outcome.UNQUALIFIED)
MINUTES = Sum(F("end") - F("start"))


class LedgerError(ValueError):
    pass


def school_year_start(on: dt.date) -> dt.date:
    """July 1 of the school year `on` belongs to."""
    return dt.date(on.year if on.month >= 7 else on.year - 1, 7, 1)


def staff_scope(*, user: Any, district: District, student_id: int | None) -> Scope:
    """The user's scope, if they are staff of `district` and the student is in it; parents,
    operators, anonymous users and other districts' staff are refused (`staffing.tenancy`)."""
    scope = district_staff_scope(
        user=user,
        district_id=district.pk,
        refusal="Only the district's own staff may change its delivery ledger.",
    )
    if scope.limits_students:
        school_id = (
            Student.objects.filter(district=district, pk=student_id)
            .values_list("school_id", flat=True)
            .first()
            if student_id is not None
            else None
        )
        if student_id is None or not scope.reaches_student(
            student_id=student_id, school_id=school_id
        ):
            raise PermissionDenied("This student is not in your schools or caseload.")
    return scope


def accrual_status(district: District) -> str:
    if district.compensatory_policy == District.CompensatoryPolicy.IEP_TEAM:
        return Status.PENDING
    return Status.APPROVED


def required_note(note: str, what: str) -> str:
    note = note.strip()
    if not note:
        raise ValidationError(f"Say why in the note: {what} needs one.")
    return note


def new_accrual(record: DeliveryRecord, status: str) -> CompensatoryEntry:
    return CompensatoryEntry(
        district_id=record.district_id,
        student_id=record.student_id,
        mandate_id=record.mandate_id,
        student_code=record.student_code,
        mandate_code=record.mandate_code,
        date=record.date,
        kind=Kind.ACCRUAL,
        minutes=record.minutes,
        source=record,
        status=status,
    )


def notices_flag(
    *, district: District, student_codes: set[str], on: dt.date, today: dt.date
) -> list[str]:
    """Flag the students (of `student_codes`) whose service was missed on at least the district's
    threshold of distinct school days in `on`'s school year; returns the codes newly flagged."""
    if not student_codes:
        return []
    year = school_year_start(on)
    threshold = district.missed_days_notice_threshold
    reached = (
        DeliveryRecord.objects.filter(
            district=district,
            student_code__in=student_codes,
            is_current=True,
            outcome__in=NOT_DELIVERED,
            date__gte=year,
            date__lt=year.replace(year=year.year + 1),
        )
        .values("student_code")
        .annotate(days=Count("date", distinct=True))
        .filter(days__gte=threshold)
        .exclude(
            Exists(
                MissedDaysNotice.objects.filter(
                    district=district, student_code=OuterRef("student_code"), school_year_start=year
                )
            )
        )
        .order_by("student_code")
        .values_list("student_code", "days")
    )
    rows = list(reached)
    students = dict(
        Student.objects.filter(district=district, code__in=[c for c, _ in rows]).values_list(
            "code", "pk"
        )
    )
    MissedDaysNotice.objects.bulk_create(
        MissedDaysNotice(
            district=district,
            student_id=students.get(code),
            student_code=code,
            school_year_start=year,
            days=days,
            threshold=threshold,
            flagged_on=today,
        )
        for code, days in rows
    )
    _notices_send(district=district, rows=rows, year=year, threshold=threshold)
    return [code for code, _ in rows]


def _notices_send(
    *, district: District, rows: list[tuple[str, int]], year: dt.date, threshold: int
) -> None:
    """Tell the student's case managers and the directors at once: the parents are owed notice."""
    found = Student.objects.filter(district=district, code__in=[code for code, _ in rows])
    for student in found.order_by("code"):
        days = dict(rows)[student.code]
        notify.notify(
            district=district,
            users=staff_reaching(
                district=district, school_id=student.school_id, student_id=student.pk
            ),
            key=f"missed_days:{student.code}:{year.isoformat()}",
            subject=(
                f"Notify the parents: {student.first_name} {student.last_name} ({student.code}) "
                f"missed mandated services on {days} school days"
            ),
            body=(
                f"{student.first_name} {student.last_name} ({student.code}) has had mandated "
                f"para services missed or covered by an unqualified person on {days} school days "
                f"since {year:%d %b %Y}; the district's threshold is {threshold}. State rules "
                "(Illinois among them) require notice to the parents now. Record when they were "
                "notified on the missed-days notice in the admin."
            ),
            urgent=True,
        )
