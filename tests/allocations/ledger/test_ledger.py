"""The delivery ledger: closing a day from the plan, corrections, compensatory minutes, the
missed-days notice, a re-import that keeps the history, the command, the task and the portal."""

from __future__ import annotations

import datetime as dt
import logging
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from allocations.ledger import tasks
from allocations.ledger.common import LedgerError
from allocations.ledger.days import DaySummary, day_close
from allocations.ledger.models import CompensatoryEntry, DeliveryRecord, MissedDaysNotice
from allocations.ledger.selectors import (
    DeliverySummary,
    FamilyLedger,
    FamilyMandateRow,
    MandateDelivery,
    compensatory_balances,
    delivery_history,
    delivery_summary,
    missed_days,
)
from allocations.ledger.services import (
    accrual_decide,
    delivery_correct,
    makeup_record,
    notice_mark_notified,
)
from allocations.models import AllocationRun, Assignment, UnstaffedRun
from staffing.models import Absence, Aide, AideQualification, Closure, District, Membership
from staffing.selectors import district_today
from students.models import ParaMandate, Student
from tests import factories as f
from tests.allocations.bundle.bundles import FILES, write_bundle

pytestmark = pytest.mark.django_db

WEEK = dt.date(2026, 11, 16)
MONDAY, TUESDAY = WEEK, WEEK + dt.timedelta(days=1)
LONG_AGO = dt.date(2020, 1, 6)
RECORD_COLUMNS = (
    "mandate_code",
    "student_code",
    "school_code",
    "aide_code",
    "setting",
    "location",
    "start",
    "end",
    "outcome",
    "cause",
    "missing_qualifications",
)


def build_world(student_a, week=WEEK):
    """One school (student_a's), three students and three mandates, two aides, and the week's
    current plan written directly:

    - M-1TO1 (STU-A, 1:1, needs MEDICAL): Mon 08:00-10:00 classroom, staffed by AIDE-MED;
    - M-SHARED (STU-A2, shared): Mon 10:00-11:00 lunch staffed by AIDE-GEN, Mon 13:00-13:30
      recess unstaffed (qualified aides busy), Tue 10:00-10:30 lunch unstaffed (nobody free);
    - M-VAC (STU-A3, 1:1, needs BEHAVIOR): Mon 09:00-09:45 unstaffed all week (cap reached).
    """
    district, school = student_a.district, student_a.school
    med = f.AideFactory(district=district, code="AIDE-MED", name="Mia Medic")
    gen = f.AideFactory(district=district, code="AIDE-GEN", name="Gus General")
    AideQualification.objects.create(district=district, aide=med, qualification="MEDICAL")
    one = f.MandateFactory(
        student=student_a, code="M-1TO1", required_qualifications="MEDICAL", starts_on=LONG_AGO
    )
    a2 = f.StudentFactory(school=school, code="STU-A2", first_name="Abe")
    shared = f.MandateFactory(
        student=a2, code="M-SHARED", support="shared", max_group=3, starts_on=LONG_AGO
    )
    a3 = f.StudentFactory(school=school, code="STU-A3", first_name="Ada")
    vacant = f.MandateFactory(
        student=a3, code="M-VAC", required_qualifications="BEHAVIOR", starts_on=LONG_AGO
    )
    blocks = {
        "one": f.BlockFactory(mandate=one, weekday=0, start=480, end=600, location="RM-1"),
        "lunch": f.BlockFactory(
            mandate=shared, weekday=0, start=600, end=660, setting="lunch", location="CAF"
        ),
        "recess": f.BlockFactory(
            mandate=shared, weekday=0, start=780, end=810, setting="recess", location="YARD"
        ),
        "tuesday": f.BlockFactory(
            mandate=shared, weekday=1, start=600, end=630, setting="lunch", location="CAF"
        ),
        "vacant": f.BlockFactory(mandate=vacant, weekday=0, start=540, end=585, location="RM-3"),
    }
    run = AllocationRun.objects.create(
        district=district, week_start=week, status=AllocationRun.Status.SUCCEEDED, is_current=True
    )
    monday, tuesday = week, week + dt.timedelta(days=1)
    for aide, mandate, block in ((med, one, "one"), (gen, shared, "lunch")):
        b = blocks[block]
        Assignment.objects.create(
            district=district, run=run, aide=aide, mandate=mandate, block=b, date=monday,
            start=b.start, end=b.end,
        )  # fmt: skip
    for mandate, block, on, reason in (
        (shared, "recess", monday, "qualified_aides_busy"),
        (shared, "tuesday", tuesday, "no_aide_available"),
        (vacant, "vacant", monday, "cap_reached"),
    ):
        b = blocks[block]
        UnstaffedRun.objects.create(
            district=district, run=run, mandate=mandate, block=b, date=on, start=b.start,
            end=b.end, reason=reason,
        )  # fmt: skip
    return {
        "district": district, "run": run, "med": med, "gen": gen, "one": one, "shared": shared,
        "vacant": vacant, "a2": a2, "a3": a3, "blocks": blocks,
    }  # fmt: skip


