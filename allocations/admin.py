"""Allocation runs are read in the admin, never edited: a plan changes only by a new run or a
re-plan after an absence. Alerts are acknowledged and resolved here, and absences recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from allocations.absences import (
    AbsenceError,
    absence_cancel,
    absence_change,
    absence_check,
    absence_record,
)
from allocations.alerts import alert_acknowledge, alert_resolve
from allocations.models import Alert, AllocationRun, Assignment, PlanRepair, UnstaffedRun
from allocations.replans import replan_request
from staffing.models import Absence, AideSchool, District
from staffing.tenancy import SchoolListFilter, TenantAdmin, TenantModelForm, resolve_scope
from staffing.timeofday import format_span


class ReadOnlyAdmin(TenantAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    list_display = ["week_start", "status", "is_current", "covered_minutes", "due_minutes",
                    "bound_minutes", "progress_percent", "created_at", "total_seconds"]  # fmt: skip
    list_filter = ["status", "is_current", "week_start"]
    readonly_fields = ["rows"]
    exclude = ["district"]

    @admin.display(description="rows of this run")
    def rows(self, obj: AllocationRun) -> str:
        assignments = reverse("admin:allocations_assignment_changelist")
        unstaffed = reverse("admin:allocations_unstaffedrun_changelist")
        return format_html(
            '<a href="{}?run__id__exact={}">{} assignments</a> · '
            '<a href="{}?run__id__exact={}">{} unstaffed runs</a>',
            assignments, obj.pk, obj.assignments.count(),
            unstaffed, obj.pk, obj.unstaffed.count(),
        )  # fmt: skip


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    student_path = "mandate__student"
    list_display = ["date", "__str__", "aide", "mandate", "run"]
    list_filter = ["date"]
    list_select_related = ["aide", "mandate", "run"]
    search_fields = ["aide__code", "mandate__code", "mandate__student__code"]


@admin.register(UnstaffedRun)
class UnstaffedRunAdmin(ReadOnlyAdmin):
    student_path = "mandate__student"
    list_display = ["date", "__str__", "mandate", "reason", "run"]
    list_filter = ["reason", "date"]
    list_select_related = ["mandate", "run"]
    search_fields = ["mandate__code", "mandate__student__code"]


@admin.register(PlanRepair)
class PlanRepairAdmin(ReadOnlyAdmin):
    """A re-plan's changes name the students of every school it touched: a case manager limited
    to schools sees it only when all of them are theirs."""

    schools_field = "school_ids"
    list_display = ["created_at", "date", "aide", "trigger", "covered_before", "covered_after",
                    "moved_minutes", "total_seconds"]  # fmt: skip
    list_filter = ["date"]
    list_select_related = ["aide"]
    search_fields = ["aide__code", "trigger"]
    exclude = ["district"]


class AlertForm(TenantModelForm):
    decision = forms.ChoiceField(
        choices=[("", "—"), ("acknowledge", "Acknowledge"), ("resolve", "Resolve")],
        required=False,
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="To resolve: who covered, or what the IEP team decided.",
    )

    class Meta:
        model = Alert
        fields: list[str] = []


@admin.register(Alert)
class AlertAdmin(TenantAdmin):
    """Case managers acknowledge and resolve alerts; everything else follows the plan."""

    student_path = "student"
    form = AlertForm
    list_display = ["severity", "status", "title", "date", "minutes", "cause", "school"]
    list_filter = ["status", "severity", "kind", "cause", "date"]
    list_select_related = ["school"]
    search_fields = ["title", "student__code", "mandate__code", "aide__code"]
    ordering = ["status", "rank", "date"]
    actions = ["acknowledge"]
    readonly_fields = ["title", "detail", "kind", "severity", "cause", "status", "date",
                       "school", "student", "mandate", "aide", "contract", "minutes", "cover",
                       "times_opened", "opened_at", "acknowledged_at", "acknowledged_by",
                       "resolved_at", "resolved_by", "resolution_note"]  # fmt: skip
    fields = [*readonly_fields, "decision", "note"]
    view_fields = tuple(readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="qualified cover, best first")
    def cover(self, obj: Alert) -> str:
        if not obj.suggestions:
            return "none of the school's aides is qualified and not absent"
        return format_html_join(
            mark_safe("<br>"),
            "{} ({}): {}",
            ((s["name"], s["aide"], s["why"]) for s in obj.suggestions),
        )

    def save_model(self, request: HttpRequest, obj: Alert, form: Any, change: bool) -> None:
        decision = form.cleaned_data.get("decision")
        note = form.cleaned_data.get("note", "")
        try:
            if decision == "acknowledge":
                alert_acknowledge(district=obj.district, user=request.user, alert_id=obj.pk)
            elif decision == "resolve":
                alert_resolve(district=obj.district, user=request.user, alert_id=obj.pk, note=note)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))

    @admin.action(description="Acknowledge the selected alerts")
    def acknowledge(self, request: HttpRequest, queryset: Any) -> None:
        done = 0
        for alert in queryset.filter(status=Alert.Status.OPEN).select_related("district"):
            alert_acknowledge(district=alert.district, user=request.user, alert_id=alert.pk)
            done += 1
        messages.success(request, f"{done} alert(s) acknowledged.")


class AbsenceSchoolFilter(SchoolListFilter):
    title = "aide's school"

    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(
            Exists(AideSchool.objects.filter(aide=OuterRef("aide_id"), school_id=school_id))
        )


def absence_error_worded(form: forms.BaseForm, exc: AbsenceError) -> None:
    """The service's refusal as form errors: on its field, or above the form when it concerns
    several fields or the absence as a whole."""
    if len(exc.fields) == 1 and exc.fields[0] in form.fields:
        form.add_error(exc.fields[0], exc.message)
        return
    labels = " and ".join(str(form.fields[name].label or name).lower() for name in exc.fields)
    form.add_error(None, f"{labels.capitalize()}: {exc.message}" if labels else exc.message)


class AbsenceForm(TenantModelForm):
    class Meta:
        model = Absence
        fields = ["aide", "date", "start", "end", "reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        aide, on = cleaned.get("aide"), cleaned.get("date")
        if aide is not None and on is not None and not self.errors:
            # The service checks again under its lock; this answers on the form at once.
            try:
                absence_check(
                    aide=aide,
                    on=on,
                    start=cleaned.get("start"),
                    end=cleaned.get("end"),
                    reason=cleaned.get("reason", ""),
                    exclude_pk=self.instance.pk,
                )
            except AbsenceError as exc:
                absence_error_worded(self, exc)
        return cleaned


@admin.register(Absence)
class AbsenceAdmin(TenantAdmin):
    """Absences are written through `allocations.absences` (its checks, under its row lock)
    and re-plan the school-days they touch in a worker once saved or removed (the old day too,
    when an edit moves it)."""

    form = AbsenceForm
    list_display = ["date", "aide", "span", "reason"]
    list_filter = ["date", AbsenceSchoolFilter]
    list_select_related = ["aide"]
    search_fields = ["aide__code", "aide__name", "reason"]
    autocomplete_fields = ["aide"]
    date_hierarchy = "date"
    ordering = ["-date", "aide__code"]
    fields = ["aide", "date", "start", "end", "reason"]
    view_fields = ("aide", "date", "span", "reason")
    readonly_fields = ["span"]

    @admin.display(description="time", ordering="start")
    def span(self, obj: Absence) -> str:
        return format_span(obj.start, obj.end)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except AbsenceError as exc:
            # The form's check passed, then another absence of the aide was saved before this
            # one took the lock: nothing was written; say why and show the form again.
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request: HttpRequest, obj: Absence, form: Any, change: bool) -> None:
        district = self._district(request)
        values = form.cleaned_data
        written = {
            "aide_code": values["aide"].code,
            "on": values["date"],
            "start": values.get("start"),
            "end": values.get("end"),
            "reason": values.get("reason", ""),
        }
        if change:
            changed = absence_change(district=district, absence_id=obj.pk, **written)
            touched = {(changed.absence.aide_id, changed.absence.date), changed.before}
            verb = "changed"
        else:
            absence = absence_record(district=district, **written)
            obj.pk, obj.district = absence.pk, district
            touched = {(absence.aide_id, absence.date)}
            verb = "recorded"
        for aide_id, on in sorted(touched):
            self._replan(district, aide_id, on, f"absence {verb} by {request.user}")

    def delete_model(self, request: HttpRequest, obj: Absence) -> None:
        self._cancel(request, [obj.pk])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._cancel(request, list(queryset.order_by("pk").values_list("pk", flat=True)))

    def _cancel(self, request: HttpRequest, absence_ids: list[int]) -> None:
        district = self._district(request)
        for absence_id in absence_ids:
            with transaction.atomic():
                gone = absence_cancel(district=district, absence_id=absence_id)
                trigger = f"absence removed by {request.user}"
                self._replan(district, gone.aide_id, gone.date, trigger)

    @staticmethod
    def _district(request: HttpRequest) -> District:
        scope = resolve_scope(request)
        if scope is None or scope.district is None:
            raise PermissionDenied("Absences are written by a district's own staff.")
        return scope.district

    @staticmethod
    def _replan(district: District, aide_id: int, on: dt.date, trigger: str) -> None:
        # In the absence's own transaction: a lost message is found again (allocations/replans).
        replan_request(district=district, aide_id=aide_id, on=on, trigger=trigger)


# The delivery ledger's pages; the report schedules (django-celery-beat) are the operators' alone.
import allocations.access.admin  # noqa: E402
import allocations.ledger.admin  # noqa: E402
import allocations.reports.admin  # noqa: E402, F401
