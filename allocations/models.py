"""Allocation runs and what they decided: who serves which mandate block when, and what is left."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from allocations.engine.causes import ALERT_CAUSES, SOLVER_REASONS, Cause
from allocations.labels import cause_choices
from staffing.models import Aide, TenantModel
from staffing.timeofday import TimeOfDayField, format_span
from students.models import MandateBlock, ParaMandate


class AllocationRun(TenantModel):
    """One solve of one district week. The newest run that succeeded is the week's plan
    (`is_current`); earlier runs stay readable with their assignments. A run that finishes after
    a newer run of its week has succeeded is superseded and never becomes the plan."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        SUPERSEDED = "superseded", "Superseded by a newer run"

    IN_FLIGHT = (Status.PENDING, Status.RUNNING)

    week_start = models.DateField(help_text="The Monday of the week planned.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    is_current = models.BooleanField(default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of progress; the watchdog reads it."
    )
    via_workers = models.BooleanField(
        default=False, help_text="Solved by Celery workers (re-queued if stuck), not a command."
    )
    requeues = models.PositiveSmallIntegerField(
        default=0, help_text="Times the watchdog re-queued it after it stopped making progress."
    )
    solver_settings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    due_minutes = models.PositiveIntegerField(default=0)
    covered_minutes = models.PositiveIntegerField(default=0)
    safety_due_minutes = models.PositiveIntegerField(default=0)
    safety_covered_minutes = models.PositiveIntegerField(default=0)
    bound_minutes = models.PositiveIntegerField(default=0)
    safety_bound_minutes = models.PositiveIntegerField(default=0)
    bound_kind = models.CharField(max_length=100, blank=True)
    contract_minutes = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    aides_per_mandate_week = models.FloatField(default=0)
    solve_seconds = models.FloatField(default=0)
    total_seconds = models.FloatField(default=0)
    aide_minutes = models.JSONField(
        default=dict, blank=True, help_text="aide id -> minutes scheduled in the week"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "week_start"],
                condition=Q(is_current=True),
                name="one_current_run_per_district_week",
            ),
            models.CheckConstraint(
                condition=Q(covered_minutes__lte=F("due_minutes")), name="run_covered_within_due"
            ),
        ]
        indexes = [models.Index(fields=["district", "week_start", "-created_at"])]

    def __str__(self) -> str:
        return f"Allocation {self.week_start} ({self.get_status_display()})"

    @property
    def is_stuck(self) -> bool:
        """In flight, but silent for longer than any step of a healthy run
        (settings.ALLOCATION_RUN_STUCK_SECONDS): its worker was most likely lost."""
        if self.status not in self.IN_FLIGHT:
            return False
        last = self.heartbeat_at or self.created_at
        silent = (timezone.now() - last).total_seconds()
        limit: int = settings.ALLOCATION_RUN_STUCK_SECONDS
        return silent > limit

    @property
    def state(self) -> str:
        """The status as people should read it: "stuck" rather than "running"."""
        return "stuck" if self.is_stuck else str(self.status)

    @property
    def state_display(self) -> str:
        if self.is_stuck:
            return "Stuck: no progress for a while; the watchdog re-queues it or fails it"
        return str(self.get_status_display())

    @staticmethod
    def _ratio(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def coverage(self) -> float | None:
        return self._ratio(self.covered_minutes, self.due_minutes)

    @property
    def safety_coverage(self) -> float | None:
        return self._ratio(self.safety_covered_minutes, self.safety_due_minutes)

    @property
    def gap_to_bound(self) -> float | None:
        gap = self._ratio(self.bound_minutes - self.covered_minutes, self.bound_minutes)
        return gap


class Assignment(TenantModel):
    """One aide with one mandate block on one date, for one contiguous run of minutes."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="assignments")
    aide = models.ForeignKey(Aide, on_delete=models.CASCADE, related_name="+")
    mandate = models.ForeignKey(ParaMandate, on_delete=models.CASCADE, related_name="+")
    block = models.ForeignKey(MandateBlock, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    start = TimeOfDayField()
    end = TimeOfDayField()

    class Meta:
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="assignment_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["district", "run", "date"]),
            models.Index(fields=["district", "aide", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {format_span(self.start, self.end)}"


class UnstaffedRun(TenantModel):
    """A contiguous run of due minutes of one mandate block that the plan leaves unstaffed."""

    Reason = Cause  # one of the solver's reasons (engine.causes.SOLVER_REASONS)

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="unstaffed")
    mandate = models.ForeignKey(ParaMandate, on_delete=models.CASCADE, related_name="+")
    block = models.ForeignKey(MandateBlock, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    start = TimeOfDayField()
    end = TimeOfDayField()
    reason = models.CharField(max_length=32, choices=cause_choices(SOLVER_REASONS))

    class Meta:
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="unstaffed_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["district", "run", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {format_span(self.start, self.end)} unstaffed ({self.reason})"


class AllocationRunPart(TenantModel):
    """One independent group of schools of a fanned-out run, solved by its own worker."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    school_ids = models.JSONField(default=list)
    contract_caps = models.JSONField(default=dict, help_text="contract id -> this group's share")
    finished = models.BooleanField(default=False)
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            models.UniqueConstraint(fields=["district", "run", "index"], name="run_part_once")
        ]

    def __str__(self) -> str:
        return f"part {self.index} of run {self.run_id}"


