"""Bundle import jobs: a director sends a zip and follows its import (allocations.api.imports)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from allocations.api.imports import import_job_create
from allocations.api.models import ImportJob
from staffing.api.base import TenantViewSet
from staffing.api.fields import ModelSerializer
from staffing.tenancy import DIRECTOR, DIRECTORS


class ImportJobSerializer(ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "status",
            "file_name",
            "size_bytes",
            "progress_percent",
            "progress_note",
            "errors",
            "summary",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(help_text="The bundle as a zip (docs/data-format.md).")


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """A bundle import replaces all of the district's data: the director's act, and the
    director's to follow."""

    queryset = ImportJob.objects.order_by("-pk")
    serializer_class = ImportJobSerializer
    write_roles = DIRECTORS
    parser_classes = [MultiPartParser]
    filterset_fields = ["status"]

    def get_tenant_queryset(self, queryset: Any) -> Any:
        return queryset if self.scope.role == DIRECTOR else queryset.none()

    @extend_schema(request=ImportUploadSerializer, responses={202: ImportJobSerializer})
    def create(self, request: Request, format: str | None = None) -> Response:
        body = ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        try:
            job = import_job_create(
                district=self.district,
                user=request.user,
                file_name=upload.name,
                # One byte over the limit is enough for the service to refuse it.
                data=upload.read(settings.API_IMPORT_MAX_BYTES + 1),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"file": exc.messages}) from exc
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
