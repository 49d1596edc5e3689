"""Invitations by email. Each row is also the record of who invited whom, and when it was used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffing.models import Membership, School, TenantModel


class InvitationBase(TenantModel):
    """An invitation of one email address, made by `invited_by`, reaching `user`: an account
    that belongs to no other district, or one made for this invitation (`made_account`). The
    link's token is stored as a keyed hash; `accepted_at` makes it single-use."""

    email = models.EmailField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    made_account = models.BooleanField(
        help_text="Made for this invitation: the address matched none to link."
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"invitation of {self.email}"


class StaffInvitation(InvitationBase):
    """An invitation to a membership: a role, and a case manager's schools."""

    role = models.CharField(max_length=16, choices=Membership.Role.choices)
    schools = models.ManyToManyField(School, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["district", "user"])]
