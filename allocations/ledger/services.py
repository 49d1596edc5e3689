"""Writes of the ledger after a day's close: corrections, make-up sessions, the IEP team's
decisions on pending accruals, and the parents' missed-days notice. Each one atomic; each refuses
anyone but the district's own staff with the student in scope (`staffing.tenancy`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocations.engine.causes import LEDGER_CAUSES
from allocations.ledger.common import (
    NOT_DELIVERED,
    Cause,
    Kind,
    Outcome,
    Status,
    accrual_status,
    new_accrual,
    notices_flag,
    required_note,
    staff_scope,
)
from allocations.ledger.models import CompensatoryEntry, DeliveryRecord, MissedDaysNotice
from allocations.ledger.selectors import owed_minutes
from staffing.models import Aide, AideQualification, District
from staffing.selectors import district_today
from students.models import ParaMandate, Student


def _qualification_gap(
    *, district: District, aide: Aide, required: Sequence[str], on: dt.date
) -> tuple[tuple[str, ...], bool]:
    """The required codes `aide` does not validly hold on `on`, and whether one of them is held
    but had lapsed."""
    held: dict[str, dt.date | None] = dict(
        AideQualification.objects.filter(district=district, aide=aide).values_list(
            "qualification", "expires_on"
        )
    )
    lapsed = {q for q, expires_on in held.items() if expires_on is not None and expires_on < on}
    missing = tuple(sorted(q for q in set(required) if q not in held or q in lapsed))
    return missing, bool(lapsed & set(missing))


@transaction.atomic
def delivery_correct(
    *,
    user: Any,
    record: DeliveryRecord,
    outcome: str,
    aide: Aide | None = None,
    cause: str = "",
    note: str = "",
) -> DeliveryRecord:
    """Replace a current record with a corrected one (the old one stays, no longer current), and
    make the compensatory ledger follow: the old accrual reversed, a new one if owed.

    `aide` None keeps the record's aide. Missed service needs a cause; for delivered and
    unqualified service the aide's qualifications on the day decide which of the two it was."""
    record = DeliveryRecord.objects.select_for_update().get(
        pk=record.pk, district_id=record.district_id
    )
    district = record.district
    staff_scope(user=user, district=district, student_id=record.student_id)
    if not record.is_current:
        raise ValidationError("This record was corrected already: correct its latest version.")
    note = required_note(note, "a correction")
    if outcome not in Outcome.values:
        raise ValidationError(f"'{outcome}' is not an outcome.")
    if aide is not None and aide.district_id != district.pk:
        raise ValidationError("Choose an aide of the record's district.")
    new_aide_id = aide.pk if aide is not None else record.aide_id
    new_aide_code = aide.code if aide is not None else record.aide_code
    missing: tuple[str, ...] = ()
    if outcome == Outcome.MISSED:
        if cause not in LEDGER_CAUSES:
            raise ValidationError("Give the cause of the missed service.")
    else:
        if cause:
            raise ValidationError("A cause is given for missed service only.")
        chosen = aide if aide is not None else record.aide
        if chosen is None:
            raise ValidationError("Name the aide who served the student.")
        if record.mandate is not None:
            missing, lapsed = _qualification_gap(
                district=district, aide=chosen, required=record.mandate.qualification_codes,
                on=record.date,
            )  # fmt: skip
            if outcome == Outcome.DELIVERED and missing:
                raise ValidationError(
                    f"{chosen.code} did not hold {', '.join(missing)} on "
                    f"{record.date.isoformat()}: record the service as unqualified."
                )
            if outcome == Outcome.UNQUALIFIED and not missing:
                raise ValidationError(
                    f"{chosen.code} held every required qualification on "
                    f"{record.date.isoformat()}: record the service as delivered."
                )
            cause = Cause.QUALIFICATION_EXPIRED if lapsed and missing else ""
        elif outcome == Outcome.UNQUALIFIED:
            missing = tuple(q for q in record.missing_qualifications.split(";") if q)
    if (outcome, new_aide_id, cause) == (record.outcome, record.aide_id, record.cause):
        raise ValidationError("This correction changes nothing.")

    DeliveryRecord.objects.filter(pk=record.pk).update(is_current=False)
    corrected = DeliveryRecord.objects.create(
        district=district,
        date=record.date,
        student_id=record.student_id,
        mandate_id=record.mandate_id,
        aide_id=new_aide_id,
        student_code=record.student_code,
        mandate_code=record.mandate_code,
        school_code=record.school_code,
        aide_code=new_aide_code,
        setting=record.setting,
        location=record.location,
        start=record.start,
        end=record.end,
        outcome=outcome,
        cause=cause,
        missing_qualifications=";".join(missing),
        note=note,
        replaces=record,
        is_current=True,
        recorded_by=user,
    )
    accrual = (
        CompensatoryEntry.objects.select_for_update()
        .filter(
            district=district,
            kind=Kind.ACCRUAL,
            source=record,
            status__in=[Status.APPROVED, Status.PENDING],
        )
        .first()
    )
    if accrual is not None:
        CompensatoryEntry.objects.create(
            district=district,
            student_id=accrual.student_id,
            mandate_id=accrual.mandate_id,
            student_code=accrual.student_code,
            mandate_code=accrual.mandate_code,
            date=record.date,
            kind=Kind.REVERSAL,
            minutes=accrual.minutes,
            source=record,
            reverses=accrual,
            note=note,
            created_by=user,
        )
    if outcome in NOT_DELIVERED:
        entry = new_accrual(corrected, accrual_status(district))
        entry.created_by = user
        entry.save()
        notices_flag(
            district=district,
            student_codes={record.student_code},
            on=record.date,
            today=district_today(district=district),
        )
    return corrected


