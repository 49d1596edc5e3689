"""Each district's weekly report job in django-celery-beat, in its own time zone."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_celery_beat.models import PeriodicTask

from allocations.reports.schedule import report_schedule_get, report_schedule_set
from allocations.reports.tasks import coming_week, report_schedules
from tests import factories as f


def _task(district):
    task = PeriodicTask.objects.select_related("crontab").get(
        name=f"weekly-shortfall-report-{district.pk}"
    )
    cron = task.crontab
    return (
        task.task,
        json.loads(task.args),
        cron.day_of_week,
        cron.hour,
        cron.minute,
        str(cron.timezone),
    )


def test_every_district_gets_friday_at_four_in_its_own_time_zone(district_a, district_b):
    district_b.timezone = "America/New_York"
    district_b.save()

    assert report_schedules.delay().get() == 2

    assert _task(district_a) == (
        "allocations.weekly_report",
        [district_a.pk],
        "5",
        "16",
        "0",
        "America/Chicago",
    )
    assert _task(district_b) == (
        "allocations.weekly_report",
        [district_b.pk],
        "5",
        "16",
        "0",
        "America/New_York",
    )
    assert report_schedules.delay().get() == 0


def test_the_director_moves_the_job_and_a_new_time_zone_keeps_it(district_a, director_a):
    schedule = report_schedule_set(
        district=district_a, weekday=0, at_minutes=7 * 60 + 30, user=director_a
    )
    district_a.timezone = "America/Denver"
    district_a.save()

    assert str(schedule) == "every Monday at 07:30 (America/Chicago)"
    assert report_schedules() == 1
    assert _task(district_a)[2:] == ("1", "7", "30", "America/Denver")


def test_a_case_manager_may_not_move_it_and_nothing_changes(district_a, case_manager_a):
    with pytest.raises(PermissionDenied):
        report_schedule_set(district=district_a, weekday=0, at_minutes=480, user=case_manager_a)

    assert PeriodicTask.objects.filter(name__startswith="weekly-shortfall-report").count() == 0
    assert report_schedule_get(district=district_a).stored is False


def test_the_director_moves_it_from_the_reports_page(district_a, director_a):
    client = Client()
    client.force_login(director_a)

    response = client.post("/dashboard/reports/schedule/", {"weekday": "3", "at": "15:45"})
    page = client.get("/dashboard/reports/").content.decode()

    assert response.status_code == 302
    assert _task(district_a)[2:] == ("4", "15", "45", "America/Chicago")
    assert "Built automatically every Thursday at 15:45 (America/Chicago)" in page


def test_the_coming_week_is_the_monday_after_today(district_a, monkeypatch):
    monkeypatch.setattr(
        "allocations.reports.tasks.district_today", lambda district: dt.date(2026, 11, 27)
    )

    assert coming_week(district_a) == dt.date(2026, 11, 30)


def test_only_operators_see_the_schedules_in_the_admin(district_a, director_a):
    report_schedules()
    operator = f.UserFactory(username="operator", is_staff=True, is_superuser=True)
    director, root = Client(), Client()
    director.force_login(director_a)
    root.force_login(operator)

    url = "/admin/django_celery_beat/periodictask/"
    assert (director.get(url).status_code, root.get(url).status_code) == (403, 200)
    assert "weekly-shortfall-report-" in root.get(url).content.decode()
    assert "Periodic tasks" not in director.get("/admin/").content.decode()
