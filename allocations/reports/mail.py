"""The report's email to the district's directors, through the outbox (`staffing.notify`).

It is queued in the transaction that stores the report, keyed by the report's figures (their
digest): a re-run or a redelivered job that finds the same figures mails nobody twice, one that
finds new figures mails the new report. The email carries the headline figures and where the
report is (its page, with the PDF and CSV); the outbox sends text only.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from allocations.reports.models import ShortfallReport
from allocations.reports.scoped import Reader, report_view
from allocations.templatetags.report_format import minutes, percent
from staffing.models import Membership
from staffing.notify import notify


def report_mail(*, report: ShortfallReport) -> int:
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
        f"The report, its PDF and its CSV: {base}{page}",
    ]
    return notify(
        district=report.district,
        users=directors,
        key=f"shortfall-report:{report.week_start.isoformat()}:{report.content['digest']}",
        subject=f"Shortfall report, week of {view.week_start:%b %d}: "
        f"{minutes(view.total.unstaffed)} minutes unstaffed",
        body="\n".join(lines),
        urgent=True,
    )
