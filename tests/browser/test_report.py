"""The weekly shortfall report in Chromium: from the dashboard to the report page, its charts
drawn at 1280 px, and its PDF link."""

from __future__ import annotations

import pytest

from allocations.reports.services import report_build
from tests.allocations.conftest import WEEK
from tests.allocations.reports.conftest import report_week  # noqa: F401
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_director_goes_from_the_dashboard_to_the_report_and_its_pdf(page, report_week, director_a):  # noqa: F811
    report_build(district=report_week, week_start=WEEK)
    sign_in(page, director_a)
    page.goto(f"/dashboard/?week={WEEK.isoformat()}")

    page.click("a.reports")
    page.click("text=open")

    assert page.locator("h1").inner_text() == "Shortfall report, week of Mon Nov 23, 2026"
    heat = page.locator("svg[aria-label='Coverage by school and day (worst covered first)']")
    trend = page.locator(
        "svg[aria-label='Last eight weeks: planned coverage and delivered service']"
    )
    heat_box, trend_box = heat.bounding_box(), trend.bounding_box()
    assert heat_box is not None
    assert trend_box is not None
    assert (heat_box["width"] > 500, trend_box["width"] > 500) == (True, True)
    # One school by five days; the trend's one planned week is a point, its legend two keys.
    assert heat.locator("rect").count() == 5
    assert heat.locator("text").nth(1).text_content() == "Mon Nov 23"
    assert (trend.locator("circle").count(), trend.locator("rect").count()) == (1, 2)
    # Labels stay readable: drawn at 12 px or more on a 1280 px screen.
    sizes = heat.locator("text").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a)"
    )
    assert min(sizes) >= 12

    href = page.locator("a.pdf").get_attribute("href")
    response = page.request.get(href)
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    assert response.body()[:5] == b"%PDF-"


def test_another_districts_director_gets_no_report(page, report_week, director_b):  # noqa: F811
    report = report_build(district=report_week, week_start=WEEK)
    sign_in(page, director_b)

    response = page.goto(f"/dashboard/reports/{report.pk}/")

    assert response is not None
    assert response.status == 404
    assert page.locator("svg").count() == 0
