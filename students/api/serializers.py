"""Students' resources as JSON."""

from __future__ import annotations

from staffing.api.fields import ModelSerializer
from students.models import MandateBlock, ParaMandate, Student


class StudentSerializer(ModelSerializer):
    class Meta:
        model = Student
        fields = ["id", "code", "school", "first_name", "last_name", "grade"]


class BlockSerializer(ModelSerializer):
    class Meta:
        model = MandateBlock
        fields = ["id", "setting", "location", "weekday", "start", "end"]


class MandateSerializer(ModelSerializer):
    blocks = BlockSerializer(many=True, read_only=True)

    class Meta:
        model = ParaMandate
        fields = [
            "id",
            "code",
            "student",
            "support",
            "max_group",
            "required_qualifications",
            "starts_on",
            "ends_on",
            "blocks",
        ]
