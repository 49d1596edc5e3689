"""The guardian invitation: an email invited to be a guardian of one student."""

from __future__ import annotations

from django.db import models

from staffing.invitations.models import InvitationBase
from students.models import Student


class GuardianInvitation(InvitationBase):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    relationship = models.CharField(max_length=50, default="parent")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["district", "user"])]
