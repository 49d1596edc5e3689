"""API tokens: how a district's other systems call the API."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from staffing.models import TenantModel


class ApiToken(TenantModel):
    """A named token of one district, made by its director. Only a hash of the secret is kept
    (`token_hash`); `prefix` is its first characters, to tell tokens apart. The token acts as
    the director who made it, so it stops working when that person is no longer the
    district's director; a revoked token never works again. A re-import of the district keeps
    its tokens, as it keeps its memberships (allocations.bundle.erase)."""

    name = models.CharField(max_length=100, help_text="What uses it (the SIS sync, ...).")
    prefix = models.CharField(max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="apitoken_district_name_uniq",
                violation_error_message="The district has a token of that name already.",
            )
        ]
        indexes = [models.Index(fields=["district", "created_at"], name="apitoken_district_idx")]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