@pytest.fixture
def world(student_a):
    return build_world(student_a)


def records(district, **filters):
    return list(
        DeliveryRecord.objects.filter(district=district, **filters)
        .order_by("start", "mandate_code")
        .values_list(*RECORD_COLUMNS)
    )


def entries(district):
    return list(
        CompensatoryEntry.objects.filter(district=district)
        .order_by("pk")
        .values_list("kind", "student_code", "mandate_code", "date", "minutes", "status")
    )


def counts():
    return (
        DeliveryRecord.objects.count(),
        DeliveryRecord.objects.filter(is_current=True).count(),
        CompensatoryEntry.objects.count(),
        MissedDaysNotice.objects.count(),
    )


def case_manager(district, username, *, schools=()):
    member = f.MembershipFactory(
        district=district,
        user=f.UserFactory(username=username, is_staff=True),
        role=Membership.Role.CASE_MANAGER,
    )
    member.schools.set(schools)
    return member.user


def record_of(district, mandate_code, start):
    return DeliveryRecord.objects.get(
        district=district, mandate_code=mandate_code, start=start, is_current=True
    )


# --- Closing a day ---------------------------------------------------------------------------


def test_day_close_records_every_due_span_from_the_plan(world):
    district = world["district"]

    summary = day_close(district=district, on=MONDAY)

    assert summary == DaySummary(
        district_code="ALPHA", on=MONDAY, already_closed=False, rows_written=4,
        accruals_written=2, delivered_minutes=180, missed_minutes=75, unqualified_minutes=0,
        students_flagged=(),
    )  # fmt: skip
    assert records(district) == [
        ("M-1TO1", "STU-A", "LINCOLN", "AIDE-MED", "classroom", "RM-1", 480, 600, "delivered", "", ""),
        ("M-VAC", "STU-A3", "LINCOLN", "", "classroom", "RM-3", 540, 585, "missed", "vacancy", ""),
        ("M-SHARED", "STU-A2", "LINCOLN", "AIDE-GEN", "lunch", "CAF", 600, 660, "delivered", "", ""),
        ("M-SHARED", "STU-A2", "LINCOLN", "", "recess", "YARD", 780, 810, "missed", "no_qualified_aide", ""),
    ]  # fmt: skip
    assert entries(district) == [
        ("accrual", "STU-A3", "M-VAC", MONDAY, 45, "approved"),
        ("accrual", "STU-A2", "M-SHARED", MONDAY, 30, "approved"),
    ]
    one = record_of(district, "M-1TO1", 480)
    assert (one.student_id, one.mandate_id, one.aide_id) == (
        world["one"].student_id,
        world["one"].pk,
        world["med"].pk,
    )


def test_a_second_close_of_the_same_day_writes_nothing(world):
    district = world["district"]
    day_close(district=district, on=MONDAY)
    before = counts()

    again = day_close(district=district, on=MONDAY)

    assert counts() == before == (4, 4, 2, 0)
    assert (again.already_closed, again.rows_written, again.accruals_written) == (True, 0, 0)
    assert (again.delivered_minutes, again.missed_minutes) == (180, 75)


