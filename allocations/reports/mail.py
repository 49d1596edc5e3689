"""The report's email to the district's directors, through the outbox (`staffing.notify`).

It is queued in the transaction that stores the report, keyed by the report's figures (their
digest): a re-run or a redelivered job that finds the same figures mails nobody twice, one that
finds new figures mails the new report. The email carries the headline figures and where the
report is; report.pdf and report.csv (the whole district's) are attached.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse

from allocations.reports.models import ShortfallReport
from allocations.reports.pdf import report_pdf
from allocations.reports.render import report_csv
from allocations.reports.scoped import Reader, report_view
from allocations.templatetags.report_format import minutes, percent
from staffing.models import Membership
from staffing.notify import notify


def report_files(content: dict[str, Any], *, built_at: dt.datetime) -> list[tuple[str, str, bytes]]:
    """report.pdf and report.csv of the whole district, as the email attaches them."""
    view = report_view(content, Reader())
    return [
        ("report.pdf", "application/pdf", report_pdf(view, built=f"{built_at:%Y-%m-%d %H:%M} UTC")),
        ("report.csv", "text/csv", report_csv(view).encode()),
    ]


def report_mail(*, report: ShortfallReport, files: list[tuple[str, str, bytes]]) -> int:
    directors = [
        m.user
        for m in Membership.objects.filter(
            district=report.district_id, role=Membership.Role.DIRECTOR, user__is_active=True
        ).select_related("user")
    ]
    view = report_view(report.content, Reader())
    page = reverse("allocations:report_page", args=[report.pk])
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [
        f"The shortfall report of {view.district['name']} for the week of "
        f"{view.week_start:%a %b %d, %Y} is ready.",
        "",
        f"Staffed: {percent(view.total.coverage)} of {minutes(view.total.due)} mandated minutes; "
        f"{minutes(view.total.unstaffed)} unstaffed.",
        f"Safety tier: {percent(view.safety.coverage)} staffed; "
        f"{minutes(view.safety.unstaffed)} minutes unstaffed.",
        *(f"- {label}: {minutes(m)} minutes" for _, label, m in view.causes[:5]),
        "",
        f"The report is attached (PDF and CSV) and on its page: {base}{page}",
    ]
    return notify(
        district=report.district,
        users=directors,
        key=f"shortfall-report:{report.week_start.isoformat()}:{report.content['digest']}",
        subject=f"Shortfall report, week of {view.week_start:%b %d}: "
        f"{minutes(view.total.unstaffed)} minutes unstaffed",
        body="\n".join(lines),
        urgent=True,
        attachments=files,
    )
