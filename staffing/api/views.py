"""Staffing's resources: district-wide for every member of the district, as in the admin
(aides float between schools, and finding cover is the case manager's job)."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import mixins

from staffing.api import serializers
from staffing.api.base import TenantViewSet
from staffing.models import Aide, AideQualification, AvailabilityWindow, Contract, School


class AideFilter(filters.FilterSet):  # type: ignore[misc]
    # Ids as plain numbers: a choice filter would check them against every district's rows and
    # answer differently for another district's id than for one that does not exist.
    contract = filters.NumberFilter(field_name="contract_id")
    school = filters.NumberFilter(field_name="schools__id", distinct=True)

    class Meta:
        model = Aide
        fields = ["code"]


class SchoolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    queryset = School.objects.order_by("code")
    serializer_class = serializers.SchoolSerializer
    filterset_fields = ["code"]


class ContractViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    queryset = Contract.objects.order_by("code")
    serializer_class = serializers.ContractSerializer
    filterset_fields = ["code", "agency"]


class AideViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Aides with their qualifications (and expiry) and weekly availability."""

    queryset = Aide.objects.order_by("code").prefetch_related(
        "schools",
        Prefetch("qualifications", AideQualification.objects.order_by("qualification")),
        Prefetch("availability", AvailabilityWindow.objects.order_by("weekday", "start")),
    )
    serializer_class = serializers.AideSerializer
    filterset_class = AideFilter
