"""Reads of the staffing app. Every function takes the district first (or a queryset the caller
has already scoped to one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from staffing.models import Aide, AvailabilityWindow, District, School

EXPIRY_WARNING_DAYS = 30


def district_today(*, district: District | None, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the district's time zone (the server's for platform operators)."""
    moment = now or timezone.now()
    if district is None:
        return timezone.localdate(moment)
    return moment.astimezone(ZoneInfo(district.timezone)).date()


@dataclass(frozen=True)
class QualificationStatus:
    kind: str  # "expired" | "expiring" | "valid" | "permanent"
    text: str


def qualification_status(*, expires_on: dt.date | None, today: dt.date) -> QualificationStatus:
    """`expires_on` is the last valid day; "expiring" means within EXPIRY_WARNING_DAYS."""
    if expires_on is None:
        return QualificationStatus("permanent", "does not expire")
    if expires_on < today:
        return QualificationStatus("expired", f"expired {expires_on.isoformat()}")
    days = (expires_on - today).days
    if days <= EXPIRY_WARNING_DAYS:
        when = "today" if days == 0 else f"in {days} day{'s' if days > 1 else ''}"
        return QualificationStatus("expiring", f"expires {expires_on.isoformat()}, {when}")
    return QualificationStatus("valid", f"valid until {expires_on.isoformat()}")


def aides_with_weekly_minutes(queryset: QuerySet[Aide]) -> QuerySet[Aide]:
    """Annotate `available_minutes`: the aide's availability windows summed over the week."""
    windows = (
        AvailabilityWindow.objects.filter(district_id=OuterRef("district_id"), aide=OuterRef("pk"))
        .order_by()
        .values("aide")
        .annotate(minutes=Sum(F("end") - F("start")))
        .values("minutes")
    )
    return queryset.annotate(
        available_minutes=Coalesce(Subquery(windows, output_field=IntegerField()), Value(0))
    )


@dataclass(frozen=True)
class StaffingCounts:
    schools: int
    aides: int
    district_aides: int
    contract_aides: int


def district_staffing_counts(*, district: District) -> StaffingCounts:
    aides = Aide.objects.filter(district=district).aggregate(
        total=Count("pk"), contract=Count("pk", filter=Q(contract__isnull=False))
    )
    return StaffingCounts(
        schools=School.objects.filter(district=district).count(),
        aides=aides["total"],
        district_aides=aides["total"] - aides["contract"],
        contract_aides=aides["contract"],
    )
