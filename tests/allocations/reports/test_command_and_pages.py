"""`shortfall_report --out`, the report pages and who may see them, and the task's wiring."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from allocations.reports.models import ShortfallReport
from allocations.reports.services import report_build
from allocations.reports.tasks import weekly_report
from tests import factories as f
from tests.allocations.conftest import WEEK

FORMATS = ("pdf", "csv", "html")


def test_the_command_writes_the_three_files(report_week, tmp_path):
    call_command(
        "shortfall_report", "--district", "ALPHA", "--week", "2026-11-23", "--out", str(tmp_path)
    )

    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv", "report.html", "report.pdf"]
    assert (tmp_path / "report.csv").read_text().splitlines() == [
        "school_code,setting,support,due_minutes,staffed_minutes,unstaffed_minutes",
        "LINCOLN,classroom,one_to_one,600,300,300",
        "LINCOLN,lunch,shared,60,60,0",
    ]
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert (pdf[:5], pdf.rstrip()[-5:]) == (b"%PDF-", b"%%EOF")
    html = (tmp_path / "report.html").read_text()
    assert "<h1>Shortfall report, week of Mon Nov 23, 2026</h1>" in html
    assert html.count('<svg role="img"') == 2
    assert ShortfallReport.objects.filter(status="ready").count() == 1


def test_the_command_refuses_a_day_that_is_not_a_monday(report_week):
    with pytest.raises(CommandError, match="not a Monday"):
        call_command("shortfall_report", "--district", "ALPHA", "--week", "2026-11-24")

    assert ShortfallReport.objects.count() == 0


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_director_reads_the_page_and_its_files(report_week, director_a):
    report = report_build(district=report_week, week_start=WEEK)
    client = _client(director_a)

    page = client.get(f"/dashboard/reports/{report.pk}/")
    files = {fmt: client.get(f"/dashboard/reports/{report.pk}/report.{fmt}") for fmt in FORMATS}

    assert page.status_code == 200
    assert (b"LINCOLN" in page.content, b"Bea Bay" in page.content) == (True, True)
    assert [files[fmt]["Content-Type"] for fmt in FORMATS] == [
        "application/pdf",
        "text/csv",
        "text/html",
    ]
    assert files["pdf"].content[:5] == b"%PDF-"
    assert files["csv"].content.decode().count("\n") == 3


def test_another_districts_staff_get_a_404_for_every_page(report_week, director_b):
    report = report_build(district=report_week, week_start=WEEK)
    client = _client(director_b)

    urls = [f"/dashboard/reports/{report.pk}/"] + [
        f"/dashboard/reports/{report.pk}/report.{fmt}" for fmt in FORMATS
    ]
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    assert b"LINCOLN" not in client.get("/dashboard/reports/").content


def test_a_parent_gets_a_404(report_week, parent_of_student_a):
    report = report_build(district=report_week, week_start=WEEK)

    assert _client(parent_of_student_a).get(f"/dashboard/reports/{report.pk}/").status_code == 404


def test_a_case_manager_of_another_school_sees_none_of_lincoln(report_week):
    other = f.SchoolFactory(district=report_week, code="OAK", name="Oak Middle")
    member = f.MembershipFactory(district=report_week, user=f.UserFactory(username="cm_oak"))
    member.schools.add(other)
    report = report_build(district=report_week, week_start=WEEK)
    client = _client(member.user)

    page = client.get(f"/dashboard/reports/{report.pk}/")
    csv = client.get(f"/dashboard/reports/{report.pk}/report.csv")

    assert page.status_code == 200
    assert (b"LINCOLN" in page.content, b"Bea Bay" in page.content) == (False, False)
    assert csv.content.decode() == (
        "school_code,setting,support,due_minutes,staffed_minutes,unstaffed_minutes\n"
    )


def test_a_case_manager_may_not_build_a_report(report_week, case_manager_a):
    response = _client(case_manager_a).post("/dashboard/reports/run/", {"week": "2026-11-23"})

    assert response.status_code == 403
    assert ShortfallReport.objects.count() == 0


def test_the_director_builds_one_on_demand(
    report_week, director_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(director_a).post("/dashboard/reports/run/", {"week": "2026-11-25"})

    assert response.status_code == 302
    report = ShortfallReport.objects.get(district=report_week)
    assert (report.week_start, report.status, report.requested_by) == (WEEK, "ready", director_a)


def test_the_weekly_task_builds_the_given_week(report_week):
    report_id = weekly_report.delay(report_week.pk, WEEK.isoformat()).get()

    assert ShortfallReport.objects.get(pk=report_id).week_start == WEEK


def test_the_dashboard_links_to_the_reports_and_they_to_the_report(report_week, director_a):
    report = report_build(district=report_week, week_start=WEEK)
    client = _client(director_a)

    dashboard = client.get(f"/dashboard/?week={WEEK.isoformat()}").content.decode()
    listing = client.get("/dashboard/reports/").content.decode()

    assert '<a class="reports" href="/dashboard/reports/">' in dashboard
    assert "Build this week's shortfall report" in dashboard
    assert f'<a href="/dashboard/reports/{report.pk}/">open</a>' in listing


def test_the_page_lists_the_least_covered_schools_rows_and_the_files_all(
    report_week, director_a, monkeypatch
):
    monkeypatch.setattr("allocations.reports.render.PAGE_SCHOOLS", 0)
    report = report_build(district=report_week, week_start=WEEK)
    client = _client(director_a)

    page = client.get(f"/dashboard/reports/{report.pk}/").content.decode()
    html = client.get(f"/dashboard/reports/{report.pk}/report.html").content.decode()

    assert "here, the 0 least covered schools" in page
    assert "<td>LINCOLN</td><td>classroom</td>" not in page
    assert "<td>LINCOLN</td><td>classroom</td>" in html
