"""report.pdf: the report as a print-ready US Letter document, drawn with reportlab (pure
Python, from the package registry; no system libraries, no fonts to install: it uses the PDF
standard fonts)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from allocations.reports.charts import HEAT_SCHOOLS, SAFE, SERIES, _color
from allocations.reports.render import HEAT_TITLE, TREND_TITLE
from allocations.reports.scoped import ReportView
from allocations.templatetags.report_format import minutes, percent

WIDTH = LETTER[0] - 1.2 * inch
STYLES = getSampleStyleSheet()
SMALL = ParagraphStyle("small", parent=STYLES["BodyText"], fontSize=8.5, leading=10.5)
GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d8dee4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
)


def _table(
    header: list[str], rows: list[list[Any]], widths: list[float], *, left: int = 1
) -> LongTable:
    table = LongTable([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(TableStyle([("ALIGN", (0, 0), (left - 1, -1), "LEFT")]))
    return table


def _cover(cover: dict[str, Any] | None) -> str:
    if cover is None:
        return "No aide is free for any of it."
    return escape(f"{cover['name']} ({cover['aide']}), free for {cover['free_minutes']} min")


def _heat(view: ReportView) -> Drawing:
    def week(cells: list[Any]) -> float:
        due = sum(c.due for c in cells)
        return sum(c.staffed for c in cells) / due if due else 1.0

    rows = sorted(view.heat, key=lambda r: (week(r[1]), r[0]))[:HEAT_SCHOOLS]
    label_w, cell_h = 110.0, 14.0
    cell_w = (WIDTH - label_w) / max(len(view.days), 1)
    height = 30 + cell_h * len(rows)
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 10, HEAT_TITLE, fontName="Helvetica-Bold", fontSize=10))
    for j, day in enumerate(view.days):
        drawing.add(
            String(
                label_w + (j + 0.5) * cell_w,
                height - 24,
                f"{day:%a %b %d}",
                fontSize=8,
                textAnchor="middle",
            )
        )
    for i, (school, cells) in enumerate(rows):
        y = height - 30 - (i + 1) * cell_h
        drawing.add(String(0, y + 4, school[:20], fontSize=8))
        for j, m in enumerate(cells):
            color = colors.HexColor(_color(m.coverage))
            drawing.add(
                Rect(
                    label_w + j * cell_w,
                    y,
                    cell_w - 1,
                    cell_h - 1,
                    fillColor=color,
                    strokeColor=None,
                )
            )
            text = "" if m.coverage is None else f"{100 * m.coverage:.0f}%"
            ink = colors.white if _color(m.coverage) in (SAFE, "#c62828") else colors.black
            drawing.add(
                String(
                    label_w + (j + 0.5) * cell_w,
                    y + 4,
                    text,
                    fontSize=8,
                    textAnchor="middle",
                    fillColor=ink,
                )
            )
    return drawing


def _trend(view: ReportView) -> Drawing:
    height, left, bottom, top = 170.0, 34.0, 22.0, 30.0
    plot_w, plot_h = WIDTH - left - 10, height - bottom - top
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 10, TREND_TITLE, fontName="Helvetica-Bold", fontSize=10))
    for p in (0, 50, 100):
        y = bottom + plot_h * p / 100
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=colors.HexColor("#d8dee4")))
        drawing.add(String(left - 4, y - 3, f"{p}%", fontSize=8, textAnchor="end"))
    step = plot_w / max(len(view.trend) - 1, 1)
    for i, week in enumerate(view.trend):
        drawing.add(
            String(
                left + i * step, 6, f"{week['week_start']:%b %d}", fontSize=8, textAnchor="middle"
            )
        )
    for k, (key, label, color) in enumerate(SERIES):
        points: list[float] = []
        for i, week in enumerate(view.trend):
            if week[key] is not None:
                points += [left + i * step, bottom + plot_h * week[key]]
        if len(points) >= 4:
            drawing.add(PolyLine(points, strokeColor=colors.HexColor(color), strokeWidth=1.8))
        for x, y in zip(points[::2], points[1::2], strict=True):
            ink = colors.HexColor(color)
            drawing.add(Circle(x, y, 2.5, fillColor=ink, strokeColor=ink))
        drawing.add(
            Rect(
                left + k * 250,
                height - 22,
                10,
                3,
                fillColor=colors.HexColor(color),
                strokeColor=None,
            )
        )
        drawing.add(String(left + k * 250 + 14, height - 24, label, fontSize=8))
    return drawing


def report_pdf(view: ReportView, *, built: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        leftMargin=0.6 * inch,
        rightMargin=0.6 * inch,
        topMargin=0.6 * inch,
        bottomMargin=0.6 * inch,
        title=f"Shortfall report, week of {view.week_start}",
        author=view.district["name"],
    )
    h2 = STYLES["Heading2"]
    story: list[Any] = [
        Paragraph(f"Shortfall report, week of {view.week_start:%a %b %d, %Y}", STYLES["Title"]),
        Paragraph(
            escape(f"{view.district['name']} ({view.district['code']}). Built {built}."), SMALL
        ),
        Spacer(1, 6),
        Paragraph(
            f"<b>{percent(view.total.coverage)}</b> of {minutes(view.total.due)} mandated minutes "
            f"staffed; <b>{minutes(view.total.unstaffed)} unstaffed</b>.",
            STYLES["BodyText"],
        ),
        Paragraph(
            f"<b>Safety tier</b>: {percent(view.safety.coverage)} staffed, "
            f"{minutes(view.safety.staffed)} of {minutes(view.safety.due)} minutes; "
            f"{minutes(view.safety.unstaffed)} unstaffed.",
            STYLES["BodyText"],
        ),
    ]
    if view.whole:
        story.append(
            Paragraph(
                f"The week's planned cost: ${view.cost}; "
                f"{minutes(view.contract_minutes)} minutes of contract staff.",
                STYLES["BodyText"],
            )
        )
    story += [Spacer(1, 8), _heat(view), Spacer(1, 8), _trend(view)]
    story += [Paragraph("Coming week by school, setting and support", h2)]
    story.append(
        _table(
            ["School", "Setting", "Support", "Due", "Staffed", "Unstaffed"],
            [[r[0], r[1], r[2], minutes(r[3]), minutes(r[4]), minutes(r[5])] for r in view.rows]
            + [
                [
                    "Total",
                    "",
                    "",
                    minutes(view.total.due),
                    minutes(view.total.staffed),
                    minutes(view.total.unstaffed),
                ]
            ],
            [WIDTH * w for w in (0.24, 0.17, 0.17, 0.14, 0.14, 0.14)],
            left=3,
        )
    )
    story += [Paragraph("Unstaffed minutes by cause", h2)]
    story.append(
        _table(
            ["Cause", "Minutes"],
            [[label, minutes(m)] for _, label, m in view.causes],
            [WIDTH * 0.8, WIDTH * 0.2],
        )
    )
    story += [Paragraph("Students with the largest gaps", h2)]
    story.append(
        _table(
            ["Student", "School", "Unstaffed", "Cause", "Best cover suggestion"],
            [
                [
                    Paragraph(escape(f"{s['name']} ({s['code']})"), SMALL),
                    s["school_code"],
                    minutes(s["minutes"]),
                    Paragraph(escape(s["cause_label"]), SMALL),
                    Paragraph(_cover(s["cover"]), SMALL),
                ]
                for s in view.students
            ],
            [WIDTH * w for w in (0.22, 0.14, 0.1, 0.24, 0.3)],
            left=2,
        )
    )
    story += [
        Paragraph("Hiring needs", h2),
        Paragraph(escape(view.hiring["method"]), SMALL),
        Spacer(1, 4),
    ]
    story.append(
        _table(
            ["School", "Would hold", "Unstaffed", "What more aides would cover"],
            [
                [
                    n["school_code"],
                    Paragraph(escape(n["holding"]), SMALL),
                    minutes(n["unstaffed_minutes"]),
                    Paragraph("<br/>".join(escape(x) for x in n["sentences"]), SMALL),
                ]
                for n in view.hiring["needs"]
            ],
            [WIDTH * w for w in (0.14, 0.18, 0.1, 0.58)],
            left=2,
        )
    )
    if view.whole:
        story += [Paragraph("Contracts against their caps", h2)]
        story.append(
            _table(
                ["Contract", "Agency", "Planned", "Weekly cap", "Cost"],
                [
                    [
                        c["code"],
                        Paragraph(escape(c["agency"]), SMALL),
                        minutes(c["used_minutes"]),
                        minutes(c["cap_minutes"]),
                        f"${c['cost']}",
                    ]
                    for c in view.contracts
                ],
                [WIDTH * w for w in (0.18, 0.34, 0.16, 0.16, 0.16)],
                left=2,
            )
        )
    ledger = view.ledger
    story += [
        Paragraph(
            f"Past week from the delivery ledger "
            f"({ledger['since']:%b %d} to {ledger['until']:%b %d})",
            h2,
        )
    ]
    story.append(
        _table(
            ["", "Minutes"],
            [
                ["Delivered", minutes(ledger["delivered_minutes"])],
                ["Missed", minutes(ledger["missed_minutes"])],
                ["Covered by someone unqualified", minutes(ledger["unqualified_minutes"])],
                ["Compensatory minutes accrued", minutes(ledger["accrued_minutes"])],
                ["Compensatory minutes made up", minutes(ledger["made_up_minutes"])],
                ["Compensatory minutes owed (now)", minutes(ledger["owed_minutes"])],
                ["Missed-days notices due to parents", str(ledger["notices_due"])],
            ],
            [WIDTH * 0.7, WIDTH * 0.3],
        )
    )
    story += [Paragraph("Last eight weeks", h2)]
    story.append(
        _table(
            ["Week of", "Due", "Staffed", "Coverage", "Delivered", "Missed or unqualified"],
            [
                [
                    f"{w['week_start']:%b %d, %Y}",
                    minutes(w["due"]),
                    minutes(w["staffed"]),
                    percent(w["coverage"]),
                    minutes(w["delivered"]),
                    minutes(w["missed"]),
                ]
                for w in view.trend
            ],
            [WIDTH * w for w in (0.2, 0.16, 0.16, 0.14, 0.16, 0.18)],
        )
    )
    doc.build(story)
    return out.getvalue()
