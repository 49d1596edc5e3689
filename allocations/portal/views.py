"""The parent portal's pages: read-only, and only the signed-in user's own children."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from allocations.portal.selectors import WeekRefused, child_page, portal_week
from staffing.selectors import district_today
from students.selectors import student_of_guardian, students_of_guardian


@login_required
@require_GET
def family(request: HttpRequest) -> HttpResponse:
    children = list(students_of_guardian(user=request.user))
    return render(request, "portal/family.html", {"children": children})


@login_required
@require_GET
def child(request: HttpRequest, student_id: int) -> HttpResponse:
    # The student is resolved before the week is read, so that a refused week never tells
    # whether someone else's child exists.
    student = student_of_guardian(user=request.user, student_id=student_id)
    if student is None:
        raise Http404("No such student")
    today = district_today(district=student.district)
    try:
        week_start = portal_week(today=today, text=request.GET.get("week"))
    except WeekRefused as refused:
        context = {"student": student, "refused": str(refused)}
        return render(request, "portal/week_refused.html", context, status=400)
    page = child_page(
        district=student.district, student=student, today=today, week_start=week_start
    )
    return render(
        request,
        "portal/child.html",
        {
            "student": student,
            "today": page.today,
            "schedule": page.schedule,
            "weeks": page.weeks,
            "previous_week": page.previous_week,
            "next_week": page.next_week,
            "delivered": page.delivered,
        },
    )
