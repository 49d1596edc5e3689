"""Serializer fields and the serializer base that every API resource shares."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from staffing.timeofday import TimeOfDayField, format_hhmm, parse_hhmm


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "08:30"})
class TimeOfDay(serializers.Field):  # type: ignore[type-arg]
    """A time of day as "HH:MM" (stored as minutes since midnight)."""

    def __init__(self, **kwargs: Any) -> None:
        # What a ModelSerializer gives the integer column it stands for; parse_hhmm checks more.
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        super().__init__(**kwargs)

    def to_representation(self, value: int) -> str:
        return format_hhmm(value)

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, str):
            raise serializers.ValidationError("Give a time of day as HH:MM.")
        try:
            return parse_hhmm(data)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class ModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Times of day shown as "HH:MM", never as raw minutes."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        TimeOfDayField: TimeOfDay,
    }


__all__ = ["ModelSerializer", "OpenApiTypes", "TimeOfDay"]
