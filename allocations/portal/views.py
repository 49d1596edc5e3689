"""The parent portal's pages: read-only, and only the signed-in user's own children. Every page
that shows a child's records writes the record of access (door "portal", the files "export")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from allocations.access.models import StudentAccess
from allocations.access.selectors import student_access_for_parent
from allocations.access.services import student_records_read
from allocations.portal.record import (
    RangeRefused,
    record_csv,
    record_default_range,
    record_pdf,
    record_range,
    service_record,
)
from allocations.portal.selectors import WeekRefused, child_page, portal_week
from allocations.portal.words import DOOR_NAMES, ROLE_NAMES, label
from staffing.selectors import district_today
from students.models import Student
from students.selectors import student_of_guardian, students_of_guardian

PORTAL = StudentAccess.Door.PORTAL
EXPORT = StudentAccess.Door.EXPORT


def _who(role: str, name: str) -> str:
    """ "Case manager: Carla Diaz", or the role alone when no name was recorded (an account
    without one, another parent)."""
    role_name = label(ROLE_NAMES, role)
    return f"{role_name}: {name}" if name else role_name


def _own_child(request: HttpRequest, student_id: int) -> Student:
    student = student_of_guardian(user=request.user, student_id=student_id)
    if student is None:
        raise Http404("No such student")
    return student


@login_required
@require_GET
def family(request: HttpRequest) -> HttpResponse:
    children = list(students_of_guardian(user=request.user))
    for district in {c.district for c in children}:
        student_records_read(
            district=district,
            user=request.user,
            students=[c for c in children if c.district_id == district.pk],
            what="family page",
            door=PORTAL,
        )
    return render(request, "portal/family.html", {"children": children})


@login_required
@require_GET
def child(request: HttpRequest, student_id: int) -> HttpResponse:
    # The student is resolved before the week is read, so that a refused week never tells
    # whether someone else's child exists.
    student = _own_child(request, student_id)
    district = student.district
    today = district_today(district=district)
    try:
        week_start = portal_week(today=today, text=request.GET.get("week"))
    except WeekRefused as refused:
        context = {"student": student, "refused": str(refused)}
        return render(request, "portal/week_refused.html", context, status=400)
    page = child_page(district=district, student=student, today=today, week_start=week_start)
    student_records_read(
        district=district, user=request.user, students=[student], what="child page", door=PORTAL
    )
    access = [
        {
            "at": line.at,
            "who": _who(line.role, line.name),
            "door": label(DOOR_NAMES, line.door),
        }
        for line in student_access_for_parent(
            district=district, student=student, viewer=request.user
        )
    ]
    return render(
        request,
        "portal/child.html",
        {
            "student": student,
            "page": page,
            "today": page.today,
            "weeks": page.weeks,
            "previous_week": page.previous_week,
            "next_week": page.next_week,
            "delivered": page.delivered,
            "access": access,
            "record": record_default_range(today=today),
        },
    )


@login_required
@require_GET
def record(request: HttpRequest, student_id: int, fmt: str) -> HttpResponse:
    """The child's service record of `?since=&until=` (YYYY-MM-DD) as `record.csv` or
    `record.pdf`; a range that cannot be made is a 400 page saying why."""
    student = _own_child(request, student_id)
    if fmt not in ("csv", "pdf"):
        raise Http404("No such file")
    district = student.district
    today = district_today(district=district)
    try:
        dates = record_range(
            today=today, since=request.GET.get("since"), until=request.GET.get("until")
        )
    except RangeRefused as refused:
        context = {"student": student, "refused": str(refused)}
        return render(request, "portal/record_refused.html", context, status=400)
    rows = service_record(district=district, student=student, record=dates)
    student_records_read(
        district=district,
        user=request.user,
        students=[student],
        what=f"service record {fmt.upper()} {dates.since.isoformat()} to {dates.until.isoformat()}",
        door=EXPORT,
    )
    name = f"service-record-{student.code}-{dates.since.isoformat()}-{dates.until.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(record_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        body = record_pdf(student=student, record=dates, rows=rows, made_on=today)
        response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
