"""Reads of stored reports. Every function takes the district first."""

from __future__ import annotations

import datetime as dt

from allocations.reports.models import ShortfallReport
from staffing.models import District


def report_get(*, district: District, report_id: int) -> ShortfallReport | None:
    return ShortfallReport.objects.filter(district=district, pk=report_id).first()


def report_of_week(*, district: District, week_start: dt.date) -> ShortfallReport | None:
    return ShortfallReport.objects.filter(district=district, week_start=week_start).first()


def reports_recent(*, district: District, limit: int = 12) -> list[ShortfallReport]:
    return list(
        ShortfallReport.objects.filter(district=district)
        .defer("content")
        .order_by("-week_start")[:limit]
    )
