"""The delivery ledger in the admin: its rows are read-only evidence, changed only through the
ledger's services (corrections, make-up sessions, IEP-team decisions, parents' notices). Scoped
by `staffing.tenancy` through each row's student."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from allocations.engine.causes import LEDGER_CAUSES
from allocations.labels import cause_choices
from allocations.ledger.models import CompensatoryEntry, DeliveryRecord, MissedDaysNotice
from allocations.ledger.selectors import delivery_history
from allocations.ledger.services import (
    accrual_decide,
    delivery_correct,
    makeup_record,
    notice_mark_notified,
)
from staffing.models import Aide
from staffing.tenancy import TenantAdmin, request_today, tenant_queryset
from staffing.timeofday import format_span
from students.models import ParaMandate, Student


class LedgerAdmin(TenantAdmin):
    """Ledger rows are evidence: never added, edited or deleted in place."""

    student_path = "student"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_write_permission(self, request: HttpRequest) -> bool:
        """For the ledger's own actions and pages (the services check the student's scope)."""
        return self.may_edit(request)

    def admin_page(
        self, request: HttpRequest, template: str, title: str, **context: Any
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                **context,
            },
        )


class CorrectionForm(forms.Form):
    outcome = forms.ChoiceField(choices=DeliveryRecord.Outcome.choices)
    aide = forms.ModelChoiceField(
        queryset=Aide.objects.none(),
        required=False,
        help_text="Who was with the student. Empty keeps the record's aide.",
    )
    cause = forms.ChoiceField(
        choices=[("", "---------"), *cause_choices(LEDGER_CAUSES)],
        required=False,
        help_text="Missed service only.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the record is corrected, and on what evidence (kept with the record).",
    )

    def __init__(self, *args: Any, aides: QuerySet[Aide], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aide"].queryset = aides  # type: ignore[attr-defined]


@admin.register(DeliveryRecord)
class DeliveryRecordAdmin(LedgerAdmin):
    list_display = [
        "date",
        "span",
        "student_code",
        "mandate_code",
        "school_code",
        "setting",
        "outcome",
        "cause",
        "aide_code",
        "minutes",
        "is_current",
    ]
    list_filter = ["outcome", "cause", "date", "is_current"]
    search_fields = ["student_code", "mandate_code"]
    fields = readonly_fields = (
        "date",
        "span",
        "minutes",
        "student_code",
        "mandate_code",
        "school_code",
        "setting",
        "location",
        "outcome",
        "cause",
        "missing_qualifications",
        "aide_code",
        "note",
        "recorded_by",
        "recorded_at",
        "is_current",
        "history",
    )
    change_form_template = "allocations/ledger/deliveryrecord_change_form.html"

    def get_urls(self) -> list[URLPattern]:
        correct = path(
            "<path:object_id>/correct/",
            self.admin_site.admin_view(self.correct_view),
            name="allocations_deliveryrecord_correct",
        )
        return [correct, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra = {**(extra_context or {}), "may_correct": self.has_write_permission(request)}
        return super().change_view(request, object_id, form_url, extra)

    def correct_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        record = self.get_object(request, unquote(object_id))
        if not self.has_write_permission(request):
            raise PermissionDenied
        form = CorrectionForm(
            request.POST if request.method == "POST" else None,
            aides=tenant_queryset(request, Aide).order_by("code"),
            initial={"outcome": record.outcome, "cause": record.cause},
        )
        if form.is_valid():
            try:
                corrected = delivery_correct(user=request.user, record=record, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    "The correction is recorded; the earlier version stays in the history.",
                    messages.SUCCESS,
                )
                return redirect("admin:allocations_deliveryrecord_change", corrected.pk)
        return self.admin_page(
            request,
            "allocations/ledger/delivery_correct.html",
            f"Correct the record of {record}",
            original=record,
            form=form,
            history=delivery_history(district=record.district, record=record),
        )

    @admin.display(description="time", ordering="start")
    def span(self, obj: DeliveryRecord) -> str:
        return format_span(obj.start, obj.end)

    @admin.display(description="minutes")
    def minutes(self, obj: DeliveryRecord) -> int:
        return obj.minutes

    @admin.display(description="correction history")
    def history(self, obj: DeliveryRecord) -> str:
        chain = delivery_history(district=obj.district, record=obj)
        if len(chain) == 1:
            return "Not corrected: this is the record the day's close wrote."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    format_html(
                        '<a href="{}">{}</a>{}',
                        reverse("admin:allocations_deliveryrecord_change", args=[r.pk]),
                        "original" if r.replaces_id is None else f"correction {i}",
                        " (this one)" if r.pk == obj.pk else "",
                    ),
                    f"{r.recorded_at:%Y-%m-%d %H:%M}",
                    str(r.recorded_by) if r.recorded_by_id else "day close",
                    r.get_outcome_display(),
                    r.get_cause_display() if r.cause else "-",
                    r.note or "-",
                )
                for i, r in enumerate(chain)
            ),
        )
        return format_html(
            "<table><tr><th>version</th><th>recorded</th><th>by</th><th>outcome</th>"
            "<th>cause</th><th>note</th></tr>{}</table>",
            rows,
        )


class MakeupForm(forms.Form):
    student = forms.ModelChoiceField(queryset=Student.objects.none())
    mandate = forms.ModelChoiceField(queryset=ParaMandate.objects.none())
    on = forms.DateField(label="date", widget=AdminDateWidget)
    minutes = forms.IntegerField(min_value=1)
    aide = forms.ModelChoiceField(queryset=Aide.objects.none(), required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, model_admin: TenantAdmin, request: HttpRequest, **kwargs: Any):
        super().__init__(*args, **kwargs)
        site = model_admin.admin_site
        for name, model in (("student", Student), ("mandate", ParaMandate)):
            field = self.fields[name]
            # The widget first: setting the queryset hands its choices to the widget.
            field.widget = AutocompleteSelect(CompensatoryEntry._meta.get_field(name), site)
            field.queryset = model_admin.choices_for(request, model)  # type: ignore[attr-defined]
        self.fields["aide"].queryset = tenant_queryset(request, Aide).order_by("code")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        student, mandate = cleaned.get("student"), cleaned.get("mandate")
        if student is not None and mandate is not None and mandate.student_id != student.pk:
            self.add_error("mandate", f"{mandate.code} is not a mandate of {student.code}.")
        return cleaned


class DecisionForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The IEP team's decision: meeting date and what was agreed.",
    )


@admin.register(CompensatoryEntry)
class CompensatoryEntryAdmin(LedgerAdmin):
    list_display = [
        "date",
        "student_code",
        "mandate_code",
        "kind",
        "signed_minutes",
        "status",
        "source_record",
        "aide_code",
        "decided",
        "note",
    ]
    list_filter = ["kind", "status", "date"]
    search_fields = ["student_code", "mandate_code"]
    fields = readonly_fields = (
        "date",
        "student_code",
        "mandate_code",
        "kind",
        "signed_minutes",
        "status",
        "source_record",
        "aide_code",
        "decided",
        "note",
        "created_by",
        "created_at",
    )
    actions = ["approve", "decline"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_write_permission(request)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The only entries added by hand: make-up sessions, through `makeup_record`."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = MakeupForm(
            request.POST if request.method == "POST" else None,
            model_admin=self,
            request=request,
            initial={"on": request_today(request)},
        )
        if form.is_valid():
            try:
                makeup_record(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, "The make-up session is recorded.", messages.SUCCESS)
                return redirect("admin:allocations_compensatoryentry_changelist")
        return self.admin_page(
            request,
            "allocations/ledger/makeup_add.html",
            "Record a make-up session",
            form=form,
            media=self.media + form.media,
        )

    @admin.display(description="minutes")
    def signed_minutes(self, obj: CompensatoryEntry) -> str:
        return f"{obj.signed_minutes:+d}"

    @admin.display(description="delivery record")
    def source_record(self, obj: CompensatoryEntry) -> str:
        if obj.source_id is None:
            return "-"
        url = reverse("admin:allocations_deliveryrecord_change", args=[obj.source_id])
        return format_html('<a href="{}">{}</a>', url, f"record {obj.source_id}")

    @admin.display(description="decided")
    def decided(self, obj: CompensatoryEntry) -> str:
        if obj.decided_at is None:
            return "-"
        return f"{obj.decided_at:%Y-%m-%d} by {obj.decided_by}"

    @admin.action(description="Approve the selected pending accruals", permissions=["write"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        return self._decide(request, queryset, approve=True)

    @admin.action(description="Decline the selected pending accruals", permissions=["write"])
    def decline(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        return self._decide(request, queryset, approve=False)

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[Any], *, approve: bool
    ) -> HttpResponse | None:
        pending = queryset.filter(
            kind=CompensatoryEntry.Kind.ACCRUAL, status=CompensatoryEntry.Status.PENDING
        )
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            decided, refused = 0, []
            for entry in pending:
                try:
                    accrual_decide(
                        user=request.user,
                        entry=entry,
                        approve=approve,
                        note=form.cleaned_data["note"],
                    )
                except (ValidationError, PermissionDenied) as exc:
                    refused.append(f"{entry}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
                else:
                    decided += 1
            verb = "approved" if approve else "declined"
            self.message_user(request, f"{decided} accrual(s) {verb}.", messages.SUCCESS)
            for line in refused:
                self.message_user(request, line, messages.WARNING)
            return None
        return self.admin_page(
            request,
            "allocations/ledger/accrual_decide.html",
            f"{'Approve' if approve else 'Decline'} pending accruals",
            form=form,
            action="approve" if approve else "decline",
            selected=queryset,
            pending=pending,
        )


class NotifiedFilter(admin.SimpleListFilter):
    title = "parents notified"
    parameter_name = "notified"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "Not yet"), ("yes", "Yes")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() is None:
            return queryset
        return queryset.filter(parents_notified_on__isnull=self.value() == "no")


@admin.register(MissedDaysNotice)
class MissedDaysNoticeAdmin(LedgerAdmin):
    list_display = [
        "student_code",
        "school_year",
        "days",
        "threshold",
        "flagged_on",
        "parents_notified_on",
        "notified_by",
    ]
    list_filter = [NotifiedFilter, "school_year_start"]
    search_fields = ["student_code"]
    list_select_related = ["notified_by"]
    fields = readonly_fields = (
        "student_code",
        "school_year",
        "days",
        "threshold",
        "flagged_on",
        "parents_notified_on",
        "notified_by",
    )
    actions = ["mark_parents_notified"]

    @admin.display(description="school year", ordering="school_year_start")
    def school_year(self, obj: MissedDaysNotice) -> str:
        return f"{obj.school_year_start.year}-{obj.school_year_start.year + 1}"

    @admin.action(description="Mark parents notified (today)", permissions=["write"])
    def mark_parents_notified(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        marked, refused = 0, []
        for notice in queryset.filter(parents_notified_on__isnull=True):
            try:
                notice_mark_notified(user=request.user, notice=notice)
            except (ValidationError, PermissionDenied) as exc:
                refused.append(f"{notice}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
            else:
                marked += 1
        self.message_user(request, f"{marked} notice(s) marked as sent.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)
