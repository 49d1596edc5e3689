"""The home page: leads each role to its work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import F, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from staffing.models import Aide, School
from staffing.tenancy import membership_for, student_scope
from students.models import Guardian, MandateBlock, Student

CASELOAD_SHOWN = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request.user)
    if membership is None:
        children = Guardian.objects.filter(user_id=int(request.user.pk or 0)).exists()
        if children:
            return redirect("portal:family")
        return render(request, "home.html", {"membership": None, "children": False})
    district = membership.district
    scope = student_scope(membership, "")
    students = Student.objects.filter(district=district, mandates__isnull=False).distinct()
    blocks = MandateBlock.objects.filter(district=district)
    if scope is not None:
        students = students.filter(scope)
        blocks = blocks.filter(mandate__student__in=students)
    weekly = blocks.aggregate(m=Sum(F("end") - F("start")))["m"] or 0
    caseload = list(students.select_related("school").order_by("last_name", "first_name")[
        : CASELOAD_SHOWN + 1
    ])  # fmt: skip
    total = students.count()
    return render(
        request,
        "home.html",
        {
            "membership": membership,
            "scoped": scope is not None,
            "summary": {
                "schools": School.objects.filter(district=district).count(),
                "students": total,
                "aides": Aide.objects.filter(district=district).count(),
                "weekly_minutes": f"{weekly:,}",
            },
            "caseload": caseload[:CASELOAD_SHOWN],
            "caseload_more": max(0, total - CASELOAD_SHOWN),
        },
    )
