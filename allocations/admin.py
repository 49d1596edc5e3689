"""Allocation runs are read in the admin, never edited: a plan changes only by a new run or a
re-plan after an absence. Alerts are acknowledged and resolved here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from allocations.absences import AbsenceError, absence_check
from allocations.alerts import alert_acknowledge, alert_resolve
from allocations.models import Alert, AllocationRun, Assignment, PlanRepair, UnstaffedRun
from allocations.tasks import replan_absence
from staffing.admin import AbsenceAdmin
from staffing.models import Absence
from staffing.tenancy import TenantAdmin, TenantModelForm


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


class AbsenceForm(TenantModelForm):
    class Meta:
        model = Absence
        fields = ["aide", "date", "start", "end", "reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        aide, on = cleaned.get("aide"), cleaned.get("date")
        if aide is not None and on is not None and not self.errors:
            try:
                absence_check(
                    aide=aide,
                    on=on,
                    start=cleaned.get("start"),
                    end=cleaned.get("end"),
                    exclude_pk=self.instance.pk,
                )
            except AbsenceError as exc:
                raise ValidationError(str(exc).replace("--", "")) from exc
        return cleaned


class ReplanningAbsenceAdmin(AbsenceAdmin):
    """Absences entered in the admin re-plan the school-days they touch, in a worker, as soon
    as they are saved or deleted (the old date too, when an edit moves it)."""

    form = AbsenceForm

    def save_model(self, request: HttpRequest, obj: Absence, form: Any, change: bool) -> None:
        old = Absence.objects.filter(pk=obj.pk).values_list("aide_id", "date").first()
        super().save_model(request, obj, form, change)
        touched = {(obj.aide_id, obj.date)} | ({old} if old else set())
        verb = "changed" if change else "recorded"
        for aide_id, on in sorted(touched):
            self._replan(obj.district_id, aide_id, on, f"absence {verb} by {request.user}")

    def delete_model(self, request: HttpRequest, obj: Absence) -> None:
        district_id, aide_id, on = obj.district_id, obj.aide_id, obj.date
        super().delete_model(request, obj)
        self._replan(district_id, aide_id, on, f"absence removed by {request.user}")

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        touched = sorted(set(queryset.values_list("district_id", "aide_id", "date")))
        super().delete_queryset(request, queryset)
        for district_id, aide_id, on in touched:
            self._replan(district_id, aide_id, on, f"absence removed by {request.user}")

    @staticmethod
    def _replan(district_id: int, aide_id: int, on: dt.date, trigger: str) -> None:
        transaction.on_commit(
            lambda: replan_absence.delay(district_id, aide_id, on.isoformat(), trigger)
        )


admin.site.unregister(Absence)
admin.site.register(Absence, ReplanningAbsenceAdmin)

# The report schedules (django-celery-beat) are the operators' alone.
import allocations.reports.admin  # noqa: E402, F401
