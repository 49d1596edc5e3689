"""The district side: the tenant, its schools, its people and what limits their time."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from staffing.timeofday import WEEKDAY_CHOICES, TimeOfDayField, format_span, on_grid
from staffing.validators import (
    AT_MOST_A_WEEK,
    CODE_VALIDATOR,
    DAY_IN_WINDOW,
    NOT_NEGATIVE,
    SPAN_DATE_IN_WINDOW,
    column_max,
)

# Constraint messages shared with students' models: what the admin shows when a check fails.
ON_GRID_MESSAGE = "{what} must be on the 15-minute grid (:00, :15, :30 or :45)."
WEEKDAY_MESSAGE = "Choose a weekday from Monday to Sunday."


def code_field() -> models.CharField:  # type: ignore[type-arg]
    return models.CharField(max_length=64, validators=[CODE_VALIDATOR])


def default_safety_qualifications() -> list[str]:
    """The bundle spec's default safety tier: mandates requiring MEDICAL or PERSONAL_CARE."""
    return ["MEDICAL", "PERSONAL_CARE"]


def validate_qualification_codes(value: object) -> None:
    """A list of distinct qualification codes (an empty list: only 1:1 mandates are safety-tier)."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(
            'Give a list of qualification codes, like ["MEDICAL"].', code="not_a_list"
        )
    for code in value:
        try:
            CODE_VALIDATOR(code)
        except ValidationError as exc:
            # A code of its own: JSONField words every "invalid" error as "not valid JSON".
            raise ValidationError(
                f"{code!r}: {exc.messages[0]}", code="qualification_code"
            ) from exc
    if len(set(value)) != len(value):
        raise ValidationError("Give each qualification code once.", code="repeated_code")


class District(models.Model):
    class CompensatoryPolicy(models.TextChoices):
        AUTOMATIC = "automatic", "Accrue automatically"
        IEP_TEAM = "iep_team", "Accrue pending IEP-team decision"

    code = models.CharField(max_length=64, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="America/Chicago")
    compensatory_policy = models.CharField(
        max_length=16, choices=CompensatoryPolicy.choices, default=CompensatoryPolicy.AUTOMATIC
    )
    missed_days_notice_threshold = models.PositiveSmallIntegerField(
        default=10,
        validators=[column_max("PositiveSmallIntegerField")],
        help_text="School days with missed service before parents must be notified.",
    )
    safety_qualifications = models.JSONField(
        default=default_safety_qualifications,
        blank=True,
        validators=[validate_qualification_codes],
        help_text=(
            "Qualification codes that put a mandate requiring one of them in the safety tier, "
            "staffed first (1:1 mandates always are)."
        ),
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def safety_codes(self) -> frozenset[str]:
        return frozenset(self.safety_qualifications)


class TenantModel(models.Model):
    """Every tenant-owned row carries its district; every unique key leads with it."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class School(TenantModel):
    code = code_field()
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="school_code_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Membership(TenantModel):
    """A staff user's role in one district.

    A case manager with schools or a caseload (Student.case_managers) sees only those students;
    one with neither sees the whole district.
    """

    class Role(models.TextChoices):
        DIRECTOR = "director", "Special-education director"
        CASE_MANAGER = "case_manager", "Case manager"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    schools = models.ManyToManyField(School, blank=True, related_name="+")

    class Meta:
        constraints = [
            # A staff user belongs to one district: platform-wide, so it cannot lead with
            # district, and a second membership (which would lock the user out) is refused here.
            models.UniqueConstraint(fields=["user"], name="membership_one_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()}"


class Contract(TenantModel):
    code = code_field()
    agency = models.CharField(max_length=200)
    starts_on = models.DateField(validators=[SPAN_DATE_IN_WINDOW])
    ends_on = models.DateField(validators=[SPAN_DATE_IN_WINDOW])
    # The staff of a contract together: no domain bound tighter than the column's.
    weekly_minute_cap = models.PositiveIntegerField(validators=[column_max("PositiveIntegerField")])
    hourly_rate = models.DecimalField(max_digits=8, decimal_places=2, validators=[NOT_NEGATIVE])

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="contract_code_per_district"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message="The contract must not end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.agency})"


class Aide(TenantModel):
    code = code_field()
    name = models.CharField(max_length=200)
    contract = models.ForeignKey(
        Contract,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="Empty for district staff; the supplying contract for agency staff.",
    )
    schools = models.ManyToManyField(School, through="AideSchool", related_name="aides")
    max_weekly_minutes = models.PositiveIntegerField(validators=[AT_MOST_A_WEEK])
    hourly_cost = models.DecimalField(max_digits=8, decimal_places=2, validators=[NOT_NEGATIVE])

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="aide_code_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def employer(self) -> str:
        return self.contract.code if self.contract_id and self.contract else "district"


class AideSchool(TenantModel):
    aide = models.ForeignKey(Aide, on_delete=models.CASCADE)
    school = models.ForeignKey(School, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "aide", "school"], name="aide_school_once")
        ]

    def __str__(self) -> str:
        return f"{self.aide_id} @ {self.school_id}"


