"""The top layer's resources as JSON, and the bodies its actions take."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from allocations.ledger.models import DeliveryRecord
from allocations.models import Alert, AllocationRun, Assignment, PlanRepair, UnstaffedRun
from allocations.reports.models import ShortfallReport
from staffing.api.fields import ModelSerializer, TimeOfDay
from staffing.models import Absence


class AbsenceSerializer(ModelSerializer):
    aide_code = serializers.CharField(source="aide.code", read_only=True)

    class Meta:
        model = Absence
        fields = ["id", "aide", "aide_code", "date", "start", "end", "reason"]


class AbsenceCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An absence as `record_absence` takes it: the aide's code, the date, and both or neither
    of start and end (the whole day)."""

    aide = serializers.CharField(max_length=64, help_text="The aide's code.")
    # YYYY-MM-DD only (ISO 8601 parsing also reads 20261201 and 2026-W49-3), in the date window.
    date = serializers.DateField(
        input_formats=["%Y-%m-%d"], validators=Absence._meta.get_field("date").validators
    )
    start = TimeOfDay(required=False, allow_null=True, default=None)
    end = TimeOfDay(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class RepairSerializer(ModelSerializer):
    class Meta:
        model = PlanRepair
        fields = [
            "id",
            "date",
            "school_ids",
            "trigger",
            "covered_before",
            "covered_after",
            "moved_minutes",
            "changes",
            "unstaffed",
            "total_seconds",
        ]


class ReplanSerializer(serializers.Serializer):  # type: ignore[type-arg]
    repair = RepairSerializer(allow_null=True)
    note = serializers.CharField()


class AbsenceReplanSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An absence recorded or cancelled, and the re-plan of the day it touched."""

    absence = AbsenceSerializer()
    replan = ReplanSerializer()


class AssignmentSerializer(ModelSerializer):
    student = serializers.IntegerField(source="mandate.student_id", read_only=True)
    week_start = serializers.DateField(source="run.week_start", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "run",
            "week_start",
            "date",
            "start",
            "end",
            "aide",
            "mandate",
            "block",
            "student",
        ]


class UnstaffedSerializer(ModelSerializer):
    student = serializers.IntegerField(source="mandate.student_id", read_only=True)
    week_start = serializers.DateField(source="run.week_start", read_only=True)

    class Meta:
        model = UnstaffedRun
        fields = [
            "id",
            "run",
            "week_start",
            "date",
            "start",
            "end",
            "mandate",
            "block",
            "student",
            "reason",
        ]


class RunSerializer(ModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "week_start",
            "status",
            "state",
            "is_current",
            "created_at",
            "started_at",
            "finished_at",
            "progress_percent",
            "progress_note",
            "error",
            "due_minutes",
            "covered_minutes",
            "safety_due_minutes",
            "safety_covered_minutes",
            "bound_minutes",
            "bound_kind",
            "total_seconds",
        ]
        read_only_fields = fields


class RunStartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    week_start = serializers.DateField(help_text="The Monday of the week to plan.")


class AlertSerializer(ModelSerializer):
    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "severity",
            "cause",
            "status",
            "title",
            "detail",
            "date",
            "school",
            "student",
            "mandate",
            "aide",
            "contract",
            "minutes",
            "suggestions",
            "opened_at",
            "acknowledged_at",
            "resolved_at",
            "resolution_note",
        ]
        read_only_fields = fields


class AlertResolveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(help_text="How it was resolved (who covered, what was decided).")


class DeliveryRecordSerializer(ModelSerializer):
    class Meta:
        model = DeliveryRecord
        fields = [
            "id",
            "date",
            "student",
            "mandate",
            "aide",
            "student_code",
            "mandate_code",
            "school_code",
            "aide_code",
            "setting",
            "location",
            "start",
            "end",
            "outcome",
            "cause",
            "missing_qualifications",
            "note",
            "replaces",
            "is_current",
            "recorded_at",
        ]
        read_only_fields = fields


class DeliveryCorrectSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(choices=DeliveryRecord.Outcome.choices)
    aide = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Aide code; empty keeps the record's.",
    )
    cause = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    note = serializers.CharField(help_text="Why the record is corrected.")


class BalanceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    student_id = serializers.IntegerField(allow_null=True)
    student_code = serializers.CharField()
    mandate_id = serializers.IntegerField(allow_null=True)
    mandate_code = serializers.CharField()
    accrued = serializers.IntegerField()
    pending = serializers.IntegerField()
    reversed = serializers.IntegerField()
    made_up = serializers.IntegerField()
    adjusted = serializers.IntegerField()
    owed = serializers.IntegerField()


class ReportSerializer(ModelSerializer):
    class Meta:
        model = ShortfallReport
        fields = ["id", "week_start", "status", "run", "built_at", "error"]
        read_only_fields = fields


class MinutesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField()  # type: ignore[assignment]
    due = serializers.IntegerField()
    staffed = serializers.IntegerField()
    unstaffed = serializers.IntegerField()


class ReportFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The report's figures as the reader may see them (a case manager: their schools)."""

    whole = serializers.BooleanField(help_text="False: limited to the reader's schools.")
    total = MinutesSerializer()
    safety = MinutesSerializer()
    schools = MinutesSerializer(many=True)
    settings = MinutesSerializer(many=True)
    supports = MinutesSerializer(many=True)


class ReportDetailSerializer(ReportSerializer):
    figures = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "figures"]
        read_only_fields = fields

    @extend_schema_field(ReportFiguresSerializer(allow_null=True))
    def get_figures(self, report: ShortfallReport) -> dict[str, Any] | None:
        view = self.context.get("figures")
        return ReportFiguresSerializer(view).data if view is not None else None
