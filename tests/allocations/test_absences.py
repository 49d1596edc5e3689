"""Recording an absence re-plans the school-days it touches, alerts follow, people are told,
and every refused path leaves nothing behind."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from allocations import tasks
from allocations.absences import absence_record, absence_replan
from allocations.alerts import alerts_sync
from allocations.ledger.days import day_close
from allocations.ledger.models import DeliveryRecord
from allocations.models import Alert, AllocationRun, Assignment, PlanRepair
from staffing.models import Absence, Aide
from tests import factories as f

from .conftest import TUESDAY, aide, plan


def test_record_absence_hands_the_day_to_a_qualified_substitute(week, capsys):
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-1", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-1", "M-MED", 540, 600),
    ]
    others = set(Assignment.objects.exclude(date=TUESDAY).values_list("pk", flat=True))

    call_command(
        "record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date", "2026-11-24",
        "--reason", "flu",
    )  # fmt: skip

    out = capsys.readouterr().out
    assert "Recorded: AIDE-1 absent 2026-11-24 all day (flu)" in out
    assert "09:00-10:00 Ava Alpha (STU-A) M-MED classroom" in out
    assert "AIDE-1 -> AIDE-2" in out
    assert "Still unstaffed (0):" in out
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
    # Nothing moved on the other days: the very same rows.
    assert set(Assignment.objects.exclude(date=TUESDAY).values_list("pk", flat=True)) == others
    repair = PlanRepair.objects.get()
    assert (repair.covered_before, repair.covered_after, repair.moved_minutes) == (120, 120, 0)
    run = AllocationRun.objects.get(is_current=True)
    assert (run.covered_minutes, run.due_minutes) == (360, 360)
    assert run.aide_minutes == {str(a): m for a, m in run.aide_minutes.items()}
    assert sorted(run.aide_minutes.values()) == [120, 240]
    assert Alert.objects.count() == 0


def test_gap_raises_one_critical_alert_mails_at_once_and_closes_itself(
    week, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("record_absence", "--district", "ALPHA", "--aide", "AIDE-1",
                     "--date", "2026-11-24", stdout=None)  # fmt: skip
        call_command("record_absence", "--district", "ALPHA", "--aide", "AIDE-2",
                     "--date", "2026-11-24", "--start", "09:00", "--end", "10:30")  # fmt: skip

    alerts = list(Alert.objects.order_by("rank"))
    assert [(a.severity, a.cause, a.minutes, a.status, a.date) for a in alerts] == [
        ("critical", "aide_absent", 60, "open", TUESDAY),
        ("normal", "aide_absent", 30, "open", TUESDAY),
    ]
    critical = alerts[0]
    assert critical.title == (
        "Ava Alpha (STU-A): 60 min of classroom support unstaffed on Tue 24 Nov - aide absent"
    )
    assert critical.suggestions == []  # both qualified aides are out
    assert sorted(m.to[0] for m in mail.outbox) == [
        "cm_lincoln@example.org",
        "director_a@example.org",
    ]
    assert all(m.subject.startswith("[Critical] Ava Alpha (STU-A)") for m in mail.outbox)

    # The same gap seen again: the alert is updated, never doubled, nobody mailed twice.
    run = AllocationRun.objects.get(is_current=True)
    with django_capture_on_commit_callbacks(execute=True):
        counts = alerts_sync(district=week, run=run)
    assert (counts.opened, counts.resolved) == (0, 0)
    assert Alert.objects.count() == 2
    assert len(mail.outbox) == 2

    # AIDE-2 is back: the gap is filled and the alerts close themselves.
    Absence.objects.filter(aide__code="AIDE-2").delete()
    back = Aide.objects.get(code="AIDE-2")
    replan = absence_replan(district=week, aide_id=back.pk, on=TUESDAY, trigger="test")
    assert replan.repair is not None
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
    assert list(Alert.objects.values_list("status", "resolved_by")) == [
        ("resolved", None),
        ("resolved", None),
    ]


def test_alerts_csv_lists_the_weeks_alerts_with_status(week, tmp_path):
    call_command(
        "record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date", "2026-11-24"
    )
    call_command(
        "record_absence", "--district", "ALPHA", "--aide", "AIDE-2", "--date", "2026-11-24"
    )
    call_command(
        "export_allocation", "--district", "ALPHA", "--week", "2026-11-23", "--out", str(tmp_path)
    )
    with (tmp_path / "alerts.csv").open() as fh:
        rows = list(csv.reader(fh))
    assert rows == [
        ["date", "school_code", "student_code", "mandate_code", "severity", "cause",
         "unstaffed_minutes", "status"],
        ["2026-11-24", "LINCOLN", "STU-A", "M-MED", "critical", "aide_absent", "60", "open"],
        ["2026-11-24", "LINCOLN", "STU-A2", "M-GRP", "normal", "aide_absent", "60", "open"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--aide", "AIDE-B"], "--aide AIDE-B: no such aide in district ALPHA"),
        (
            ["--aide", "AIDE-1", "--start", "09:00"],
            "--start 09:00 and --end: give both for part of a day, or neither",
        ),
        (
            ["--aide", "AIDE-1", "--start", "10:00", "--end", "09:00"],
            "--start 10:00 and --end 09:00: the end is not after the start",
        ),
        (
            ["--aide", "AIDE-1", "--start", "09:10", "--end", "10:00"],
            "--start: '09:10' is not on the 15-minute grid",
        ),
        (["--aide", "AIDE-1", "--start", "9h", "--end", "10:00"], "--start: '9h' is not a time"),
        (
            ["--aide", "AIDE-1", "--reason", "x" * 201],
            "--reason: at most 200 characters, not 201",
        ),
    ],
)
def test_refused_absences_write_nothing(week, district_b, school_b, extra, message):
    aide(district_b, school_b, "AIDE-B", "20.00")
    before = (Absence.objects.count(), PlanRepair.objects.count(), plan(week))
    with pytest.raises(CommandError, match=message):
        call_command("record_absence", "--district", "ALPHA", "--date", "2026-11-24", *extra)
    assert (Absence.objects.count(), PlanRepair.objects.count(), plan(week)) == before


def test_an_overlapping_absence_is_refused(week):
    call_command("record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date",
                 "2026-11-24", "--start", "09:00", "--end", "10:00")  # fmt: skip
    before = (Absence.objects.count(), PlanRepair.objects.count(), plan(week))
    with pytest.raises(CommandError, match="already absent on 2026-11-24 09:00-10:00"):
        call_command("record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date",
                     "2026-11-24", "--start", "09:45", "--end", "11:00")  # fmt: skip
    assert (Absence.objects.count(), PlanRepair.objects.count(), plan(week)) == before
    # Touching is not overlapping.
    call_command("record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date",
                 "2026-11-24", "--start", "10:00", "--end", "11:00")  # fmt: skip
    assert Absence.objects.count() == 2


def test_an_absence_in_a_week_without_a_plan_is_recorded_and_says_so(week, capsys):
    call_command(
        "record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date", "2026-12-01"
    )
    assert (
        "No re-plan: no plan for the week of 2026-11-30 yet: run allocate."
        in capsys.readouterr().out
    )
    assert Absence.objects.filter(date="2026-12-01").count() == 1


def test_the_ledger_records_the_alerts_cause_for_missed_minutes(week):
    call_command(
        "record_absence", "--district", "ALPHA", "--aide", "AIDE-1", "--date", "2026-11-24"
    )
    call_command(
        "record_absence", "--district", "ALPHA", "--aide", "AIDE-2", "--date", "2026-11-24"
    )
    summary = day_close(district=week, on=TUESDAY)
    assert (summary.delivered_minutes, summary.missed_minutes) == (0, 120)
    assert sorted(
        DeliveryRecord.objects.values_list("mandate_code", "outcome", "cause", "start", "end")
    ) == [
        ("M-GRP", "missed", "aide_absent", 600, 660),
        ("M-MED", "missed", "aide_absent", 540, 600),
    ]


def test_a_case_manager_with_the_student_in_caseload_is_mailed_too(
    week, student_a, django_capture_on_commit_callbacks
):
    keeper = f.MembershipFactory(district=week, user=f.UserFactory(username="cm_caseload"))
    student_a.case_managers.add(keeper)
    with django_capture_on_commit_callbacks(execute=True):
        for code in ("AIDE-1", "AIDE-2"):
            call_command(
                "record_absence", "--district", "ALPHA", "--aide", code, "--date", "2026-11-24"
            )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "cm_caseload@example.org",
        "cm_lincoln@example.org",
        "director_a@example.org",
    ]


def test_the_replan_absence_task_re_plans_the_day_and_returns_the_repair(week):
    sick = absence_record(district=week, aide_code="AIDE-1", on=TUESDAY, reason="flu")

    repair_id = tasks.replan_absence.delay(week.pk, sick.aide_id, "2026-11-24", "sick call").get()

    repair = PlanRepair.objects.get()
    assert (repair_id, repair.trigger, repair.date, repair.aide_id) == (
        repair.pk,
        "sick call",
        TUESDAY,
        sick.aide_id,
    )
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]


def test_the_replan_absence_task_answers_none_for_a_week_without_a_plan(week):
    sick = absence_record(district=week, aide_code="AIDE-1", on=dt.date(2026, 12, 1))

    assert (
        tasks.replan_absence.delay(week.pk, sick.aide_id, "2026-12-01", "sick call").get() is None
    )
    assert PlanRepair.objects.count() == 0
