"""Writing a validated bundle: `district_import` creates the district, or replaces all of its
data, in one transaction. It lives in the top layer because a bundle holds staffing rows and
students both, and a replace must also clear the plans and keep the delivery ledger."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Subquery

from allocations.bundle.erase import district_rows_delete, tenant_models_in_delete_order
from allocations.bundle.validate import Bundle
from allocations.ledger.models import CompensatoryEntry, DeliveryRecord, MissedDaysNotice
from allocations.models import AllocationRun
from staffing.bulk import bulk_insert, statistics_refresh
from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    AideSchool,
    AvailabilityWindow,
    Closure,
    Contract,
    District,
    Membership,
    School,
    TenantModel,
)
from students.models import Guardian, MandateBlock, ParaMandate, Student

BATCH = 5000
# The delivery ledger is the district's evidence of what happened, not data the bundle carries: a
# re-import keeps it, unlinked before the delete and re-linked by code after the insert.
LEDGER_MODELS: tuple[type[TenantModel], ...] = (DeliveryRecord, CompensatoryEntry, MissedDaysNotice)


@dataclass
class ImportSummary:
    district: District
    created: bool
    counts: dict[str, int]
    removed_runs: int = 0
    dropped_links: list[str] = field(default_factory=list)


@dataclass
class _KeptLinks:
    """What a replace keeps of the rows it deletes, by code: staff's schools and caseloads and
    parents' children."""

    schools: list[tuple[int, str]]
    caseload: list[tuple[int, str]]
    guardians: list[tuple[int, str, str]]


@transaction.atomic
def district_import(
    *, bundle: Bundle, progress: Callable[[str], None] | None = None
) -> ImportSummary:
    """Create the bundle's district, or replace all of its data, in one transaction.

    Staff memberships and parents' links survive a replace: their schools, caseloads and children
    are re-linked by code; links to codes the new bundle no longer has are dropped and reported.
    The delivery ledger survives whole, re-linked by code (unlinked where a code is gone).
    """
    say = progress or (lambda _: None)
    district, created = District.objects.select_for_update().get_or_create(
        code=bundle.code, defaults={"name": bundle.name, "timezone": bundle.timezone}
    )
    summary = ImportSummary(district=district, created=created, counts=bundle.counts())
    kept = None
    if not created:
        district.name, district.timezone = bundle.name, bundle.timezone
        district.save(update_fields=["name", "timezone"])
        say("removing the district's previous data")
        kept = _links_keep(district)
        summary.removed_runs = AllocationRun.objects.filter(district=district).count()
        _ledger_unlink(district)
        district_rows_delete(district, keep=LEDGER_MODELS)
    schools = _staffing_write(district.pk, bundle, say)
    students = _students_write(district.pk, bundle, schools, say)
    if kept is not None:
        summary.dropped_links = _links_restore(district, schools, students, kept)
        _ledger_relink(district)
    statistics_refresh(*tenant_models_in_delete_order(), Student.case_managers.through)
    return summary


def _links_keep(district: District) -> _KeptLinks:
    return _KeptLinks(
        schools=list(
            Membership.schools.through.objects.filter(membership__district=district).values_list(
                "membership_id", "school__code"
            )
        ),
        caseload=list(
            Student.case_managers.through.objects.filter(student__district=district).values_list(
                "membership_id", "student__code"
            )
        ),
        guardians=list(
            Guardian.objects.filter(district=district).values_list(
                "user_id", "student__code", "relationship"
            )
        ),
    )


def _staffing_write(d: int, bundle: Bundle, say: Callable[[str], None]) -> dict[str, int]:
    """Write the district's schools and staff; return the new schools' ids by code."""
    say(f"writing {len(bundle.schools)} schools and {len(bundle.contracts)} contracts")
    schools = {
        s.code: s.pk
        for s in School.objects.bulk_create(
            [School(district_id=d, code=c, name=n) for c, n in bundle.schools.items()],
            batch_size=BATCH,
        )
    }
    contracts = {
        c.code: c.pk
        for c in Contract.objects.bulk_create(
            [
                Contract(
                    district_id=d, code=code, agency=agency, starts_on=starts_on,
                    ends_on=ends_on, weekly_minute_cap=cap, hourly_rate=rate,
                )
                for code, (agency, starts_on, ends_on, cap, rate) in bundle.contracts.items()
            ],
            batch_size=BATCH,
        )
    }  # fmt: skip
    say(f"writing {len(bundle.aides)} aides")
    aides = {
        a.code: a.pk
        for a in Aide.objects.bulk_create(
            [
                Aide(
                    district_id=d, code=code, name=name,
                    contract_id=contracts[contract] if contract else None,
                    max_weekly_minutes=minutes, hourly_cost=cost,
                )
                for code, (name, contract, _, minutes, cost) in bundle.aides.items()
            ],
            batch_size=BATCH,
        )
    }  # fmt: skip
    bulk_insert(
        AideSchool,
        ("district_id", "aide_id", "school_id"),
        (
            (d, aides[code], schools[school])
            for code, (_, _, school_codes, _, _) in bundle.aides.items()
            for school in school_codes
        ),
    )
    _aide_days_write(d, bundle, aides, schools, say)
    return schools