@transaction.atomic
def makeup_record(
    *,
    user: Any,
    student: Student,
    mandate: ParaMandate,
    on: dt.date,
    minutes: int,
    aide: Aide | None = None,
    note: str = "",
) -> CompensatoryEntry:
    """Record a make-up session delivered against the compensatory minutes owed."""
    district = student.district
    staff_scope(user=user, district=district, student_id=student.pk)
    if mandate.district_id != district.pk or mandate.student_id != student.pk:
        raise ValidationError(f"Mandate {mandate.code} is not {student.code}'s.")
    if aide is not None and aide.district_id != district.pk:
        raise ValidationError("Choose an aide of the student's district.")
    if minutes <= 0:
        raise ValidationError("A make-up session lasts at least one minute.")
    if on > district_today(district=district):
        raise ValidationError("Record a make-up session once it has taken place.")
    # The student's row serializes make-up sessions, so two cannot both spend the same balance.
    Student.objects.select_for_update().filter(pk=student.pk).first()
    owed = owed_minutes(district=district, student_code=student.code, mandate_code=mandate.code)
    if minutes > owed:
        raise ValidationError(
            f"{minutes} minutes is more than the {owed} compensatory minutes {student.code} is "
            f"owed for {mandate.code}."
        )
    return CompensatoryEntry.objects.create(
        district=district,
        student=student,
        mandate=mandate,
        student_code=student.code,
        mandate_code=mandate.code,
        date=on,
        kind=Kind.MAKEUP,
        minutes=minutes,
        aide=aide,
        aide_code=aide.code if aide is not None else "",
        note=note.strip(),
        created_by=user,
    )


@transaction.atomic
def accrual_decide(
    *, user: Any, entry: CompensatoryEntry, approve: bool, note: str
) -> CompensatoryEntry:
    """The IEP team's decision on a pending accrual, recorded with who and when."""
    entry = CompensatoryEntry.objects.select_for_update().get(
        pk=entry.pk, district_id=entry.district_id
    )
    staff_scope(user=user, district=entry.district, student_id=entry.student_id)
    if entry.kind != Kind.ACCRUAL or entry.status != Status.PENDING:
        raise ValidationError("Only a pending accrual can be approved or declined.")
    if entry.reversals.exists():
        raise ValidationError("Its delivery record was corrected since: nothing to decide.")
    entry.status = Status.APPROVED if approve else Status.DECLINED
    entry.note = required_note(note, "an IEP-team decision")
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.save(update_fields=["status", "note", "decided_by", "decided_at"])
    return entry


@transaction.atomic
def notice_mark_notified(
    *, user: Any, notice: MissedDaysNotice, on: dt.date | None = None
) -> MissedDaysNotice:
    """Record that the parents were sent the missed-days notice (today unless `on`)."""
    staff_scope(user=user, district=notice.district, student_id=notice.student_id)
    today = district_today(district=notice.district)
    on = on or today
    if on > today:
        raise ValidationError("Record the notice once it has been sent.")
    claimed = MissedDaysNotice.objects.filter(
        pk=notice.pk, district_id=notice.district_id, parents_notified_on__isnull=True
    ).update(parents_notified_on=on, notified_by=user)
    if not claimed:
        raise ValidationError("The parents were already notified.")
    notice.refresh_from_db()
    return notice
