"""Bundle imports sent to the API, run by a worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from staffing.models import TenantModel


class ImportJob(TenantModel):
    """One bundle zip sent to the API and its import (`allocations.api.imports`).

    The zip is kept in the row until the import ends (a worker on another machine reads it
    from there), then dropped. `errors` holds every error in the import command's terms
    (`FILE line N, column C: what is wrong`). A re-import keeps the district's jobs, the one
    running it included (allocations.bundle.erase)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=200)
    size_bytes = models.PositiveBigIntegerField()
    archive = models.BinaryField(editable=False)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["district", "-created_at"], name="importjob_district_idx")]
        verbose_name = "bundle import"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"