class PlanRepair(TenantModel):
    """One re-plan of some school-days of a week's plan after an absence was recorded, changed
    or removed: what it changed, and what is still unstaffed."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="repairs")
    aide = models.ForeignKey(
        Aide, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField()
    school_ids = models.JSONField(default=list)
    trigger = models.CharField(max_length=200, help_text="What asked for the re-plan.")
    covered_before = models.PositiveIntegerField(default=0)
    covered_after = models.PositiveIntegerField(default=0)
    safety_covered_before = models.PositiveIntegerField(default=0)
    safety_covered_after = models.PositiveIntegerField(default=0)
    moved_minutes = models.PositiveIntegerField(default=0)
    changes = models.JSONField(default=list, help_text="Runs whose aide changed, in codes.")
    unstaffed = models.JSONField(default=list, help_text="Runs still unstaffed, in codes.")
    solve_seconds = models.FloatField(default=0)
    total_seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["district", "date"])]

    def __str__(self) -> str:
        return f"Re-plan of {self.date} ({self.trigger})"


class ReplanRequest(TenantModel):
    """A re-plan asked for after an absence was recorded, changed or removed. It is written in
    the same transaction as the absence, so a lost Celery message (a broker restarted without
    persistence) is found and re-queued by the watchdog; `done_at` is set in the re-plan's own
    transaction, so a re-plan is never done twice nor lost."""

    aide = models.ForeignKey(Aide, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    trigger = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(help_text="When its task was last sent.")
    requeues = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    repair = models.ForeignKey(
        PlanRepair, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["district", "queued_at"],
                condition=Q(done_at__isnull=True),
                name="replan_request_waiting",
            ),
            models.Index(fields=["district", "date"], name="replan_request_by_date"),
        ]

    def __str__(self) -> str:
        return f"Re-plan of {self.date} ({self.trigger})"


class Alert(TenantModel):
    """Something a case manager must act on: a mandated service left unstaffed, or one that
    soon will be. One row per key (mandate and date, say): a gap that persists updates its
    alert, a gap that is filled resolves it, a gap that comes back reopens it."""

    class Kind(models.TextChoices):
        UNSTAFFED = "unstaffed", "Mandated service unstaffed"
        QUALIFICATION_EXPIRING = "qualification_expiring", "Qualification expiring"
        CONTRACT_ENDING = "contract_ending", "Contract ending"
        CONTRACT_CAP = "contract_cap", "Contract cap near"
        VAGUE_MANDATE = "vague_mandate", "Mandate too vague to staff"

    class Severity(models.TextChoices):
        CRITICAL = "critical", "Critical"
        HIGH = "high", "High"
        NORMAL = "normal", "Normal"

    Cause = Cause  # an unstaffed or a look-ahead cause (engine.causes.ALERT_CAUSES)

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    rank = models.PositiveSmallIntegerField(default=2, help_text="0 critical, 1 high, 2 normal.")
    cause = models.CharField(max_length=32, choices=cause_choices(ALERT_CAUSES))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True, help_text="The day of service at stake.")
    school = models.ForeignKey(
        "staffing.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    student = models.ForeignKey(
        "students.Student", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mandate = models.ForeignKey(
        ParaMandate, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    aide = models.ForeignKey(
        Aide, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    contract = models.ForeignKey(
        "staffing.Contract", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    minutes = models.PositiveIntegerField(default=0, help_text="Student-minutes at stake.")
    suggestions = models.JSONField(default=list, blank=True)
    times_opened = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["rank", "date", "-minutes"]
        constraints = [
            models.UniqueConstraint(fields=["district", "key"], name="one_alert_per_key"),
        ]
        indexes = [
            models.Index(fields=["district", "status", "rank"]),
            models.Index(fields=["district", "date"]),
        ]

    def __str__(self) -> str:
        return self.title


# The delivery ledger and the weekly shortfall report keep their models in their own packages.
from allocations.access.models import StudentAccess  # noqa: E402, F401
from allocations.ledger.models import CompensatoryEntry, DeliveryRecord, MissedDaysNotice  # noqa: E402, F401
from allocations.reports.models import ShortfallReport  # noqa: E402, F401