def test_an_absence_recorded_after_planning_makes_the_overlap_missed(world):
    district = world["district"]
    Absence.objects.create(district=district, aide=world["med"], date=MONDAY, start=510, end=540)
    Absence.objects.create(district=district, aide=world["gen"], date=MONDAY)

    summary = day_close(district=district, on=MONDAY)

    assert records(district, outcome__in=["delivered", "missed"], cause__in=["", "aide_absent"]) == [
        ("M-1TO1", "STU-A", "LINCOLN", "AIDE-MED", "classroom", "RM-1", 480, 510, "delivered", "", ""),
        ("M-1TO1", "STU-A", "LINCOLN", "AIDE-MED", "classroom", "RM-1", 510, 540, "missed", "aide_absent", ""),
        ("M-1TO1", "STU-A", "LINCOLN", "AIDE-MED", "classroom", "RM-1", 540, 600, "delivered", "", ""),
        ("M-SHARED", "STU-A2", "LINCOLN", "AIDE-GEN", "lunch", "CAF", 600, 660, "missed", "aide_absent", ""),
    ]  # fmt: skip
    assert (summary.delivered_minutes, summary.missed_minutes) == (90, 165)
    assert ("accrual", "STU-A", "M-1TO1", MONDAY, 30, "approved") in entries(district)


def test_an_expired_qualification_makes_the_service_unqualified(world):
    district = world["district"]
    AideQualification.objects.filter(aide=world["med"]).update(expires_on=MONDAY - dt.timedelta(1))

    summary = day_close(district=district, on=MONDAY)

    assert records(district, mandate_code="M-1TO1") == [
        ("M-1TO1", "STU-A", "LINCOLN", "AIDE-MED", "classroom", "RM-1", 480, 600, "unqualified",
         "qualification_expired", "MEDICAL"),
    ]  # fmt: skip
    assert (summary.delivered_minutes, summary.unqualified_minutes) == (60, 120)
    assert entries(district)[0] == ("accrual", "STU-A", "M-1TO1", MONDAY, 120, "approved")


def test_the_iep_team_policy_leaves_accruals_pending(world):
    district = world["district"]
    District.objects.filter(pk=district.pk).update(compensatory_policy="iep_team")

    day_close(district=district, on=MONDAY)

    assert [status for *_, status in entries(district)] == ["pending", "pending"]
    balances = compensatory_balances(district=district)
    assert [(b.student_code, b.mandate_code, b.accrued, b.pending, b.owed) for b in balances] == [
        ("STU-A2", "M-SHARED", 0, 30, 0),
        ("STU-A3", "M-VAC", 0, 45, 0),
    ]


def test_a_snow_day_and_a_block_the_plan_never_saw(world, school_a):
    district = world["district"]
    other = f.SchoolFactory(district=district, code="WASH")
    late = f.MandateFactory(
        student=f.StudentFactory(school=school_a, code="STU-NEW"), code="M-NEW", starts_on=MONDAY
    )
    f.BlockFactory(mandate=late, weekday=0, start=720, end=750, location="RM-9")
    closed = f.MandateFactory(student=f.StudentFactory(school=other), code="M-WASH")
    f.BlockFactory(mandate=closed, weekday=0, start=720, end=750)
    Closure.objects.create(district=district, school=other, date=MONDAY, reason="snow")

    day_close(district=district, on=MONDAY)

    assert records(district, cause="not_planned") == [
        ("M-NEW", "STU-NEW", "LINCOLN", "", "classroom", "RM-9", 720, 750, "missed", "not_planned", ""),
    ]  # fmt: skip


def test_a_week_without_a_plan_or_a_day_not_over_is_refused(world, district_b):
    with pytest.raises(LedgerError, match=r"BETA: no current staffing plan .* run allocate"):
        day_close(district=district_b, on=MONDAY)
    today = district_today(district=world["district"])
    with pytest.raises(LedgerError, match="is not over yet"):
        day_close(district=world["district"], on=today)
    assert counts() == (0, 0, 0, 0)


