"""Aides with their schools, qualifications (expired in red, expiring in amber) and weekly
availability, and the contracts that supply agency staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from staffing import selectors
from staffing.models import (
    Aide,
    AideQualification,
    AideSchool,
    AvailabilityWindow,
    Contract,
    School,
)
from staffing.tenancy import (
    DIRECTORS,
    SchoolListFilter,
    TenantAdmin,
    TenantInline,
    TenantListFilter,
    tenant_queryset,
    today_value,
)
from staffing.timeofday import format_span

STATUS_STYLE = {
    "expired": "color:#b71c1c;font-weight:600",
    "expiring": "color:#b26a00;font-weight:600",
    "valid": "color:#2e7d32",
    "permanent": "color:#57606a",
}


def status_badge(expires_on: dt.date | None, today: dt.date, code: str | None = None) -> str:
    """A qualification's status, red when expired (struck through in lists), amber when it
    expires within the warning window. With `code`: the code, annotated unless plainly valid."""
    status = selectors.qualification_status(expires_on=expires_on, today=today)
    if code is None:
        text = status.text
    elif status.kind in ("expired", "expiring"):
        text = f"{code} ({status.text})"
    else:
        return format_html("{}", code)
    tag = "s" if status.kind == "expired" and code else "span"
    return format_html(
        '<{} class="qual-{}" style="{}">{}</{}>',
        tag,
        status.kind,
        STATUS_STYLE[status.kind],
        text,
        tag,
    )


class AideSchoolFilter(SchoolListFilter):
    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(
            Exists(AideSchool.objects.filter(aide=OuterRef("pk"), school_id=school_id))
        )


class QualificationFilter(TenantListFilter):
    title = "qualification"
    parameter_name = "qualification"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = (
            tenant_queryset(request, AideQualification)
            .order_by("qualification")
            .values_list("qualification", flat=True)
            .distinct()
        )
        return [(code, code) for code in codes]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() is None:
            return queryset
        return queryset.filter(
            Exists(
                AideQualification.objects.filter(
                    district_id=OuterRef("district_id"),
                    aide=OuterRef("pk"),
                    qualification=self.value(),
                )
            )
        )


class EmployerFilter(TenantListFilter):
    title = "employer"
    parameter_name = "employer"
    DISTRICT = "district"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        contracts = tenant_queryset(request, Contract).order_by("code")
        return [
            (self.DISTRICT, "District staff"),
            *(
                (str(pk), f"Contract {code} ({agency})")
                for pk, code, agency in contracts.values_list("pk", "code", "agency")
            ),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() is None:
            return queryset
        if self.value() == self.DISTRICT:
            return queryset.filter(contract__isnull=True)
        contract_id = self.value_id()
        return queryset.filter(contract_id=contract_id) if contract_id else queryset.none()


@admin.register(Contract)
class ContractAdmin(TenantAdmin):
    edit_roles = DIRECTORS
    list_display = [
        "code",
        "agency",
        "starts_on",
        "ends_on",
        "weekly_minute_cap",
        "hourly_rate",
        "aide_count",
    ]
    search_fields = ["code", "agency"]
    date_hierarchy = "starts_on"

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        aides = (
            Aide.objects.filter(district_id=OuterRef("district_id"), contract=OuterRef("pk"))
            .order_by()
            .values("contract")
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotated: QuerySet[Any] = queryset.annotate(
            n_aides=Coalesce(Subquery(aides, output_field=IntegerField()), Value(0))
        )
        return annotated

    @admin.display(description="aides", ordering="n_aides")
    def aide_count(self, obj: Any) -> int:
        return int(obj.n_aides)


class AideSchoolInline(TenantInline):
    model = AideSchool
    fields = ["school"]
    verbose_name = "school the aide works at"
    verbose_name_plural = "schools the aide works at"


class QualificationInline(TenantInline):
    model = AideQualification
    fields = ["qualification", "expires_on", "status"]
    readonly_fields = ["status"]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        annotated: QuerySet[Any] = queryset.annotate(as_of=today_value(request))
        return annotated

    @admin.display(description="status")
    def status(self, obj: AideQualification) -> str:
        if obj.pk is None:
            return ""
        return status_badge(obj.expires_on, obj.as_of)  # type: ignore[attr-defined]


class AvailabilityInline(TenantInline):
    model = AvailabilityWindow
    fields = ["weekday", "start", "end"]
    view_fields = ("weekday", "span")
    readonly_fields = ["span"]
    verbose_name_plural = "weekly availability"

    @admin.display(description="time")
    def span(self, obj: AvailabilityWindow) -> str:
        return format_span(obj.start, obj.end)


@admin.register(Aide)
class AideAdmin(TenantAdmin):
    list_display = [
        "code",
        "name",
        "employer_label",
        "school_codes",
        "qualification_list",
        "available_minutes",
        "max_weekly_minutes",
    ]
    list_filter = [AideSchoolFilter, QualificationFilter, EmployerFilter]
    list_select_related = ["contract"]
    search_fields = ["code", "name", "contract__code", "contract__agency"]
    fields = ["code", "name", "contract", "max_weekly_minutes", "hourly_cost"]
    inlines = [AideSchoolInline, QualificationInline, AvailabilityInline]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        annotated: QuerySet[Any] = selectors.aides_with_weekly_minutes(queryset).annotate(
            as_of=today_value(request)
        )
        return annotated.prefetch_related(
            Prefetch("schools", queryset=School.objects.order_by("code")),
            Prefetch(
                "qualifications",
                queryset=AideQualification.objects.order_by("qualification"),
            ),
        )

    @admin.display(description="employer", ordering="contract__code")
    def employer_label(self, obj: Aide) -> str:
        return f"contract {obj.contract.code}" if obj.contract else "district"

    @admin.display(description="schools")
    def school_codes(self, obj: Aide) -> str:
        return ", ".join(s.code for s in obj.schools.all()) or "-"

    @admin.display(description="qualifications")
    def qualification_list(self, obj: Any) -> str:
        held = list(obj.qualifications.all())
        if not held:
            return "-"
        return format_html_join(
            ", ",
            "{}",
            ((status_badge(q.expires_on, obj.as_of, q.qualification),) for q in held),
        )

    @admin.display(description="available min/week", ordering="available_minutes")
    def available_minutes(self, obj: Any) -> int:
        return int(obj.available_minutes)
