"""The home page: signs people in (via `LOGIN_URL`) and leads each role to its work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from staffing.models import District, Membership
from staffing.selectors import district_staffing_counts, district_today
from staffing.tenancy import resolve_scope
from students import selectors as student_selectors
from students.models import Guardian, Student

CASELOAD_SHOWN = 50


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scope = resolve_scope(request)
    is_parent = Guardian.objects.filter(user_id=int(request.user.pk or 0)).exists()
    if scope is None:
        if is_parent:
            return redirect("family:index")
        several = Membership.objects.filter(user_id=int(request.user.pk or 0)).count() > 1
        return render(request, "home.html", {"role": "none", "several_districts": several})
    if scope.district is None:
        return render(
            request, "home.html", {"role": "operator", "districts": District.objects.count()}
        )
    district = scope.district
    today = district_today(district=district)
    students = scope.filter(Student.objects.all(), student_path="")
    figures = student_selectors.mandate_figures(district=district, students=students, on=today)
    context: dict[str, object] = {
        "district": district,
        "is_parent": is_parent,
        "today": today,
        "figures": figures,
        "weekly_minutes": f"{figures.weekly_minutes:,}",
        "weekly_hours": f"{figures.weekly_minutes / 60:,.0f}",
    }
    if scope.role == Membership.Role.DIRECTOR:
        context |= {"role": "director", "staffing": district_staffing_counts(district=district)}
        return render(request, "home.html", context)
    total = students.count()
    context |= {
        "role": "case_manager",
        "scoped": scope.limits_students,
        "caseload": student_selectors.student_list_with_figures(
            district=district, students=students, on=today, limit=CASELOAD_SHOWN
        ),
        "caseload_total": total,
        "caseload_more": max(0, total - CASELOAD_SHOWN),
    }
    return render(request, "home.html", context)