# --- Corrections -----------------------------------------------------------------------------


@pytest.fixture
def closed_monday(world):
    day_close(district=world["district"], on=MONDAY)
    return world


def test_a_correction_keeps_the_history_and_moves_the_compensatory_ledger(closed_monday, school_a):
    world = closed_monday
    district = world["district"]
    manager = case_manager(district, "cm_lincoln", schools=[school_a])
    vacant = record_of(district, "M-VAC", 540)

    corrected = delivery_correct(
        user=manager, record=vacant, outcome="unqualified", aide=world["gen"],
        note="Gus covered from 09:00; sign-in sheet.",
    )  # fmt: skip

    vacant.refresh_from_db()
    assert (vacant.is_current, corrected.is_current, corrected.replaces_id) == (
        False,
        True,
        vacant.pk,
    )
    assert (corrected.outcome, corrected.aide_code, corrected.missing_qualifications) == (
        "unqualified",
        "AIDE-GEN",
        "BEHAVIOR",
    )
    assert (corrected.cause, corrected.recorded_by, corrected.start, corrected.end) == (
        "",
        manager,
        540,
        585,
    )
    assert entries(district)[1:] == [
        ("accrual", "STU-A2", "M-SHARED", MONDAY, 30, "approved"),
        ("reversal", "STU-A3", "M-VAC", MONDAY, 45, ""),
        ("accrual", "STU-A3", "M-VAC", MONDAY, 45, "approved"),
    ]
    assert [r.pk for r in delivery_history(district=district, record=vacant)] == [
        vacant.pk,
        corrected.pk,
    ]
    balance = compensatory_balances(district=district, student_ids=[world["a3"].pk])
    assert [(b.accrued, b.reversed, b.made_up, b.owed) for b in balance] == [(90, 45, 0, 45)]


def test_correcting_missed_service_to_delivered_reverses_its_accrual(closed_monday, director_a):
    district = closed_monday["district"]
    recess = record_of(district, "M-SHARED", 780)

    delivery_correct(
        user=director_a, record=recess, outcome="delivered", aide=closed_monday["gen"],
        note="Covered by Gus; the plan was out of date.",
    )  # fmt: skip

    balance = compensatory_balances(district=district, student_ids=[closed_monday["a2"].pk])
    assert [(b.accrued, b.reversed, b.owed) for b in balance] == [(30, 30, 0)]
    assert delivery_summary(
        district=district, student_id=closed_monday["a2"].pk, since=MONDAY, until=TUESDAY
    ) == DeliverySummary(
        since=MONDAY, until=TUESDAY, delivered_minutes=90, missed_minutes=0,
        unqualified_minutes=0, mandates=(MandateDelivery("M-SHARED", 90, 0, 0),),
    )  # fmt: skip


def test_delivered_by_an_aide_without_the_qualification_is_refused(closed_monday, director_a):
    district = closed_monday["district"]
    before = counts()

    with pytest.raises(ValidationError, match="AIDE-GEN did not hold MEDICAL on 2026-11-16"):
        delivery_correct(
            user=director_a, record=record_of(district, "M-1TO1", 480), outcome="delivered",
            aide=closed_monday["gen"], note="Gus covered.",
        )  # fmt: skip

    assert counts() == before


@pytest.mark.parametrize("who", ["parent", "director_b", "anonymous", "outside_case_manager"])
def test_a_correction_by_someone_not_in_scope_is_refused_and_changes_nothing(
    closed_monday, who, parent_of_student_a, director_b
):
    district = closed_monday["district"]
    users = {
        "parent": parent_of_student_a,
        "director_b": director_b,
        "anonymous": AnonymousUser(),
        "outside_case_manager": case_manager(
            district, "cm_wash", schools=[f.SchoolFactory(district=district, code="WASH")]
        ),
    }
    record = record_of(district, "M-1TO1", 480)
    before = counts()

    with pytest.raises(PermissionDenied):
        delivery_correct(
            user=users[who], record=record, outcome="missed", cause="aide_absent", note="No."
        )

    assert counts() == before
    record.refresh_from_db()
    assert (record.is_current, record.outcome) == (True, "delivered")


