"""One row per read of one student's records. Who, which student and the role are kept as text
beside their ids, so the record outlives a re-import (which replaces students) and an account's
removal: the ids are not foreign keys that a delete would cascade or null."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from staffing.models import TenantModel
from students.models import Student


class StudentAccess(TenantModel):
    class Door(models.TextChoices):
        ADMIN = "admin", _("administration pages")
        API = "api", _("district systems (API)")
        PORTAL = "portal", _("family portal")
        REPORT = "report", _("reports")
        EXPORT = "export", _("exported file")

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        CASE_MANAGER = "case_manager", _("Case manager")
        PARENT = "parent", _("Parent or guardian")
        OPERATOR = "operator", _("ParaCover operator")
        OTHER = "other", _("Other account")

    at = models.DateTimeField()
    # Links without database constraints: deleting an account or a student leaves the record
    # as it was (a cascade or SET NULL would be a DELETE or UPDATE, which the trigger refuses).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )  # fmt: skip
    user_name = models.CharField(
        max_length=300, help_text="Full name then; empty if the account had none."
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    student = models.ForeignKey(
        Student, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    student_code = models.CharField(max_length=64)
    what = models.CharField(max_length=200)
    door = models.CharField(max_length=8, choices=Door.choices)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "student record access"
        verbose_name_plural = "student record accesses"
        indexes = [
            models.Index(fields=["district", "student_code", "at"], name="access_student_at"),
            models.Index(fields=["district", "at"], name="access_district_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user_name} read {self.student_code} ({self.door}, {self.at:%Y-%m-%d %H:%M})"