def _aide_days_write(
    d: int,
    bundle: Bundle,
    aides: dict[str, int],
    schools: dict[str, int],
    say: Callable[[str], None],
) -> None:
    """Write aides' qualifications, hours and absences, and the closures."""
    say(
        f"writing {len(bundle.qualifications)} qualifications, "
        f"{len(bundle.availability)} availability windows, {len(bundle.absences)} absences"
    )
    bulk_insert(
        AideQualification,
        ("district_id", "aide_id", "qualification", "expires_on"),
        ((d, aides[a], q, exp) for a, q, exp in bundle.qualifications),
    )
    bulk_insert(
        AvailabilityWindow,
        ("district_id", "aide_id", "weekday", "start", "end"),
        ((d, aides[a], wd, start, end) for a, wd, start, end in bundle.availability),
    )
    bulk_insert(
        Absence,
        ("district_id", "aide_id", "date", "start", "end", "reason"),
        ((d, aides[a], on, start, end, reason) for a, on, start, end, reason in bundle.absences),
    )
    bulk_insert(
        Closure,
        ("district_id", "date", "school_id", "reason"),
        ((d, on, schools[s] if s else None, reason) for on, s, reason in bundle.closures),
    )


def _students_write(
    d: int, bundle: Bundle, schools: dict[str, int], say: Callable[[str], None]
) -> dict[str, int]:
    """Write the students, their mandates and the mandates' blocks; return the students' ids
    by code."""
    say(f"writing {len(bundle.students)} students")
    students = {
        s.code: s.pk
        for s in Student.objects.bulk_create(
            [
                Student(
                    district_id=d, code=code, school_id=schools[school],
                    first_name=first, last_name=last, grade=grade,
                )
                for code, (school, first, last, grade) in bundle.students.items()
            ],
            batch_size=BATCH,
        )
    }  # fmt: skip
    say(f"writing {len(bundle.mandates)} mandates and their blocks")
    mandates = {
        m.code: m.pk
        for m in ParaMandate.objects.bulk_create(
            [
                ParaMandate(
                    district_id=d, code=m.code, student_id=students[m.student],
                    support=m.support, max_group=m.max_group,
                    required_qualifications=";".join(m.qualifications),
                    starts_on=m.starts_on, ends_on=m.ends_on,
                )
                for m in bundle.mandates.values()
            ],
            batch_size=BATCH,
        )
    }  # fmt: skip
    bulk_insert(
        MandateBlock,
        ("district_id", "mandate_id", "setting", "location", "weekday", "start", "end"),
        (
            (d, mandates[m.code], setting, location, weekday, start, end)
            for m in bundle.mandates.values()
            for setting, location, weekday, start, end in m.blocks
        ),
    )
    return students


def _ledger_unlink(district: District) -> None:
    """Clear the ledger's links to the rows a re-import deletes (the delete would leave them
    dangling). The codes beside each link stay: they are the record."""
    DeliveryRecord.objects.filter(district=district).update(student=None, mandate=None, aide=None)
    CompensatoryEntry.objects.filter(district=district).update(
        student=None, mandate=None, aide=None
    )
    MissedDaysNotice.objects.filter(district=district).update(student=None)


def _ledger_relink(district: District) -> None:
    """Link the ledger to the new rows with the same codes; a code the bundle no longer has stays
    unlinked, its history readable by code. A mandate is linked only while it still belongs to
    the student the row names."""
    student = Student.objects.filter(district=district, code=OuterRef("student_code"))
    mandate = ParaMandate.objects.filter(
        district=district, code=OuterRef("mandate_code"), student__code=OuterRef("student_code")
    )
    aide = Aide.objects.filter(district=district, code=OuterRef("aide_code"))
    for model in (DeliveryRecord, CompensatoryEntry):
        model.objects.filter(district=district).update(
            student=Subquery(student.values("pk")[:1]),
            mandate=Subquery(mandate.values("pk")[:1]),
            aide=Subquery(aide.values("pk")[:1]),
        )
    MissedDaysNotice.objects.filter(district=district).update(
        student=Subquery(student.values("pk")[:1])
    )


def _links_restore(
    district: District, schools: dict[str, int], students: dict[str, int], kept: _KeptLinks
) -> list[str]:
    """Re-link what `_links_keep` kept to the new rows; return the links whose code is gone."""
    school_links = Membership.schools.through
    school_links.objects.bulk_create(
        [
            school_links(membership_id=m, school_id=schools[c])
            for m, c in kept.schools
            if c in schools
        ]
    )
    caseload = Student.case_managers.through
    caseload.objects.bulk_create(
        [
            caseload(membership_id=m, student_id=students[c])
            for m, c in kept.caseload
            if c in students
        ]
    )
    Guardian.objects.bulk_create(
        [
            Guardian(district=district, user_id=u, student_id=students[c], relationship=r)
            for u, c, r in kept.guardians
            if c in students
        ]
    )
    return [
        *(f"membership {m}: school {c}" for m, c in kept.schools if c not in schools),
        *(f"membership {m}: caseload student {c}" for m, c in kept.caseload if c not in students),
        *(f"guardian user {u}: student {c}" for u, c, _ in kept.guardians if c not in students),
    ]