def test_a_record_already_corrected_cannot_be_corrected_again(closed_monday, director_a):
    district = closed_monday["district"]
    record = record_of(district, "M-1TO1", 480)
    delivery_correct(
        user=director_a, record=record, outcome="missed", cause="aide_absent", note="Mia left."
    )
    before = counts()

    with pytest.raises(ValidationError, match="corrected already"):
        delivery_correct(
            user=director_a, record=record, outcome="missed", cause="other", note="Again."
        )

    assert counts() == before == (5, 4, 3, 0)


def test_a_correction_needs_a_note_and_a_cause_for_missed_service(closed_monday, director_a):
    record = record_of(closed_monday["district"], "M-1TO1", 480)

    with pytest.raises(ValidationError, match="note"):
        delivery_correct(user=director_a, record=record, outcome="missed", cause="other")
    with pytest.raises(ValidationError, match="cause"):
        delivery_correct(user=director_a, record=record, outcome="missed", note="Why")
    assert counts() == (4, 4, 2, 0)


# --- Make-up sessions and IEP-team decisions -----------------------------------------------


def test_a_makeup_session_over_the_balance_is_refused(closed_monday, director_a):
    world = closed_monday
    before = counts()

    with pytest.raises(ValidationError) as refused:
        makeup_record(
            user=director_a, student=world["a2"], mandate=world["shared"], on=TUESDAY, minutes=31
        )

    assert refused.value.messages == [
        "31 minutes is more than the 30 compensatory minutes STU-A2 is owed for M-SHARED."
    ]
    assert counts() == before
    entry = makeup_record(
        user=director_a, student=world["a2"], mandate=world["shared"], on=TUESDAY, minutes=30,
        aide=world["gen"], note="After school",
    )  # fmt: skip
    assert (entry.kind, entry.minutes, entry.aide_code, entry.signed_minutes) == (
        "makeup",
        30,
        "AIDE-GEN",
        -30,
    )
    balance = compensatory_balances(district=world["district"], student_ids=[world["a2"].pk])
    assert [(b.accrued, b.made_up, b.owed) for b in balance] == [(30, 30, 0)]


def test_a_pending_accrual_is_decided_once_by_staff_in_scope(world, director_a, director_b):
    district = world["district"]
    District.objects.filter(pk=district.pk).update(compensatory_policy="iep_team")
    day_close(district=district, on=MONDAY)
    entry = CompensatoryEntry.objects.get(mandate_code="M-VAC")

    with pytest.raises(PermissionDenied):
        accrual_decide(user=director_b, entry=entry, approve=True, note="No")
    decided = accrual_decide(
        user=director_a, entry=entry, approve=True, note="IEP meeting 2026-11-20"
    )

    assert (decided.status, decided.decided_by, decided.note) == (
        "approved",
        director_a,
        "IEP meeting 2026-11-20",
    )
    with pytest.raises(ValidationError, match="Only a pending accrual"):
        accrual_decide(user=director_a, entry=entry, approve=False, note="Changed mind")
    owed = {b.mandate_code: b.owed for b in compensatory_balances(district=district)}
    assert owed == {"M-SHARED": 0, "M-VAC": 45}


# --- The missed-days notice ------------------------------------------------------------------


