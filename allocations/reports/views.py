"""The report pages: the district's reports, one report (HTML, CSV, PDF) and building one on
demand. Staff of the district only; a case manager limited to schools or a caseload sees only
those; another district's report is a 404, as is a missing one."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from allocations.access.models import StudentAccess
from allocations.access.services import student_ids_read
from allocations.reports import selectors
from allocations.reports.models import ShortfallReport
from allocations.reports.pdf import report_pdf
from allocations.reports.render import page_context, report_csv, report_html, view_of
from allocations.reports.schedule import WEEKDAYS, report_schedule_get, report_schedule_set
from allocations.reports.scoped import reader_of
from allocations.reports.services import ReportError, report_request
from staffing.tenancy import DIRECTOR, Scope, resolve_scope
from staffing.timeofday import parse_hhmm, week_start_of


def _scope(request: HttpRequest) -> Scope:
    scope = resolve_scope(request)
    if scope is None or scope.district is None:
        raise Http404("No district")
    return scope


def _report(scope: Scope, report_id: int) -> ShortfallReport:
    report = selectors.report_get(district=scope.district, report_id=report_id)  # type: ignore[arg-type]
    if report is None:
        raise Http404("No such report")
    return report


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    return render(
        request,
        "reports/list.html",
        {
            "district": scope.district,
            "reports": selectors.reports_recent(district=scope.district),  # type: ignore[arg-type]
            "may_build": scope.role == DIRECTOR,
            "schedule": report_schedule_get(district=scope.district),  # type: ignore[arg-type]
            "weekdays": list(enumerate(WEEKDAYS)),
        },
    )


@login_required
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    scope = _scope(request)
    report = _report(scope, report_id)
    if report.status != ShortfallReport.Status.READY:
        return render(request, "reports/failed.html", {"report": report})
    context = page_context(report, reader_of(scope, report.content), links=True)
    student_ids_read(
        district=scope.district,  # type: ignore[arg-type]
        user=request.user,
        student_ids=[s["id"] for s in context["r"].students],
        what=f"shortfall report of the week of {report.week_start.isoformat()}",
        door=StudentAccess.Door.REPORT,
    )
    return render(request, "reports/report.html", context)


@login_required
def report_file(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    scope = _scope(request)
    report = _report(scope, report_id)
    if report.status != ShortfallReport.Status.READY or fmt not in ("csv", "pdf", "html"):
        raise Http404("No such file")
    reader = reader_of(scope, report.content)
    name = f"shortfall-{report.week_start.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(report_csv(view_of(report, reader)), content_type="text/csv")
    elif fmt == "pdf":
        body = report_pdf(view_of(report, reader), built=f"{report.built_at:%Y-%m-%d %H:%M} UTC")
        response = HttpResponse(body, content_type="application/pdf")
    else:
        response = HttpResponse(report_html(report, reader), content_type="text/html")
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    if fmt != "csv":  # report.csv has a row per school and support, and names no student
        student_ids_read(
            district=scope.district,  # type: ignore[arg-type]
            user=request.user,
            student_ids=[s["id"] for s in view_of(report, reader).students],
            what=f"{name}.{fmt}",
            door=StudentAccess.Door.EXPORT,
        )
    return response


@login_required
@require_POST
def report_run(request: HttpRequest) -> HttpResponse:
    """A director asks for the week's report now (built by a worker)."""
    scope = _scope(request)
    try:
        week_start = week_start_of(dt.date.fromisoformat(request.POST.get("week", "")))
    except ValueError:
        raise Http404("Not a week") from None
    try:
        report_request(district=scope.district, week_start=week_start, user=request.user)  # type: ignore[arg-type]
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, f"The report of the week of {week_start:%b %d} is being built.")
    return redirect(reverse("allocations:report_list"))


@login_required
@require_POST
def report_schedule(request: HttpRequest) -> HttpResponse:
    """A director moves the district's weekly report job."""
    scope = _scope(request)
    try:
        weekday = int(request.POST.get("weekday", ""))
        at_minutes = parse_hhmm(request.POST.get("at", ""))
        schedule = report_schedule_set(
            district=scope.district,  # type: ignore[arg-type]
            weekday=weekday,
            at_minutes=at_minutes,
            user=request.user,
        )
    except (ValueError, ValidationError) as exc:
        messages.error(request, f"Not moved: {exc}")
    else:
        messages.info(request, f"The weekly report now runs {schedule}.")
    return redirect(reverse("allocations:report_list"))
