"""The case manager's working tool: students, their IEP para mandates and weekly blocks, the
guardian links of the parent portal, and the delivery ledger. Scoped by `staffing.tenancy` (see
its rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from staffing.models import Aide, Membership
from staffing.tenancy import (
    DIRECTORS,
    ReadOnlyTenantInline,
    SchoolListFilter,
    TenantAdmin,
    TenantInline,
    TenantListFilter,
    request_today,
    tenant_queryset,
    today_value,
)
from staffing.timeofday import format_span
from students import ledger, selectors
from students.models import (
    CompensatoryEntry,
    DeliveryRecord,
    Guardian,
    MandateBlock,
    MissedDaysNotice,
    ParaMandate,
    Setting,
    Student,
    Support,
)


def block_when(block: MandateBlock) -> str:
    """`Mon 08:00-09:15`."""
    return f"{block.get_weekday_display()} {format_span(block.start, block.end)}"


class StudentSchoolFilter(SchoolListFilter):
    pass


class MandateSchoolFilter(SchoolListFilter):
    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(student__school_id=school_id)


class SupportFilter(admin.SimpleListFilter):
    title = "support"
    parameter_name = "support"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in Support.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() is None:
            return queryset
        return queryset.filter(
            Exists(
                ParaMandate.objects.filter(
                    district_id=OuterRef("district_id"),
                    student=OuterRef("pk"),
                    support=self.value(),
                )
            )
        )


class SettingFilter(admin.SimpleListFilter):
    title = "setting"
    parameter_name = "setting"
    # Path from the listed model to MandateBlock's mandate.
    mandate_path = "mandate__student"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in Setting.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() is None:
            return queryset
        return queryset.filter(
            Exists(
                MandateBlock.objects.filter(
                    district_id=OuterRef("district_id"),
                    setting=self.value(),
                    **{self.mandate_path: OuterRef("pk")},
                )
            )
        )


class MandateSettingFilter(SettingFilter):
    mandate_path = "mandate"


class RequiredQualificationFilter(TenantListFilter):
    title = "required qualification"
    parameter_name = "qualification"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        values = (
            tenant_queryset(request, ParaMandate)
            .exclude(required_qualifications="")
            .order_by()
            .values_list("required_qualifications", flat=True)
            .distinct()
        )
        codes = sorted({code for value in values for code in value.split(";") if code})
        return [(code, code) for code in codes]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        code = self.value()
        if code is None:
            return queryset
        return queryset.filter(
            Exists(
                ParaMandate.objects.filter(
                    selectors.qualification_q(code),
                    district_id=OuterRef("district_id"),
                    student=OuterRef("pk"),
                )
            )
        )


class MandateQualificationFilter(RequiredQualificationFilter):
    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        code = self.value()
        return queryset if code is None else queryset.filter(selectors.qualification_q(code))


MANDATE_COLUMNS = (
    "mandate",
    "support",
    "max_group",
    "qualifications",
    "dates",
    "blocks",
    "weekly_minutes",
    "safety_tier",
)


class MandateTableInline(ReadOnlyTenantInline):
    """Each mandate of the student, read-only: it is edited on its own page, with its blocks."""

    model = ParaMandate
    student_path = "student"
    fields = MANDATE_COLUMNS
    readonly_fields = MANDATE_COLUMNS
    verbose_name = "para mandate"
    verbose_name_plural = "para mandates (open one to edit it and its weekly blocks)"

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        annotated: QuerySet[Any] = queryset.annotate(as_of=today_value(request))
        return (
            annotated.select_related("district")
            .prefetch_related("blocks")
            .order_by("starts_on", "code")
        )

    @admin.display(description="mandate")
    def mandate(self, obj: ParaMandate) -> str:
        url = reverse("admin:students_paramandate_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.code)

    @admin.display(description="required qualifications")
    def qualifications(self, obj: ParaMandate) -> str:
        return ", ".join(obj.qualification_codes) or "-"

    @admin.display(description="in force")
    def dates(self, obj: Any) -> str:
        summary = selectors.mandate_summary(obj, on=obj.as_of)
        until = summary.ends_on.isoformat() if summary.ends_on else "open-ended"
        state = "" if summary.in_force else " (not in force today)"
        return f"{summary.starts_on.isoformat()} to {until}{state}"

    @admin.display(description="weekly blocks")
    def blocks(self, obj: Any) -> str:
        lines = selectors.block_groups(selectors.mandate_summary(obj, on=obj.as_of).blocks)
        if not lines:
            return "-"
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines))

    @admin.display(description="min/week")
    def weekly_minutes(self, obj: Any) -> int:
        return selectors.mandate_summary(obj, on=obj.as_of).weekly_minutes

    @admin.display(description="safety tier", boolean=True)
    def safety_tier(self, obj: ParaMandate) -> bool:
        return obj.is_safety_tier


class GuardianInline(TenantInline):
    model = Guardian
    student_path = "student"
    edit_roles = DIRECTORS
    fields = ["user", "relationship"]
    verbose_name = "parent or guardian with portal access"
    verbose_name_plural = "parents and guardians with portal access"


@admin.register(Student)
class StudentAdmin(TenantAdmin):
    student_path = ""
    list_display = [
        "code",
        "last_name",
        "first_name",
        "school",
        "grade",
        "mandate_count",
        "weekly_minutes",
        "safety_tier",
    ]
    list_display_links = ["code", "last_name"]
    list_filter = [
        StudentSchoolFilter,
        SupportFilter,
        SettingFilter,
        RequiredQualificationFilter,
        "grade",
    ]
    list_select_related = ["school"]
    search_fields = ["code", "first_name", "last_name"]
    fields = ["code", "first_name", "last_name", "school", "grade", "case_managers", "schedule"]
    readonly_fields = ["schedule"]
    filter_horizontal = ["case_managers"]
    inlines = [MandateTableInline, GuardianInline]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = today_value(request)
        return selectors.students_with_figures(queryset, on=today.value).annotate(as_of=today)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "case_managers" and field is not None:
            field.queryset = (
                field.queryset.filter(role=Membership.Role.CASE_MANAGER)
                .select_related("user")
                .order_by("user__username")
            )
        return field

    @admin.display(description="mandates in force", ordering="mandate_count")
    def mandate_count(self, obj: Any) -> int:
        return int(obj.mandate_count)

    @admin.display(description="mandated min/week", ordering="weekly_minutes")
    def weekly_minutes(self, obj: Any) -> int:
        return int(obj.weekly_minutes)

    @admin.display(description="safety tier", boolean=True, ordering="safety_tier")
    def safety_tier(self, obj: Any) -> bool:
        return bool(obj.safety_tier)

    @admin.display(description="weekly schedule")
    def schedule(self, obj: Any) -> str:
        if obj.pk is None:
            return "-"
        schedule = selectors.student_schedule(district=obj.district, student=obj, on=obj.as_of)
        add_url = reverse("admin:students_paramandate_add") + f"?student={obj.pk}"
        days = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            (
                (
                    day,
                    format_html_join(
                        mark_safe("<br>"),
                        "{} {} ({}, {})",
                        (
                            (format_span(b.start, b.end), b.setting, b.location, b.mandate_code)
                            for b in blocks
                        ),
                    ),
                )
                for day, blocks in schedule.days
            ),
        )
        codes = " or ".join(sorted(obj.district.safety_codes))
        tier = (
            format_html(
                '<strong style="color:#b71c1c">{}</strong>: {}',
                "yes",
                f"1:1 or requires {codes}" if codes else "1:1",
            )
            if schedule.is_safety_tier
            else "no"
        )
        return format_html(
            '<table class="schedule">{}</table>'
            "<p>Weekly mandated minutes (in force today): <strong>{}</strong>"
            " ({}). Safety tier: {}.</p>"
            '<p><a href="{}">Add a para mandate</a></p>',
            days or format_html("<tr><td>{}</td></tr>", "No block in force."),
            schedule.weekly_minutes,
            f"{schedule.weekly_minutes // 60} h {schedule.weekly_minutes % 60:02d} min",
            tier,
            add_url,
        )


class MandateBlockInline(TenantInline):
    model = MandateBlock
    student_path = "mandate__student"
    fields = ["weekday", "start", "end", "when", "setting", "location"]
    view_fields = ("when", "setting", "location")
    readonly_fields = ["when"]
    extra = 1
    verbose_name_plural = "weekly blocks (times HH:MM on the 15-minute grid)"

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.order_by("weekday", "start")

    @admin.display(description="reads as")
    def when(self, obj: MandateBlock) -> str:
        return block_when(obj) if obj.pk else ""


@admin.register(ParaMandate)
class ParaMandateAdmin(TenantAdmin):
    student_path = "student"
    list_display = [
        "code",
        "student",
        "school",
        "support",
        "max_group",
        "qualifications",
        "starts_on",
        "ends_on",
        "block_count",
        "weekly_minutes",
        "safety_tier",
    ]
    list_filter = [MandateSchoolFilter, "support", MandateSettingFilter, MandateQualificationFilter]
    list_select_related = ["student", "student__school", "district"]  # its safety tier
    search_fields = ["code", "student__code", "student__first_name", "student__last_name"]
    autocomplete_fields = ["student"]
    fields = [
        "student",
        "code",
        "support",
        "max_group",
        "required_qualifications",
        "starts_on",
        "ends_on",
    ]
    inlines = [MandateBlockInline]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return selectors.mandates_with_figures(queryset)

    @admin.display(description="school", ordering="student__school__code")
    def school(self, obj: ParaMandate) -> str:
        return str(obj.student.school.code)

    @admin.display(description="required qualifications")
    def qualifications(self, obj: ParaMandate) -> str:
        return ", ".join(obj.qualification_codes) or "-"

    @admin.display(description="blocks", ordering="block_count")
    def block_count(self, obj: Any) -> int:
        return int(obj.block_count)

    @admin.display(description="min/week", ordering="weekly_minutes")
    def weekly_minutes(self, obj: Any) -> int:
        return int(obj.weekly_minutes)

    @admin.display(description="safety tier", boolean=True)
    def safety_tier(self, obj: ParaMandate) -> bool:
        return obj.is_safety_tier


class GuardianSchoolFilter(SchoolListFilter):
    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(student__school_id=school_id)


@admin.register(Guardian)
class GuardianAdmin(TenantAdmin):
    """Linking a parent opens a child's records to them: directors only."""

    student_path = "student"
    edit_roles = DIRECTORS
    list_display = ["user", "full_name", "student", "school", "relationship"]
    list_filter = [GuardianSchoolFilter]
    list_select_related = ["user", "student", "student__school"]
    search_fields = ["user__username", "user__last_name", "student__code", "student__last_name"]
    autocomplete_fields = ["student"]
    fields = ["user", "student", "relationship"]

    @admin.display(description="name")
    def full_name(self, obj: Guardian) -> str:
        return obj.user.get_full_name() or "-"

    @admin.display(description="school", ordering="student__school__code")
    def school(self, obj: Guardian) -> str:
        return str(obj.student.school.code)


