"""The delivery ledger, compensatory balances and weekly shortfall reports.

Case managers see their students' records and balances and may correct a record (through the
ledger's service, which checks their reach again); a report shows them their schools only, as
its page does."""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from allocations.api import serializers as s
from allocations.ledger.models import DeliveryRecord
from allocations.ledger.selectors import compensatory_balances
from allocations.ledger.services import delivery_correct
from allocations.reports.models import ShortfallReport
from allocations.reports.render import view_of
from allocations.reports.scoped import reader_of
from staffing.api.base import Pages, TenantViewSet
from staffing.models import Aide
from students.models import Student


class DeliveryFilter(filters.FilterSet):  # type: ignore[misc]
    student = filters.NumberFilter(field_name="student_id")
    mandate = filters.NumberFilter(field_name="mandate_id")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = DeliveryRecord
        fields = ["date", "outcome", "is_current", "student_code", "school_code"]


class DeliveryRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """What happened to each due block of each school day. Corrections never edit a record:
    they add a new one that replaces it (`?is_current=true` for the latest versions)."""

    queryset = DeliveryRecord.objects.order_by("-date", "student_code", "start", "pk")
    serializer_class = s.DeliveryRecordSerializer
    filterset_class = DeliveryFilter
    student_path = "student"

    @extend_schema(request=s.DeliveryCorrectSerializer, responses={201: s.DeliveryRecordSerializer})
    @action(detail=True, methods=["post"])
    def correct(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:
        record = self.get_object()
        body = s.DeliveryCorrectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        aide = None
        if data["aide"]:
            aide = Aide.objects.filter(district=self.district, code=data["aide"]).first()
            if aide is None:
                raise ValidationError({"aide": ["No such aide in your district."]})
        corrected = delivery_correct(
            user=request.user,
            record=record,
            outcome=data["outcome"],
            aide=aide,
            cause=data["cause"],
            note=data["note"],
        )
        return Response(s.DeliveryRecordSerializer(corrected).data, status=201)


class BalanceViewSet(TenantViewSet):
    """Compensatory minutes per student and mandate: accrued, pending, reversed, made up,
    adjusted and owed."""

    queryset = Student.objects.all()
    student_path = ""
    serializer_class = s.BalanceSerializer
    pagination_class = Pages

    @extend_schema(
        parameters=[OpenApiParameter("student", int, description="One student's balances.")],
        responses={200: s.BalanceSerializer(many=True)},
    )
    def list(self, request: Request, format: str | None = None) -> Response:
        students = self.get_queryset()
        student = request.query_params.get("student", "")
        if student:
            students = students.filter(pk=int(student) if student.isdigit() else 0)
        rows = compensatory_balances(
            district=self.district, student_ids=students.values_list("pk", flat=True)
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.BalanceSerializer(page, many=True).data)

    def student_records_read(self, rows: Any) -> None:
        super().student_records_read(
            [Student(pk=row.student_id) for row in rows if row.student_id is not None]
        )


class ReportFilter(filters.FilterSet):  # type: ignore[misc]
    class Meta:
        model = ShortfallReport
        fields = ["week_start", "status"]


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Weekly shortfall reports; a report's figures as its reader may see them."""

    queryset = ShortfallReport.objects.order_by("-week_start")
    serializer_class = s.ReportSerializer
    filterset_class = ReportFilter

    @extend_schema(responses={200: s.ReportDetailSerializer})
    def retrieve(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:
        report = self.get_object()
        figures = None
        if report.status == ShortfallReport.Status.READY:
            figures = view_of(report, reader_of(self.scope, report.content))
        return Response(s.ReportDetailSerializer(report, context={"figures": figures}).data)
