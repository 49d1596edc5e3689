"""The director's dashboard: the week's coverage at a glance, and starting a new run (the
director's act alone: it replaces the week's plan)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from allocations import charts, selectors
from allocations.access.models import StudentAccess
from allocations.access.services import student_ids_read
from allocations.models import AllocationRun
from allocations.portal.selectors import WeekRefused, portal_week
from allocations.services import allocation_run_queue
from staffing.models import District
from staffing.selectors import district_today
from staffing.tenancy import DIRECTOR, resolve_scope
from staffing.timeofday import week_start_of


def _staff_district(request: HttpRequest) -> District:
    """The district of the signed-in director or case manager; anyone else gets a 404."""
    scope = resolve_scope(request)
    if scope is None or scope.district is None:
        raise Http404("No district")
    district: District = scope.district
    return district


def _week(text: str | None, district: District) -> dt.date:
    """The Monday of `?week=` (within two years of today, as the portal allows), or of the
    newest week planned. Raises WeekRefused, which says which weeks can be shown."""
    if text:
        return portal_week(today=district_today(district=district), text=text)
    latest = (
        AllocationRun.objects.filter(district=district, is_current=True)
        .order_by("-week_start")
        .values_list("week_start", flat=True)
        .first()
    )
    if latest is not None:
        return latest
    return week_start_of(district_today(district=district))


def _week_refused(request: HttpRequest, district: District, refused: WeekRefused) -> HttpResponse:
    context = {"district": district, "refused": str(refused)}
    return render(request, "allocations/week_refused.html", context, status=400)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _headline(run: AllocationRun) -> list[tuple[str, str]]:
    gap = run.bound_minutes - run.covered_minutes
    return [
        (
            _percent(run.coverage),
            f"of {run.due_minutes:,} mandated student-minutes staffed "
            f"({run.due_minutes - run.covered_minutes:,} unstaffed)",
        ),
        (
            _percent(run.safety_coverage),
            f"of {run.safety_due_minutes:,} safety-tier minutes staffed "
            "(1:1, medical, personal care)",
        ),
        (
            _percent(run.gap_to_bound),
            f"below the most any plan could staff: {gap:,} of {run.bound_minutes:,} "
            f"minutes ({run.bound_kind})",
        ),
        (
            f"{run.aides_per_mandate_week:.2f}",
            "aides per student service in the week (1.00 = the same aide all week)",
        ),
    ]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    district = _staff_district(request)
    try:
        week_start = _week(request.GET.get("week"), district)
    except WeekRefused as refused:
        return _week_refused(request, district, refused)
    run = selectors.run_current(district=district, week_start=week_start)
    scope = resolve_scope(request)
    students = scope.students_q("student") if scope is not None else Q(pk__in=[])
    alerts = selectors.alerts_open(district=district, week_start=week_start, students=students)
    context: dict[str, object] = {
        "district": district,
        "week_start": week_start,
        "previous_week": week_start - dt.timedelta(days=7),
        "next_week": week_start + dt.timedelta(days=7),
        "run": run,
        "runs": selectors.runs_recent(district=district),
        "alerts": alerts,
        "alert_counts": selectors.alert_counts(
            district=district, week_start=week_start, students=students
        ),
        "repairs": selectors.repairs_recent(district=district, week_start=week_start),
        "may_run": scope is not None and scope.role == DIRECTOR,
        "running": AllocationRun.objects.filter(
            district=district, status__in=AllocationRun.IN_FLIGHT
        ).first(),
    }
    if run is not None:
        context["headline"] = _headline(run)
        schools = selectors.coverage_by_school(district=district, run=run)
        context |= {
            "school_chart": charts.coverage_bars(
                schools[:25], title="Coverage by school (worst first)"
            ),
            "schools_shown": min(len(schools), 25),
            "schools_total": len(schools),
            "day_chart": charts.coverage_bars(
                selectors.coverage_by_day(district=district, run=run), title="Coverage by day"
            ),
            "reason_chart": charts.share_bars(
                selectors.unstaffed_by_reason(district=district, run=run),
                title="Why minutes are unstaffed",
            ),
            "cause_chart": charts.share_bars(
                selectors.alert_minutes_by_cause(
                    district=district, week_start=week_start, students=students
                ),
                title="Open alerts: unstaffed minutes by cause",
            ),
        }
    # The open alerts name students: the dashboard is one of the report pages that read them.
    student_ids_read(
        district=district,
        user=request.user,
        student_ids=[a.student_id for a in alerts if a.student_id],
        what=f"dashboard of the week of {week_start.isoformat()}",
        door=StudentAccess.Door.REPORT,
    )
    return render(request, "allocations/dashboard.html", context)


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    district = _staff_district(request)
    try:
        week_start = _week(request.POST.get("week"), district)
    except WeekRefused as refused:
        return _week_refused(request, district, refused)
    allocation_run_queue(district=district, week_start=week_start, started_by=request.user)
    return redirect(f"{reverse('allocations:dashboard')}?week={week_start.isoformat()}")


@login_required
def run_progress(request: HttpRequest, run_id: int) -> JsonResponse:
    district = _staff_district(request)
    run = AllocationRun.objects.filter(district=district, pk=run_id).first()
    if run is None:
        raise Http404("No such run")
    return JsonResponse(
        {
            "status": run.state,
            "percent": run.progress_percent,
            "note": run.progress_note,
            "error": run.error,
        }
    )
