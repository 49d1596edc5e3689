"""Students, their guardians, and the IEP para mandates with their weekly blocks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from staffing.models import (
    ON_GRID_MESSAGE,
    WEEKDAY_MESSAGE,
    Membership,
    School,
    TenantModel,
    code_field,
)
from staffing.timeofday import WEEKDAY_CHOICES, TimeOfDayField, format_span, on_grid
from staffing.validators import SPAN_DATE_IN_WINDOW, validate_qualification_list

GRADES = ["PK", "K", *[str(g) for g in range(1, 13)]]


class Student(TenantModel):
    code = code_field()
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    grade = models.CharField(max_length=2, choices=[(g, g) for g in GRADES])
    case_managers = models.ManyToManyField(Membership, blank=True, related_name="caseload")

    class Meta:
        ordering = ["last_name", "first_name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="student_code_per_district")
        ]
        indexes = [models.Index(fields=["district", "school"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.code})"


class Guardian(TenantModel):
    """A parent or guardian's account linked to one of their children (one row per child)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships"
    )
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardians")
    relationship = models.CharField(max_length=50, default="parent")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "user", "student"], name="guardian_student_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.relationship} of {self.student})"


class Support(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "1:1 dedicated aide"
    SHARED = "shared", "Shared aide (small group)"


class Setting(models.TextChoices):
    CLASSROOM = "classroom", "Classroom"
    LUNCH = "lunch", "Lunch"
    RECESS = "recess", "Recess"
    TRANSITION = "transition", "Transitions"
    SPECIALS = "specials", "Specials"
    BUS = "bus", "Bus"
    PERSONAL_CARE = "personal_care", "Personal care"
    COMMUNITY = "community", "Community"


class ParaMandate(TenantModel):
    """One IEP para service: who, which support, which required training, when in force."""

    code = code_field()
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="mandates")
    support = models.CharField(max_length=16, choices=Support.choices)
    max_group = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Shared support only: most students per aide (2-8)."
    )
    required_qualifications = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_qualification_list],
        help_text="Qualification codes separated by ';' (the aide must hold each on the day).",
    )
    starts_on = models.DateField(validators=[SPAN_DATE_IN_WINDOW])
    ends_on = models.DateField(null=True, blank=True, validators=[SPAN_DATE_IN_WINDOW])

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="mandate_code_per_district"),
            models.CheckConstraint(
                condition=(Q(support="one_to_one") & Q(max_group__isnull=True))
                | (
                    Q(support="shared")
                    & Q(max_group__isnull=False)
                    & Q(max_group__gte=2)
                    & Q(max_group__lte=8)
                ),
                name="mandate_max_group_fits_support",
                violation_error_message=(
                    "A shared mandate needs a group size from 2 to 8; a 1:1 mandate takes none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="mandate_ends_after_start",
                violation_error_message="The mandate must not end before it starts.",
            ),
        ]
        indexes = [models.Index(fields=["district", "student"])]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_support_display()})"

    @property
    def qualification_codes(self) -> list[str]:
        return [q for q in self.required_qualifications.split(";") if q]

    @property
    def is_safety_tier(self) -> bool:
        """1:1, or requires one of the district's safety qualifications (select the district
        with the mandates when reading many)."""
        return self.support == Support.ONE_TO_ONE or bool(
            self.district.safety_codes & set(self.qualification_codes)
        )


class MandateBlock(TenantModel):
    """One recurring weekly block of a mandate: where and when the support is due."""

    mandate = models.ForeignKey(ParaMandate, on_delete=models.CASCADE, related_name="blocks")
    setting = models.CharField(max_length=16, choices=Setting.choices)
    location = models.CharField(max_length=100)
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES)
    start = TimeOfDayField()
    end = TimeOfDayField()

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=on_grid("start"),
                name="block_start_on_grid",
                violation_error_message=ON_GRID_MESSAGE.format(what="The block's start"),
            ),
            models.CheckConstraint(
                condition=on_grid("end"),
                name="block_end_on_grid",
                violation_error_message=ON_GRID_MESSAGE.format(what="The block's end"),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")) & Q(end__lte=1440),
                name="block_end_after_start",
                violation_error_message=(
                    "The block must end after it starts, and by midnight at the latest."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6),
                name="block_weekday",
                violation_error_message=WEEKDAY_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["district", "mandate"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {format_span(self.start, self.end)} {self.setting}"

    @property
    def minutes(self) -> int:
        return int(self.end) - int(self.start)


# Guardian invitations are students' models in a package of their own (students.invitations).
from students.invitations.models import GuardianInvitation  # noqa: E402, F401