def test_the_missed_days_notice_is_flagged_exactly_at_the_threshold(
    world, director_a, django_capture_on_commit_callbacks
):
    district = world["district"]
    District.objects.filter(pk=district.pk).update(missed_days_notice_threshold=2)

    monday = day_close(district=district, on=MONDAY)
    assert monday.students_flagged == ()
    assert MissedDaysNotice.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        tuesday = day_close(district=district, on=TUESDAY)
    mailed = [(m.to[0], m.subject) for m in mail.outbox if "Notify the parents" in m.subject]
    assert [to for to, _ in mailed] == ["director_a@example.org"]
    assert "(STU-A2) missed mandated services on 2 school days" in mailed[0][1]

    assert tuesday.students_flagged == ("STU-A2",)
    notice = MissedDaysNotice.objects.get()
    assert (
        notice.student,
        notice.student_code,
        notice.school_year_start,
        notice.days,
        notice.threshold,
        notice.flagged_on,
        notice.parents_notified_on,
    ) == (world["a2"], "STU-A2", dt.date(2026, 7, 1), 2, 2, district_today(district=district), None)
    assert missed_days(district=district, student_id=world["a2"].pk, since=MONDAY) == [
        MONDAY,
        TUESDAY,
    ]


def test_marking_the_parents_notified_happens_once(world, director_a):
    district = world["district"]
    District.objects.filter(pk=district.pk).update(missed_days_notice_threshold=1)
    day_close(district=district, on=MONDAY)
    notice = MissedDaysNotice.objects.get(student_code="STU-A2")

    notice_mark_notified(user=director_a, notice=notice, on=TUESDAY)

    notice.refresh_from_db()
    assert (notice.parents_notified_on, notice.notified_by) == (TUESDAY, director_a)
    with pytest.raises(ValidationError, match="already notified"):
        notice_mark_notified(user=director_a, notice=notice)


# --- A district re-import keeps the ledger -------------------------------------------------


def _import(folder):
    call_command("import_district", str(folder), stdout=StringIO())


def _plan_imported_monday(district):
    """Plan Monday of WEEK for the imported bundle: A1 on M1's classroom block, M1's lunch block
    unstaffed."""
    mandate = ParaMandate.objects.get(district=district, code="M1")
    classroom, lunch = mandate.blocks.order_by("start")
    run = AllocationRun.objects.create(
        district=district, week_start=WEEK, status=AllocationRun.Status.SUCCEEDED, is_current=True
    )
    Assignment.objects.create(
        district=district, run=run, aide=Aide.objects.get(district=district, code="A1"),
        mandate=mandate, block=classroom, date=MONDAY, start=480, end=555,
    )  # fmt: skip
    UnstaffedRun.objects.create(
        district=district, run=run, mandate=mandate, block=lunch, date=MONDAY, start=690,
        end=720, reason="none_qualified",
    )  # fmt: skip


def test_a_reimport_keeps_the_ledger_and_relinks_it_by_code(tmp_path):
    folder = write_bundle(tmp_path / "b")
    _import(folder)
    district = District.objects.get(code="ALPHA")
    _plan_imported_monday(district)
    day_close(district=district, on=MONDAY)
    MissedDaysNotice.objects.create(
        district=district, student=Student.objects.get(code="S1"), student_code="S1",
        school_year_start=dt.date(2026, 7, 1), days=1, threshold=1, flagged_on=TUESDAY,
    )  # fmt: skip
    before = records(district)
    old_student = Student.objects.get(district=district, code="S1").pk

    _import(folder)

    student = Student.objects.get(district=district, code="S1")
    mandate = ParaMandate.objects.get(district=district, code="M1")
    aide = Aide.objects.get(district=district, code="A1")
    assert student.pk != old_student
    assert records(district) == before == [
        ("M1", "S1", "LINCOLN", "A1", "classroom", "RM-100", 480, 555, "delivered", "", ""),
        ("M1", "S1", "LINCOLN", "", "lunch", "cafeteria", 690, 720, "missed", "no_qualified_aide", ""),
    ]  # fmt: skip
    assert list(
        DeliveryRecord.objects.order_by("start").values_list("student", "mandate", "aide")
    ) == [(student.pk, mandate.pk, aide.pk), (student.pk, mandate.pk, None)]
    assert list(CompensatoryEntry.objects.values_list("student", "mandate", "minutes")) == [
        (student.pk, mandate.pk, 30)
    ]
    assert list(MissedDaysNotice.objects.values_list("student", flat=True)) == [student.pk]
    assert AllocationRun.objects.filter(district=district).count() == 0


