"""The top layer's resources: absences, the week's plan, runs, alerts. Views parse, call one
service or selector, and serialize; refusals come back in the API's one error shape."""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from allocations.absences import AbsenceError, absence_cancel, absence_record, absence_replan
from allocations.alerts import alert_acknowledge, alert_resolve
from allocations.api import serializers as s
from allocations.models import Alert, AllocationRun, Assignment, UnstaffedRun
from allocations.services import AllocationError, allocation_run_queue
from staffing.api.base import TenantViewSet
from staffing.models import Absence
from staffing.tenancy import DIRECTORS


class AbsenceFilter(filters.FilterSet):  # type: ignore[misc]
    aide = filters.NumberFilter(field_name="aide_id")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Absence
        fields = ["date"]


def _absence_refused(exc: AbsenceError) -> exceptions.ValidationError:
    """The service's refusal in the API's terms: its fields, or the absence as a whole."""
    if not exc.fields:
        return exceptions.ValidationError({"non_field_errors": [exc.message]})
    return exceptions.ValidationError({name: [exc.message] for name in exc.fields})


class AbsenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, TenantViewSet
):
    """Aides' absences. Recording or cancelling one re-plans the school-days it touches at
    once, exactly as `record_absence` does, and answers with that re-plan."""

    queryset = Absence.objects.select_related("aide").order_by("-date", "aide__code", "pk")
    serializer_class = s.AbsenceSerializer
    filterset_class = AbsenceFilter

    @extend_schema(request=s.AbsenceCreateSerializer, responses={201: s.AbsenceReplanSerializer})
    def create(self, request: Request, format: str | None = None) -> Response:
        body = s.AbsenceCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            absence = absence_record(
                district=self.district,
                aide_code=data["aide"],
                on=data["date"],
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
            )
        except AbsenceError as exc:
            raise _absence_refused(exc) from exc
        replan = absence_replan(
            district=self.district,
            aide_id=absence.aide_id,
            on=absence.date,
            trigger=f"absence of {absence.aide.code} recorded through the API",
        )
        answer = s.AbsenceReplanSerializer({"absence": absence, "replan": replan})
        return Response(answer.data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.AbsenceReplanSerializer})
    def destroy(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:
        absence = self.get_object()
        removed = absence_cancel(district=self.district, absence_id=absence.pk)
        replan = absence_replan(
            district=self.district,
            aide_id=removed.aide_id,
            on=removed.date,
            trigger=f"absence of {removed.aide.code} cancelled through the API",
        )
        return Response(s.AbsenceReplanSerializer({"absence": removed, "replan": replan}).data)


class PlanFilter(filters.FilterSet):  # type: ignore[misc]
    """The week's plan: the current run's rows (`week` is its Monday)."""

    week = filters.DateFilter(field_name="run__week_start")
    run = filters.NumberFilter(field_name="run_id")
    school = filters.NumberFilter(field_name="mandate__student__school_id")
    student = filters.NumberFilter(field_name="mandate__student_id")
    mandate = filters.NumberFilter(field_name="mandate_id")


def _current_plan(view: TenantViewSet, queryset: Any) -> Any:
    """A list shows the current plan's rows unless `?run=` names a run; one row by id is found
    whichever run it belongs to."""
    if view.action != "list" or "run" in view.request.query_params:
        return queryset
    return queryset.filter(run__is_current=True)


class AssignmentFilter(PlanFilter):
    aide = filters.NumberFilter(field_name="aide_id")

    class Meta:
        model = Assignment
        fields = ["date"]


class UnstaffedFilter(PlanFilter):
    class Meta:
        model = UnstaffedRun
        fields = ["date", "reason"]


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Who works with whom, when: the week's plan (`?week=YYYY-MM-DD`); `?run=` for an older
    run's rows."""

    queryset = Assignment.objects.select_related("run", "mandate").order_by(
        "date", "start", "mandate_id", "pk"
    )
    serializer_class = s.AssignmentSerializer
    filterset_class = AssignmentFilter
    student_path = "mandate__student"

    def get_tenant_queryset(self, queryset: Any) -> Any:
        return _current_plan(self, queryset)


class UnstaffedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """What the week's plan leaves unstaffed, and why."""

    queryset = UnstaffedRun.objects.select_related("run", "mandate").order_by(
        "date", "start", "mandate_id", "pk"
    )
    serializer_class = s.UnstaffedSerializer
    filterset_class = UnstaffedFilter
    student_path = "mandate__student"

    def get_tenant_queryset(self, queryset: Any) -> Any:
        return _current_plan(self, queryset)


class RunFilter(filters.FilterSet):  # type: ignore[misc]
    class Meta:
        model = AllocationRun
        fields = ["week_start", "status", "is_current"]


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Allocation runs and their progress. Starting one replaces the week's plan for every
    school: the director's act (a token acts as its director)."""

    queryset = AllocationRun.objects.order_by("-pk")
    serializer_class = s.RunSerializer
    filterset_class = RunFilter
    write_roles = DIRECTORS

    @extend_schema(request=s.RunStartSerializer, responses={202: s.RunSerializer})
    def create(self, request: Request, format: str | None = None) -> Response:
        body = s.RunStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            run = allocation_run_queue(
                district=self.district,
                week_start=body.validated_data["week_start"],
                started_by=request.user,
            )
        except AllocationError as exc:
            refusal = str(exc).removeprefix("--week ")
            raise exceptions.ValidationError({"week_start": [refusal]}) from exc
        return Response(s.RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class AlertFilter(filters.FilterSet):  # type: ignore[misc]
    school = filters.NumberFilter(field_name="school_id")
    student = filters.NumberFilter(field_name="student_id")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Alert
        fields = ["status", "kind", "severity", "cause", "date"]


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Alerts, most urgent first; staff who reach the student acknowledge and resolve them."""

    queryset = Alert.objects.order_by("rank", "date", "pk")
    serializer_class = s.AlertSerializer
    filterset_class = AlertFilter
    student_path = "student"

    @extend_schema(request=None, responses={200: s.AlertSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:
        alert = self.get_object()
        done = alert_acknowledge(district=self.district, user=request.user, alert_id=alert.pk)
        return Response(s.AlertSerializer(done).data)

    @extend_schema(request=s.AlertResolveSerializer, responses={200: s.AlertSerializer})
    @action(detail=True, methods=["post"])
    def resolve(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:
        alert = self.get_object()
        body = s.AlertResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = alert_resolve(
            district=self.district,
            user=request.user,
            alert_id=alert.pk,
            note=body.validated_data["note"],
        )
        return Response(s.AlertSerializer(done).data)
