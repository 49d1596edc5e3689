"""The weekly shortfall report: one stored row per district and week."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from staffing.models import TenantModel


class ShortfallReport(TenantModel):
    """The district's record of a week: where it falls short of its IEP mandates, why, and what
    would fix it. Written whole in one transaction (`reports.services`), so a reader sees the
    previous report or the new one, never half of one; a job that fails leaves the row failed,
    with its error, until a later build of the week replaces it."""

    class Status(models.TextChoices):
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    week_start = models.DateField(help_text="The Monday of the week reported on.")
    status = models.CharField(max_length=16, choices=Status.choices)
    run = models.ForeignKey(
        "allocations.AllocationRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The plan the figures were read from.",
    )
    content = models.JSONField(default=dict, blank=True, help_text="Every figure of the report.")
    error = models.TextField(blank=True)
    built_at = models.DateTimeField()
    build_seconds = models.FloatField(default=0)
    builds = models.PositiveIntegerField(default=1, help_text="Times the week was built.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "week_start"], name="one_report_per_district_week"
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""), name="failed_report_says_why"
            ),
        ]

    def __str__(self) -> str:
        return f"Shortfall report, week of {self.week_start} ({self.get_status_display()})"
