"""Staffing's resources as JSON."""

from __future__ import annotations

from staffing.api.fields import ModelSerializer
from staffing.models import Aide, AideQualification, AvailabilityWindow, Contract, School


class SchoolSerializer(ModelSerializer):
    class Meta:
        model = School
        fields = ["id", "code", "name"]


class ContractSerializer(ModelSerializer):
    class Meta:
        model = Contract
        fields = [
            "id",
            "code",
            "agency",
            "starts_on",
            "ends_on",
            "weekly_minute_cap",
            "hourly_rate",
        ]


class QualificationSerializer(ModelSerializer):
    class Meta:
        model = AideQualification
        fields = ["qualification", "expires_on"]


class AvailabilitySerializer(ModelSerializer):
    class Meta:
        model = AvailabilityWindow
        fields = ["weekday", "start", "end"]


class AideSerializer(ModelSerializer):
    qualifications = QualificationSerializer(many=True, read_only=True)
    availability = AvailabilitySerializer(many=True, read_only=True)

    class Meta:
        model = Aide
        fields = [
            "id",
            "code",
            "name",
            "contract",
            "schools",
            "max_weekly_minutes",
            "hourly_cost",
            "qualifications",
            "availability",
        ]
