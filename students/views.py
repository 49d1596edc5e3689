"""The parent portal: read-only, and only the signed-in user's own children.

The portal's scope is the user's guardian rows, each carrying its district: a student reached
any other way is a 404, exactly like an id that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from staffing.selectors import district_today
from students import ledger, selectors


@login_required
@require_GET
def family(request: HttpRequest) -> HttpResponse:
    children = list(selectors.students_of_guardian(user=request.user))
    return render(request, "students/family.html", {"children": children})


@login_required
@require_GET
def child(request: HttpRequest, student_id: int) -> HttpResponse:
    student = selectors.student_of_guardian(user=request.user, student_id=student_id)
    if student is None:
        raise Http404("No such student")
    today = district_today(district=student.district)
    schedule = selectors.student_schedule(district=student.district, student=student, on=today)
    delivered = ledger.family_ledger(student=student, today=today)
    return render(
        request,
        "students/child.html",
        {"student": student, "schedule": schedule, "today": today, "delivered": delivered},
    )
