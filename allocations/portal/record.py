""" "Export my child's service record": every due block of a date range with its outcome, as a
CSV and as a dated PDF, in the parent's language. Fit to attach to a state complaint, whose
window is a year: a range may start up to RECORD_YEARS_BACK years before today."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from allocations.ledger.models import DeliveryRecord
from allocations.portal.words import (
    CAUSE_NAMES,
    OUTCOME_NAMES,
    SETTING_NAMES,
    SUPPORT_NAMES,
    clock,
    label,
)
from staffing.csvsafe import csv_writer
from staffing.models import District
from students.models import ParaMandate, Student

RECORD_YEARS_BACK = 3


class RangeRefused(ValueError):
    """A date range the record cannot be made for; the message says why, in the reader's words."""


@dataclass(frozen=True)
class RecordRange:
    since: dt.date
    until: dt.date


def record_default_range(*, today: dt.date) -> RecordRange:
    """The last twelve months, today included."""
    return RecordRange(since=today.replace(year=today.year - 1) + dt.timedelta(days=1), until=today)


def record_range(*, today: dt.date, since: str | None, until: str | None) -> RecordRange:
    """The range a parent asked for (YYYY-MM-DD), or the default's end for one left empty.
    Raises RangeRefused for text that is no date, an end before the start, a day after today or
    a start more than RECORD_YEARS_BACK years back."""
    default = record_default_range(today=today)
    earliest = today.replace(year=today.year - RECORD_YEARS_BACK)
    try:
        first = dt.date.fromisoformat(since) if since else default.since
        last = dt.date.fromisoformat(until) if until else default.until
    except ValueError:
        raise RangeRefused(_("Give the dates as YYYY-MM-DD.")) from None
    if last > today:
        raise RangeRefused(_("The record ends today at the latest."))
    if first > last:
        raise RangeRefused(_("The first day must not be after the last day."))
    if first < earliest:
        message = _("The record can start on %(earliest)s at the earliest.")
        raise RangeRefused(message % {"earliest": date_format(earliest)})
    return RecordRange(since=first, until=last)


@dataclass(frozen=True)
class RecordRow:
    date: dt.date
    start: int
    end: int
    mandate_code: str
    support: str
    setting: str
    location: str
    outcome: str
    why: str
    missing_training: str
    staffed_by: str

    @property
    def minutes(self) -> int:
        return self.end - self.start


def service_record(*, district: District, student: Student, record: RecordRange) -> list[RecordRow]:
    """Every due block the ledger recorded for the child in the range (its current record, after
    corrections), in the reader's words. The child is found by code, so days recorded before a
    re-import count too; an aide is shown by first name only, as everywhere in the portal."""
    supports = dict(
        ParaMandate.objects.filter(district=district, student__code=student.code).values_list(
            "code", "support"
        )
    )
    records = (
        DeliveryRecord.objects.filter(
            district=district,
            student_code=student.code,
            is_current=True,
            date__gte=record.since,
            date__lte=record.until,
        )
        .select_related("aide")
        .order_by("date", "start", "mandate_code", "pk")
    )
    rows = []
    for r in records:
        outcome = DeliveryRecord.Outcome(r.outcome)
        rows.append(
            RecordRow(
                date=r.date,
                start=int(r.start),
                end=int(r.end),
                mandate_code=r.mandate_code,
                support=label(SUPPORT_NAMES, supports.get(r.mandate_code, "")),
                setting=label(SETTING_NAMES, r.setting),
                location=r.location,
                outcome=label(OUTCOME_NAMES, outcome),
                why=label(CAUSE_NAMES, r.cause) if r.cause else "",
                missing_training=", ".join(c for c in r.missing_qualifications.split(";") if c),
                staffed_by=r.aide.name.split()[0] if r.aide and r.aide.name.split() else "",
            )
        )
    return rows


def _header() -> list[str]:
    return [
        _("Date"), _("Start"), _("End"), _("Minutes"), _("Service"), _("Support"),
        _("Setting"), _("Place"), _("Outcome"), _("Why"), _("Training missing"),
        _("Staffed by"),
    ]  # fmt: skip


def record_csv(rows: list[RecordRow]) -> str:
    """One line per due block; dates as YYYY-MM-DD, times as H:MM, cells formula-neutralised."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(_header())
    for r in rows:
        writer.writerow(
            [
                r.date.isoformat(), clock(r.start), clock(r.end), r.minutes, r.mandate_code,
                r.support, r.setting, r.location, r.outcome, r.why, r.missing_training,
                r.staffed_by,
            ]
        )  # fmt: skip
    return out.getvalue()


_STYLES = getSampleStyleSheet()
_SMALL = ParagraphStyle("record", parent=_STYLES["BodyText"], fontSize=7.5, leading=9)
_GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d8dee4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _p(text: str) -> Paragraph:
    return Paragraph(escape(text), _SMALL)


def record_pdf(
    *, student: Student, record: RecordRange, rows: list[RecordRow], made_on: dt.date
) -> bytes:
    """The record as a US Letter document: who, which days, when it was made, the totals by
    outcome, then every block."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=LETTER, leftMargin=0.5 * inch, rightMargin=0.5 * inch,
        topMargin=0.6 * inch, bottomMargin=0.6 * inch,
        title=_("Service record"), author="ParaCover",
    )  # fmt: skip
    name = f"{student.first_name} {student.last_name}"
    totals: dict[str, int] = {}
    for r in rows:
        totals[r.outcome] = totals.get(r.outcome, 0) + r.minutes
    story = [
        Paragraph(escape(_("Service record of %(name)s") % {"name": name}), _STYLES["Title"]),
        Paragraph(
            escape(
                _(
                    "Para support due from %(since)s to %(until)s, as the district recorded "
                    "each school day. Made on %(made)s."
                )
                % {
                    "since": date_format(record.since),
                    "until": date_format(record.until),
                    "made": date_format(made_on),
                }
            ),
            _STYLES["BodyText"],
        ),
        Spacer(1, 6),
    ]  # fmt: skip
    for outcome, minutes in sorted(totals.items()):
        text = _("%(outcome)s: %(minutes)s minutes") % {
            "outcome": outcome,
            "minutes": number_format(minutes, force_grouping=True),
        }
        story.append(Paragraph(escape(text), _STYLES["BodyText"]))
    if not rows:
        story.append(Paragraph(escape(_("No school day was recorded in these dates.")), _SMALL))
    else:
        header = [_p(h) for h in _header()]
        body = [
            [
                _p(date_format(r.date, "SHORT_DATE_FORMAT")), _p(clock(r.start)), _p(clock(r.end)),
                _p(str(r.minutes)), _p(r.mandate_code), _p(r.support), _p(r.setting),
                _p(r.location), _p(r.outcome), _p(r.why), _p(r.missing_training),
                _p(r.staffed_by),
            ]
            for r in rows
        ]  # fmt: skip
        widths = [50, 30, 30, 34, 48, 70, 52, 50, 62, 76, 50, 40]
        table = LongTable([header, *body], colWidths=widths, repeatRows=1)
        table.setStyle(_GRID)
        story += [Spacer(1, 8), table]
    doc.build(story)
    return out.getvalue()
