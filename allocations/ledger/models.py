"""The delivery ledger: what happened to each due block, kept as evidence a parent can take to a
state complaint. Rows carry codes beside their foreign keys so that a district re-import, which
replaces students, mandates and aides, leaves the history readable (and re-linkable by code).

The models moved here from `students`; their tables keep the names they were created with
(`db_table`), so the move changed no schema (allocations migration 0005).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from allocations.engine.causes import LEDGER_CAUSES, Cause
from allocations.labels import cause_choices
from staffing.models import TenantModel
from staffing.timeofday import TimeOfDayField, format_span
from students.models import ParaMandate, Setting, Student


class DeliveryRecord(TenantModel):
    """What happened to one due span of one mandate block on one school day.

    Never edited: a correction is a new row that `replaces` this one, which stops being current.
    """

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        MISSED = "missed", "Missed"
        UNQUALIFIED = "unqualified", "Covered by someone who lacked a required qualification"

    Cause = Cause  # what the ledger can say (engine.causes.LEDGER_CAUSES)

    date = models.DateField()
    student = models.ForeignKey(
        Student, null=True, on_delete=models.SET_NULL, related_name="delivery_records"
    )
    mandate = models.ForeignKey(
        ParaMandate, null=True, on_delete=models.SET_NULL, related_name="delivery_records"
    )
    aide = models.ForeignKey(
        "staffing.Aide", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    student_code = models.CharField(max_length=64)
    mandate_code = models.CharField(max_length=64)
    school_code = models.CharField(max_length=64)
    aide_code = models.CharField(max_length=64, blank=True)
    setting = models.CharField(max_length=16, choices=Setting.choices)
    location = models.CharField(max_length=100)
    start = TimeOfDayField()
    end = TimeOfDayField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    cause = models.CharField(max_length=32, choices=cause_choices(LEDGER_CAUSES), blank=True)
    missing_qualifications = models.CharField(
        max_length=500, blank=True, help_text="Qualification codes separated by ';'."
    )
    note = models.TextField(blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    is_current = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "students_deliveryrecord"
        ordering = ["date", "start", "mandate_code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")) & Q(end__lte=1440),
                name="delivery_end_after_start",
            ),
            # The day close writes each due span once: this key is what makes it idempotent.
            models.UniqueConstraint(
                fields=["district", "date", "mandate_code", "setting", "location", "start"],
                condition=Q(replaces__isnull=True),
                name="delivery_original_once",
            ),
            # A record is corrected at most once; later corrections correct the correction.
            models.UniqueConstraint(
                fields=["district", "replaces"],
                condition=Q(replaces__isnull=False),
                name="delivery_corrected_once",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "date"]),
            models.Index(fields=["district", "student_code", "date"]),
            models.Index(fields=["district", "student", "date"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.date} {format_span(self.start, self.end)} {self.mandate_code} "
            f"{self.get_outcome_display()}"
        )

    @property
    def minutes(self) -> int:
        return int(self.end) - int(self.start)


class CompensatoryEntry(TenantModel):
    """One movement of a student's compensatory minutes for one mandate.

    Minutes are always positive; the kind gives the sign (accruals and adjustments add to what is
    owed, reversals and make-up sessions take away).
    """

    class Kind(models.TextChoices):
        ACCRUAL = "accrual", "Accrued (missed or unqualified service)"
        REVERSAL = "reversal", "Reversed (the record was corrected)"
        MAKEUP = "makeup", "Make-up session delivered"
        ADJUSTMENT = "adjustment", "Adjustment (IEP-team award)"

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Pending IEP-team decision"
        DECLINED = "declined", "Declined by the IEP team"

    student = models.ForeignKey(
        Student, null=True, on_delete=models.SET_NULL, related_name="compensatory_entries"
    )
    mandate = models.ForeignKey(
        ParaMandate, null=True, on_delete=models.SET_NULL, related_name="compensatory_entries"
    )
    student_code = models.CharField(max_length=64)
    mandate_code = models.CharField(max_length=64)
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    minutes = models.PositiveIntegerField()
    source = models.ForeignKey(
        DeliveryRecord,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compensatory_entries",
    )
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    aide = models.ForeignKey(
        "staffing.Aide", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    aide_code = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "students_compensatoryentry"
        ordering = ["date", "pk"]
        verbose_name_plural = "compensatory entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0), name="compensatory_minutes_positive"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="accrual")
                    & Q(source__isnull=False)
                    & Q(status__in=["approved", "pending", "declined"])
                )
                | (Q(kind="reversal") & Q(reverses__isnull=False) & Q(status=""))
                | (Q(kind__in=["makeup", "adjustment"]) & Q(status="")),
                name="compensatory_kind_fields",
            ),
            models.UniqueConstraint(
                fields=["district", "source"],
                condition=Q(kind="accrual"),
                name="compensatory_one_accrual_per_record",
            ),
            models.UniqueConstraint(
                fields=["district", "reverses"],
                condition=Q(reverses__isnull=False),
                name="compensatory_reversed_once",
            ),
        ]
        indexes = [models.Index(fields=["district", "student_code", "mandate_code"])]

    def __str__(self) -> str:
        return f"{self.date} {self.mandate_code} {self.get_kind_display()} {self.minutes} min"

    @property
    def signed_minutes(self) -> int:
        adds = self.kind in (self.Kind.ACCRUAL, self.Kind.ADJUSTMENT)
        return self.minutes if adds else -self.minutes


class MissedDaysNotice(TenantModel):
    """A student whose mandated services were missed on enough school days of a school year that
    the state requires the parents to be told (Illinois: written notice once the district's
    threshold of school days is reached)."""

    student = models.ForeignKey(
        Student, null=True, on_delete=models.SET_NULL, related_name="missed_days_notices"
    )
    student_code = models.CharField(max_length=64)
    school_year_start = models.DateField(help_text="July 1 of the school year.")
    days = models.PositiveSmallIntegerField(
        help_text="School days with missed service when flagged."
    )
    threshold = models.PositiveSmallIntegerField()
    flagged_on = models.DateField()
    parents_notified_on = models.DateField(null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "students_misseddaysnotice"
        ordering = ["-flagged_on", "student_code"]
        constraints = [
            # The code, not the foreign key: a notice outlives a re-import that drops the student.
            models.UniqueConstraint(
                fields=["district", "student_code", "school_year_start"],
                name="missed_days_notice_once_a_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_code}: {self.days} days missed ({self.school_year_start.year})"