class AideQualification(TenantModel):
    aide = models.ForeignKey(Aide, on_delete=models.CASCADE, related_name="qualifications")
    qualification = models.CharField(max_length=64, validators=[CODE_VALIDATOR])
    expires_on = models.DateField(
        null=True,
        blank=True,
        validators=[SPAN_DATE_IN_WINDOW],
        help_text="Last day it is valid; empty means it does not expire.",
    )

    class Meta:
        ordering = ["qualification"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "aide", "qualification"], name="aide_qualification_once"
            )
        ]
        indexes = [models.Index(fields=["district", "qualification"])]

    def __str__(self) -> str:
        until = f" until {self.expires_on}" if self.expires_on else ""
        return f"{self.qualification}{until}"


class AvailabilityWindow(TenantModel):
    aide = models.ForeignKey(Aide, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES)
    start = TimeOfDayField()
    end = TimeOfDayField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=on_grid("start"),
                name="availability_start_on_grid",
                violation_error_message=ON_GRID_MESSAGE.format(what="The window's start"),
            ),
            models.CheckConstraint(
                condition=on_grid("end"),
                name="availability_end_on_grid",
                violation_error_message=ON_GRID_MESSAGE.format(what="The window's end"),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")) & Q(end__lte=1440),
                name="availability_end_after_start",
                violation_error_message=(
                    "The window must end after it starts, and by midnight at the latest."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6),
                name="availability_weekday",
                violation_error_message=WEEKDAY_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["district", "aide", "weekday"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {format_span(self.start, self.end)}"


class Absence(TenantModel):
    aide = models.ForeignKey(Aide, on_delete=models.CASCADE, related_name="absences")
    date = models.DateField(validators=[DAY_IN_WINDOW])
    start = TimeOfDayField(null=True, blank=True)
    end = TimeOfDayField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=on_grid("start"),
                name="absence_start_on_grid",
                violation_error_message=ON_GRID_MESSAGE.format(what="The absence's start"),
            ),
            models.CheckConstraint(
                condition=on_grid("end"),
                name="absence_end_on_grid",
                violation_error_message=ON_GRID_MESSAGE.format(what="The absence's end"),
            ),
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True))
                | (Q(end__gt=F("start")) & Q(end__lte=1440)),
                name="absence_whole_day_or_end_after_start",
                violation_error_message=(
                    "Give both a start and an end, the end after the start and by midnight, "
                    "or neither for a whole day."
                ),
            ),
        ]
        indexes = [models.Index(fields=["district", "date"])]

    def __str__(self) -> str:
        return f"{self.aide} absent {self.date} {format_span(self.start, self.end)}"


class Closure(TenantModel):
    date = models.DateField(validators=[DAY_IN_WINDOW])
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Empty for a closure of every school in the district.",
    )
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        indexes = [models.Index(fields=["district", "date"])]

    def __str__(self) -> str:
        where = self.school.code if self.school_id and self.school else "all schools"
        return f"{self.date} closed ({where})"


class Notification(TenantModel):
    """One email owed to one user: the outbox row written in the transaction that raised it.

    `key` is the caller's dedupe key ("alert:42:open:3"): a repeated key for the same user is
    ignored, so a retried caller never sends twice. Urgent rows go out at once, the others in
    the daily digest; `sent_at` stays empty until delivery, `attempts` counts failed sends.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    urgent = models.BooleanField(help_text="Send at once; otherwise in the daily digest.")
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text="Files sent with the email: name, content type and base64 content each.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "user", "key"], name="notification_once_per_user_key"
            )
        ]
        indexes = [models.Index(fields=["district", "sent_at"])]

    def __str__(self) -> str:
        state = "sent" if self.sent_at else "pending"
        return f"{self.subject} -> {self.user_id} ({state})"


# Invitations are staffing's models in a package of their own (staffing.invitations).
from staffing.invitations.models import StaffInvitation  # noqa: E402, F401