def test_a_reimport_without_a_code_keeps_its_history_unlinked(tmp_path):
    _import(write_bundle(tmp_path / "one"))
    district = District.objects.get(code="ALPHA")
    _plan_imported_monday(district)
    day_close(district=district, on=MONDAY)
    without_a1 = {
        name: [line for line in FILES[name] if not line.startswith("A1,")]
        for name in (
            "aides.csv",
            "aide_qualifications.csv",
            "aide_availability.csv",
            "absences.csv",
        )
    }

    _import(write_bundle(tmp_path / "two", files=without_a1))

    assert list(
        DeliveryRecord.objects.order_by("start").values_list("aide", "aide_code", "outcome")
    ) == [(None, "A1", "delivered"), (None, "", "missed")]


# --- The command and the tasks ---------------------------------------------------------------


def test_close_day_prints_the_summary(world):
    out = StringIO()

    call_command("close_day", district="ALPHA", date="2026-11-16", stdout=out)

    assert out.getvalue().splitlines() == [
        "District ALPHA, 2026-11-16 Monday: closed: 4 record(s), 2 compensatory accrual(s) written",
        "Delivered:    180 student-minutes",
        "Missed:       75 student-minutes",
        "Unqualified:  0 student-minutes",
        "Newly due a missed-days notice: none",
    ]


@pytest.mark.parametrize(
    ("district", "date", "message"),
    [
        ("NOPE", "2026-11-16", "--district NOPE: no district with that code"),
        ("ALPHA", "16/11/2026", "--date 16/11/2026: not a date YYYY-MM-DD"),
        ("ALPHA", "2026-11-09", "week of 2026-11-09, .* run allocate first"),
    ],
)
def test_close_day_refuses_bad_arguments(world, district, date, message):
    with pytest.raises(CommandError, match=message):
        call_command("close_day", district=district, date=date, stdout=StringIO())
    assert counts() == (0, 0, 0, 0)


def test_the_day_task_closes_one_district_day(world):
    assert tasks.close_school_day.delay(world["district"].pk, "2026-11-16").get() == 4
    assert tasks.close_school_day.delay(world["district"].pk, "2026-11-16").get() == 0


def test_the_beat_task_closes_yesterday_everywhere_and_skips_a_district_without_a_plan(
    world, district_b, caplog
):
    with caplog.at_level(logging.WARNING, logger="allocations.ledger.tasks"):
        assert tasks.close_school_days.delay().get() == 2

    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        "delivery ledger not closed",
        "delivery ledger not closed",
    ]
    assert "district BETA: no current staffing plan" in caplog.text
    assert counts() == (0, 0, 0, 0)


# --- The parent portal ---------------------------------------------------------------------


def test_the_parent_sees_their_own_childs_last_four_weeks(client, student_a, parent_of_student_a):
    today = district_today(district=student_a.district)
    week = today - dt.timedelta(days=today.weekday() + 7)
    world = build_world(student_a, week=week)
    Absence.objects.create(
        district=world["district"], aide=world["med"], date=week, start=480, end=510
    )
    day_close(district=world["district"], on=week)
    client.force_login(parent_of_student_a)

    page = client.get(reverse("family:child", args=[student_a.pk]))

    assert page.status_code == 200
    assert page.context["delivered"] == FamilyLedger(
        since=today - dt.timedelta(days=27), until=today, delivered_minutes=90,
        missed_minutes=30, unqualified_minutes=0,
        rows=(FamilyMandateRow("M-1TO1", "1:1 aide (one aide for your child alone)", 90, 30, 0, 30, 0),),
    )  # fmt: skip
    text = page.content.decode()
    assert "Services delivered" in text
    assert '<td class="num">90</td>' in text
    assert "M-SHARED" not in text
    assert "M-VAC" not in text
    for other in (world["a2"], world["a3"]):
        assert client.get(reverse("family:child", args=[other.pk])).status_code == 404
