"""Students and their mandates (with blocks): read-only, limited to the caller's students."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import mixins

from staffing.api.base import TenantViewSet
from students.api import serializers
from students.models import MandateBlock, ParaMandate, Student


class StudentFilter(filters.FilterSet):  # type: ignore[misc]
    # A plain number, never a choice checked against every district's schools.
    school = filters.NumberFilter(field_name="school_id")

    class Meta:
        model = Student
        fields = ["code", "grade"]


class StudentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    queryset = Student.objects.order_by("last_name", "first_name", "code")
    serializer_class = serializers.StudentSerializer
    filterset_class = StudentFilter
    student_path = ""


class MandateFilter(filters.FilterSet):  # type: ignore[misc]
    student = filters.NumberFilter(field_name="student_id")
    school = filters.NumberFilter(field_name="student__school_id")

    class Meta:
        model = ParaMandate
        fields = ["code", "support"]


class MandateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Mandates with their weekly blocks."""

    queryset = ParaMandate.objects.order_by("code").prefetch_related(
        Prefetch("blocks", MandateBlock.objects.order_by("weekday", "start", "pk"))
    )
    serializer_class = serializers.MandateSerializer
    filterset_class = MandateFilter
    student_path = "student"