# --- The delivery ledger: read-only rows, changed only through the ledger's services. ---------


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
        choices=[("", "---------"), *DeliveryRecord.Cause.choices],
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
    change_form_template = "students/admin/deliveryrecord_change_form.html"

    def get_urls(self) -> list[URLPattern]:
        correct = path(
            "<path:object_id>/correct/",
            self.admin_site.admin_view(self.correct_view),
            name="students_deliveryrecord_correct",
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
                corrected = ledger.delivery_correct(
                    user=request.user, record=record, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    "The correction is recorded; the earlier version stays in the history.",
                    messages.SUCCESS,
                )
                return redirect("admin:students_deliveryrecord_change", corrected.pk)
        return self.admin_page(
            request,
            "students/admin/delivery_correct.html",
            f"Correct the record of {record}",
            original=record,
            form=form,
            history=ledger.delivery_history(district=record.district, record=record),
        )

    @admin.display(description="time", ordering="start")
    def span(self, obj: DeliveryRecord) -> str:
        return format_span(obj.start, obj.end)

    @admin.display(description="minutes")
    def minutes(self, obj: DeliveryRecord) -> int:
        return obj.minutes

    @admin.display(description="correction history")
    def history(self, obj: DeliveryRecord) -> str:
        chain = ledger.delivery_history(district=obj.district, record=obj)
        if len(chain) == 1:
            return "Not corrected: this is the record the day's close wrote."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    format_html(
                        '<a href="{}">{}</a>{}',
                        reverse("admin:students_deliveryrecord_change", args=[r.pk]),
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
        """The only entries added by hand: make-up sessions, through `ledger.makeup_record`."""
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
                ledger.makeup_record(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, "The make-up session is recorded.", messages.SUCCESS)
                return redirect("admin:students_compensatoryentry_changelist")
        return self.admin_page(
            request,
            "students/admin/makeup_add.html",
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
        url = reverse("admin:students_deliveryrecord_change", args=[obj.source_id])
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
                    ledger.accrual_decide(
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
            "students/admin/accrual_decide.html",
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
                ledger.notice_mark_notified(user=request.user, notice=notice)
            except (ValidationError, PermissionDenied) as exc:
                refused.append(f"{notice}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
            else:
                marked += 1
        self.message_user(request, f"{marked} notice(s) marked as sent.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)
