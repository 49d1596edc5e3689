"""The report's two charts as server-rendered SVG (like `allocations.charts`): coverage as a
heat map of school by day, and the eight weeks' trend lines. Geometry is computed here; the
templates only draw it. Labels are 12-13 px at full size, readable at 1280 px wide."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from allocations.reports.scoped import Minutes

HEAT_SCHOOLS = 30
LABEL_W = 170
CELL_W = 104
CELL_H = 24
TOP = 46
SAFE, FAIR, POOR, NONE = "#2e7d32", "#f9a825", "#c62828", "#eef2f6"


def _color(coverage: float | None) -> str:
    if coverage is None:
        return NONE
    if coverage >= 0.98:
        return SAFE
    return FAIR if coverage >= 0.9 else POOR


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    color: str
    text: str
    title: str
    dark: bool


def heat_map(
    heat: list[tuple[str, list[Minutes]]], days: list[dt.date], *, title: str
) -> SafeString:
    """One row per school (the `HEAT_SCHOOLS` worst covered of the week), one column per day:
    the share of due minutes staffed, coloured green (98% and up), amber (90%) or red."""

    def week_coverage(cells: list[Minutes]) -> float:
        due = sum(c.due for c in cells)
        return sum(c.staffed for c in cells) / due if due else 1.0

    rows = sorted(heat, key=lambda r: (week_coverage(r[1]), r[0]))[:HEAT_SCHOOLS]
    cells, labels = [], []
    for i, (school, minutes) in enumerate(rows):
        y = TOP + i * CELL_H
        labels.append((y + 16, school))
        for j, m in enumerate(minutes):
            share = m.coverage
            cells.append(
                Cell(
                    x=LABEL_W + j * CELL_W,
                    y=y,
                    color=_color(share),
                    text="" if share is None else f"{100 * share:.0f}%",
                    title=f"{school} {m.label}: {m.staffed} of {m.due} min staffed",
                    dark=_color(share) in (SAFE, POOR),
                )
            )
    width = LABEL_W + CELL_W * max(len(days), 1) + 4
    html = render_to_string(
        "reports/_heat.svg",
        {
            "title": title,
            "width": width,
            "height": TOP + CELL_H * len(rows) + 6,
            "days": [
                (LABEL_W + j * CELL_W + CELL_W // 2, f"{d:%a %b %d}") for j, d in enumerate(days)
            ],
            "labels": labels,
            "cells": cells,
            "cell_w": CELL_W - 2,
            "cell_h": CELL_H - 2,
        },
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escapes values


TREND_W, TREND_H = 760, 280
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 56, 20, 40, 44
SERIES = (
    ("coverage", "Planned: share of due minutes staffed", "#1f3a5f"),
    ("delivery", "Ledger: share of service delivered", "#2e7d32"),
)


def trend_lines(trend: list[dict[str, Any]], *, title: str) -> SafeString:
    """Two lines over the weeks, 0-100%: the plan's coverage and the ledger's delivery. A week
    without a plan or a ledger leaves a gap in its line."""
    plot_w = TREND_W - PLOT_LEFT - PLOT_RIGHT
    plot_h = TREND_H - PLOT_TOP - PLOT_BOTTOM
    step = plot_w / max(len(trend) - 1, 1)

    def y_of(share: float) -> float:
        return PLOT_TOP + plot_h * (1 - share)

    lines = []
    for key, label, color in SERIES:
        points = [
            (PLOT_LEFT + i * step, y_of(week[key]), week[key], week["week_start"])
            for i, week in enumerate(trend)
            if week[key] is not None
        ]
        lines.append(
            {
                "label": label,
                "color": color,
                "path": " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points),
                "points": [
                    {"x": x, "y": y, "title": f"{label}, week of {w:%b %d}: {100 * s:.1f}%"}
                    for x, y, s, w in points
                ],
            }
        )
    html = render_to_string(
        "reports/_trend.svg",
        {
            "title": title,
            "width": TREND_W,
            "height": TREND_H,
            "left": PLOT_LEFT,
            "right": TREND_W - PLOT_RIGHT,
            "grid": [(y_of(p / 100), f"{p}%") for p in (0, 25, 50, 75, 100)],
            "weeks": [
                (PLOT_LEFT + i * step, f"{w['week_start']:%b %d}") for i, w in enumerate(trend)
            ],
            "axis_y": TREND_H - PLOT_BOTTOM + 18,
            "lines": lines,
            "legend": [
                (PLOT_LEFT + k * 330, line["label"], line["color"]) for k, line in enumerate(lines)
            ],
        },
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escapes values
