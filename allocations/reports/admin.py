"""django-celery-beat's schedules in the admin, for operators only: its tables are not
tenant-owned (every district's weekly report job is a row of them), so no district's staff may
see them; directors move their own district's job from the reports page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_celery_beat import admin as beat_admin
from django_celery_beat import models as beat


class OperatorsOnly:
    """Every permission is the operator's (a superuser); nobody else is asked for theirs. No
    date drill-down: Django's fails on the year 9999, which the tenant admins guard against."""

    date_hierarchy = None

    def _operator(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._operator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._operator(request)


for model, base in (
    (beat.PeriodicTask, beat_admin.PeriodicTaskAdmin),
    (beat.CrontabSchedule, beat_admin.CrontabScheduleAdmin),
    (beat.IntervalSchedule, beat_admin.IntervalScheduleAdmin),
    (beat.SolarSchedule, beat_admin.SolarScheduleAdmin),
    (beat.ClockedSchedule, beat_admin.ClockedScheduleAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, type(f"Operator{base.__name__}", (OperatorsOnly, base), {}))
