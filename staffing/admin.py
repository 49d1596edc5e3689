"""The staffing side of the admin: schools, contracts, aides, absences, closures, memberships.

Every class builds on `staffing.tenancy` (district scope, choices, permissions); see its
docstring for who may do what.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from staffing import notify, selectors
from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    AideSchool,
    AvailabilityWindow,
    Closure,
    Contract,
    Membership,
    Notification,
    School,
)
from staffing.tenancy import (
    DIRECTORS,
    SchoolListFilter,
    TenantAdmin,
    TenantInline,
    TenantListFilter,
    resolve_scope,
    tenant_queryset,
    today_value,
)
from staffing.timeofday import WEEKDAY_CHOICES, format_span

admin.site.site_header = "ParaCover"
admin.site.site_title = "ParaCover"
admin.site.index_title = "Your district"
admin.site.site_url = "/"

WEEKDAY_LABELS = dict(WEEKDAY_CHOICES)
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


# Platform accounts are the operators' business: a director must never browse other districts'
# people, even if someone grants them Django's model permissions on users.
class OperatorOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


class PlatformUserAdmin(OperatorOnly, UserAdmin):  # type: ignore[type-arg]
    pass


class PlatformGroupAdmin(OperatorOnly, GroupAdmin):
    pass


for _model, _admin in ((get_user_model(), PlatformUserAdmin), (Group, PlatformGroupAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)


class AideSchoolFilter(SchoolListFilter):
    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(
            Exists(AideSchool.objects.filter(aide=OuterRef("pk"), school_id=school_id))
        )


class AbsenceSchoolFilter(SchoolListFilter):
    title = "aide's school"

    def filter_school(self, queryset: QuerySet[Any], school_id: int) -> QuerySet[Any]:
        return queryset.filter(
            Exists(AideSchool.objects.filter(aide=OuterRef("aide_id"), school_id=school_id))
        )


class ClosureSchoolFilter(SchoolListFilter):
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(self.ALL, "All schools (district-wide)"), *super().lookups(request, model_admin)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == self.ALL:
            return queryset.filter(school__isnull=True)
        return super().queryset(request, queryset)


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


@admin.register(School)
class SchoolAdmin(TenantAdmin):
    edit_roles = DIRECTORS
    list_display = ["code", "name", "student_count", "aide_count"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # Students are the students app's; reach them through the reverse relation, not an import
        # (dependencies point staffing <- students).
        student = School.students.field.model
        students = (
            student._default_manager.filter(
                district_id=OuterRef("district_id"), school=OuterRef("pk")
            )
            .order_by()
            .values("school")
            .annotate(n=Count("pk"))
            .values("n")
        )
        aides = (
            AideSchool.objects.filter(district_id=OuterRef("district_id"), school=OuterRef("pk"))
            .order_by()
            .values("school")
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotated: QuerySet[Any] = queryset.annotate(
            n_students=Coalesce(Subquery(students, output_field=IntegerField()), Value(0)),
            n_aides=Coalesce(Subquery(aides, output_field=IntegerField()), Value(0)),
        )
        return annotated

    @admin.display(description="students", ordering="n_students")
    def student_count(self, obj: Any) -> int:
        return int(obj.n_students)

    @admin.display(description="aides", ordering="n_aides")
    def aide_count(self, obj: Any) -> int:
        return int(obj.n_aides)


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
                "qualifications", queryset=AideQualification.objects.order_by("qualification")
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
            ", ", "{}", ((status_badge(q.expires_on, obj.as_of, q.qualification),) for q in held)
        )

    @admin.display(description="available min/week", ordering="available_minutes")
    def available_minutes(self, obj: Any) -> int:
        return int(obj.available_minutes)


@admin.register(Absence)
class AbsenceAdmin(TenantAdmin):
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


@admin.register(Closure)
class ClosureAdmin(TenantAdmin):
    edit_roles = DIRECTORS
    list_display = ["date", "where", "reason"]
    list_filter = ["date", ClosureSchoolFilter]
    list_select_related = ["school"]
    search_fields = ["reason", "school__code", "school__name"]
    date_hierarchy = "date"
    ordering = ["-date"]

    @admin.display(description="school", ordering="school__code")
    def where(self, obj: Closure) -> str:
        return str(obj.school) if obj.school else "all schools"


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    """Directors grant and shape access; an operator may provision any district's first
    director. Nobody edits their own membership here (no accidental self-lockout)."""

    view_roles = DIRECTORS
    edit_roles = DIRECTORS
    operator_can_write = True
    list_display = ["user", "full_name", "role", "school_codes", "caseload_size", "staff_access"]
    list_filter = ["role"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    fields = ["user", "role", "schools", "caseload_students"]
    readonly_fields = ["caseload_students"]
    filter_horizontal = ["schools"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        scope = resolve_scope(request)
        if scope is not None and scope.is_operator and obj is None:
            return ["district", "user", "role", "schools"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["user", "caseload_students"] if obj is not None else ["caseload_students"]

    def linkable_users(self, request: HttpRequest, db_field: Any) -> QuerySet[Any]:
        # A staff user belongs to one district: nobody already a member elsewhere.
        scope = resolve_scope(request)
        others = Membership.objects.filter(user=OuterRef("pk"))
        if scope is not None and scope.district is not None:
            others = others.exclude(district=scope.district)
        return super().linkable_users(request, db_field).filter(~Exists(others))

    def get_tenant_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        caseload = (
            Membership.caseload.through.objects.filter(membership=OuterRef("pk"))
            .order_by()
            .values("membership")
            .annotate(n=Count("pk"))
            .values("n")  # type: ignore[misc]
        )
        annotated: QuerySet[Any] = queryset.annotate(
            n_caseload=Coalesce(Subquery(caseload, output_field=IntegerField()), Value(0))
        )
        return annotated.prefetch_related(
            Prefetch("schools", queryset=School.objects.order_by("code"))
        )

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and obj.user_id == request.user.pk

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._own(request, obj)

    @admin.display(description="name")
    def full_name(self, obj: Membership) -> str:
        return obj.user.get_full_name() or "-"

    @admin.display(description="schools")
    def school_codes(self, obj: Membership) -> str:
        return ", ".join(s.code for s in obj.schools.all()) or "-"

    @admin.display(description="caseload", ordering="n_caseload")
    def caseload_size(self, obj: Any) -> int:
        return int(obj.n_caseload)

    @admin.display(description="can sign in to the admin", boolean=True)
    def staff_access(self, obj: Membership) -> bool:
        return bool(obj.user.is_staff and obj.user.is_active)

    @admin.display(description="caseload (set on each student's page)")
    def caseload_students(self, obj: Membership) -> str:
        if obj.pk is None:
            return "-"
        students = obj.caseload.order_by("last_name", "first_name")
        return ", ".join(str(s) for s in students) or "-"


class DeliveryFilter(TenantListFilter):
    title = "delivery"
    parameter_name = "delivery"
    CHOICES = {
        "pending": Q(sent_at__isnull=True, attempts__lt=notify.MAX_ATTEMPTS),
        "sent": Q(sent_at__isnull=False),
        "given_up": Q(sent_at__isnull=True, attempts__gte=notify.MAX_ATTEMPTS),
    }

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("pending", "Pending"), ("sent", "Sent"), ("given_up", "Given up")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(self.CHOICES[value]) if value in self.CHOICES else queryset.none()


@admin.register(Notification)
class NotificationAdmin(TenantAdmin):
    """The email outbox, read-only: rows are written by `staffing.notify` and sent by workers.
    Directors only, since each row holds one person's alert."""

    view_roles = DIRECTORS
    edit_roles = frozenset()
    list_display = ["created_at", "user", "subject", "urgent", "sent_at", "attempts"]
    list_filter = ["urgent", DeliveryFilter]
    list_select_related = ["user"]
    search_fields = ["key", "subject", "user__username", "user__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fields = (
        "user",
        "key",
        "subject",
        "body",
        "urgent",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
