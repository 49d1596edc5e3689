"""Building, storing and replacing a week's report; what it holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from allocations.models import Alert, AllocationRun
from allocations.reports.models import ShortfallReport
from allocations.reports.render import report_csv, view_of
from allocations.reports.scoped import Reader
from allocations.reports.services import ReportError, report_build
from staffing.models import Notification
from tests.allocations.conftest import WEEK


def test_the_report_holds_the_weeks_figures(report_week):
    report = report_build(district=report_week, week_start=WEEK)
    view = view_of(report, Reader())

    assert (report.status, report.builds, report.error) == ("ready", 1, "")
    assert view.rows == [
        ["LINCOLN", "classroom", "one_to_one", 600, 300, 300],
        ["LINCOLN", "lunch", "shared", 60, 60, 0],
    ]
    assert (view.total.due, view.total.staffed, view.total.unstaffed) == (660, 360, 300)
    assert (view.safety.due, view.safety.staffed, view.safety.unstaffed) == (600, 300, 300)
    assert [(m.label, m.due, m.staffed) for m in view.supports] == [
        ("one_to_one", 600, 300),
        ("shared", 60, 60),
    ]
    assert [(v, m) for v, _, m in view.causes] == [("vacancy", 300)]
    assert [(s["code"], s["minutes"], s["cause"], s["cover"]) for s in view.students] == [
        ("STU-A3", 300, "vacancy", None)
    ]
    assert [c.label for c in view.heat[0][1]] == [
        (WEEK + dt.timedelta(days=n)).isoformat() for n in range(5)
    ]
    assert [(c.due, c.staffed) for c in view.heat[0][1]] == [
        (120, 60), (180, 120), (120, 60), (120, 60), (120, 60)
    ]  # fmt: skip
    (need,) = view.hiring["needs"]
    assert (need["school_code"], need["qualifications"], need["options"]) == (
        "LINCOLN",
        ["BEHAVIOR"],
        [[1, 300], [2, 300], [3, 300]],
    )
    assert need["sentences"][0] == (
        "1 more aide with BEHAVIOR at LINCOLN, 07:30-15:00, would cover 300 of the 300 "
        "unstaffed minutes"
    )
    run = AllocationRun.objects.get(district=report_week, is_current=True)
    assert (view.cost, view.contract_minutes) == (str(run.cost), 0)
    assert view.trend[-1] | {"week_start": None} == {
        "week_start": None, "planned": True, "due": 660, "staffed": 360,
        "coverage": 360 / 660, "delivered": 0, "missed": 0, "delivery": None,
    }  # fmt: skip
    assert view.trend[0]["week_start"] == WEEK - dt.timedelta(weeks=7)
    assert report_csv(view) == (
        "school_code,setting,support,due_minutes,staffed_minutes,unstaffed_minutes\n"
        "LINCOLN,classroom,one_to_one,600,300,300\n"
        "LINCOLN,lunch,shared,60,60,0\n"
    )


def test_a_rebuild_replaces_the_report_in_place(report_week):
    first = report_build(district=report_week, week_start=WEEK)
    second = report_build(district=report_week, week_start=WEEK)

    assert ShortfallReport.objects.filter(district=report_week).count() == 1
    assert (second.pk, second.builds, second.content) == (first.pk, 2, first.content)


def test_a_week_without_a_plan_is_allocated_first(report_week):
    week = WEEK + dt.timedelta(days=7)

    report = report_build(district=report_week, week_start=week)

    run = AllocationRun.objects.get(district=report_week, week_start=week, is_current=True)
    assert (report.status, report.run_id, view_of(report, Reader()).total.due) == (
        "ready",
        run.pk,
        660,
    )


def test_a_failed_build_leaves_a_failed_row_until_a_build_succeeds(report_week):
    week = WEEK + dt.timedelta(days=7)

    with pytest.raises(ReportError):
        report_build(district=report_week, week_start=week, allocate_if_missing=False)

    failed = ShortfallReport.objects.get(district=report_week, week_start=week)
    assert (failed.status, failed.content, failed.error) == (
        "failed",
        {},
        "ReportError: No plan of ALPHA for the week of 2026-11-30: allocate the week first",
    )
    report = report_build(district=report_week, week_start=week)
    assert (report.pk, report.status, report.error, report.builds) == (failed.pk, "ready", "", 2)


def test_a_week_that_is_not_a_monday_is_refused_and_nothing_stored(report_week):
    with pytest.raises(ReportError, match="2026-11-24 is not a Monday"):
        report_build(district=report_week, week_start=WEEK + dt.timedelta(days=1))

    assert ShortfallReport.objects.count() == 0


def _suggest(district, *free_minutes):
    Alert.objects.filter(district=district, student__code="STU-A3").update(
        suggestions=[
            {"aide": f"AIDE-{n}", "name": f"Aide {n}", "free_minutes": m, "why": "why"}
            for n, m in enumerate(free_minutes, start=1)
        ]
    )


def test_a_cover_free_for_none_of_the_gap_is_not_a_suggestion(report_week):
    _suggest(report_week, 0)
    alone = view_of(report_build(district=report_week, week_start=WEEK), Reader())
    _suggest(report_week, 0, 30)
    second = view_of(report_build(district=report_week, week_start=WEEK), Reader())

    assert alone.students[0]["cover"] is None
    assert second.students[0]["cover"] == {
        "aide": "AIDE-2",
        "name": "Aide 2",
        "free_minutes": 30,
        "why": "why",
    }


def test_the_directors_are_mailed_the_pdf_and_csv_once_per_set_of_figures(
    report_week, director_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_build(district=report_week, week_start=WEEK)
    with django_capture_on_commit_callbacks(execute=True):
        report_build(district=report_week, week_start=WEEK)

    (note,) = Notification.objects.filter(district=report_week, key__startswith="shortfall-report:")
    assert (note.user, note.urgent, note.sent_at is not None) == (director_a, True, True)
    (email,) = mail.outbox
    assert (email.to, email.subject) == (
        ["director_a@example.org"],
        "Shortfall report, week of Nov 23: 300 minutes unstaffed",
    )
    assert "Safety tier: 50.0% staffed; 300 minutes unstaffed." in email.body
    (pdf_name, pdf, pdf_type), (csv_name, csv, csv_type) = email.attachments
    assert (pdf_name, pdf_type, pdf[:5]) == ("report.pdf", "application/pdf", b"%PDF-")
    assert (csv_name, csv_type) == ("report.csv", "text/csv")
    assert csv.splitlines()[1] == "LINCOLN,classroom,one_to_one,600,300,300"
