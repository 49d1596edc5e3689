"""The director's dashboard in Chromium: signed in through the form, the week's charts drawn."""

from __future__ import annotations

import pytest

from tests.allocations.conftest import WEEK
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_director_sees_the_weeks_charts_in_a_browser(page, week, director_a):
    sign_in(page, director_a)
    page.goto(f"/dashboard/?week={WEEK.isoformat()}")

    assert page.locator("h1").inner_text() == "Coverage, week of Mon Nov 23, 2026"
    by_day = page.locator("svg[aria-label='Coverage by day']")
    by_school = page.locator("svg[aria-label='Coverage by school (worst first)']")
    # Drawn with a real size on screen, not only present in the markup: a staffed and an
    # unstaffed bar for each of the five days, and for the one school.
    for chart, bars in ((by_day, 10), (by_school, 2)):
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 300
        assert chart.locator("rect").count() == bars
    assert by_day.locator("text").nth(1).text_content() == "Mon Nov 23"


def test_a_parent_is_not_shown_the_dashboard(page, week, parent_of_student_a):
    sign_in(page, parent_of_student_a)
    response = page.goto(f"/dashboard/?week={WEEK.isoformat()}")

    assert response is not None
    assert response.status in (403, 404)
    assert page.locator(".chart svg").count() == 0
