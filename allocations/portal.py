"""The parent portal's week page: who staffs a child's mandated blocks this week, read-only.

The portal's other pages are in `students`; this one lives here because it shows the plan
(allocations depend on students, never the reverse)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from allocations.selectors import week_for_student
from staffing.selectors import district_today
from staffing.timeofday import week_start_of
from students.models import MandateBlock, Student
from students.selectors import student_of_guardian


def _this_week(student: Student) -> dt.date:
    """The school week a parent cares about now: this one, or the coming one at the weekend."""
    today = district_today(district=student.district)
    if today.weekday() >= 5:
        today += dt.timedelta(days=7 - today.weekday())
    return week_start_of(today)


@login_required
@require_GET
def child(request: HttpRequest, student_id: int) -> HttpResponse:
    student = student_of_guardian(user=request.user, student_id=student_id)
    if student is None:
        raise Http404("No such student")
    week_start = _this_week(student)
    if request.GET.get("week"):
        try:
            day = dt.date.fromisoformat(request.GET["week"])
        except ValueError:
            raise Http404("Not a week") from None
        week_start = week_start_of(day)
    blocks = (
        MandateBlock.objects.filter(district=student.district, mandate__student=student)
        .select_related("mandate")
        .order_by("weekday", "start")
    )
    by_mandate: dict[object, list[MandateBlock]] = defaultdict(list)
    for block in blocks:
        by_mandate[block.mandate].append(block)
    return render(
        request,
        "portal/child.html",
        {
            "student": student,
            "mandates": list(by_mandate.items()),
            "week_start": week_start,
            "week": week_for_student(
                district=student.district, student=student, week_start=week_start
            ),
        },
    )
