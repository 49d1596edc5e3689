"""Small server-side SVG bar charts (no JavaScript library, no network): people would rather
look at coverage than read it. Geometry is computed here; the template only draws it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from allocations.selectors import CoverageRow

STAFFED = "#2e7d32"
UNSTAFFED = "#c62828"
BAR = 18
GAP = 6
TOP = 24


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    color: str
    title: str


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    segments: tuple[Segment, ...]
    note: str
    note_x: float


def _render(title: str, bars: list[Bar], width: int, label_chars: int) -> SafeString:
    height = TOP + len(bars) * (BAR + GAP) + 4
    html = render_to_string(
        "allocations/_bars.svg",
        {
            "title": title,
            "bars": bars,
            "width": width,
            "height": height,
            "bar": BAR,
            "label_chars": label_chars,
        },
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escapes values


def coverage_bars(rows: Sequence[CoverageRow], *, title: str, width: int = 640) -> SafeString:
    """Stacked bars per row: staffed minutes in green, unstaffed in red, coverage percent after."""
    label_w, note_w = 130, 64
    plot_w = width - label_w - note_w
    most = max((r.due_minutes for r in rows), default=0) or 1
    bars = []
    for i, r in enumerate(rows):
        ok = plot_w * r.staffed_minutes / most
        miss = plot_w * r.unstaffed_minutes / most
        bars.append(
            Bar(
                y=TOP + i * (BAR + GAP),
                label=r.label,
                segments=(
                    Segment(label_w, ok, STAFFED, f"{r.label}: {r.staffed_minutes} min staffed"),
                    Segment(
                        label_w + ok,
                        miss,
                        UNSTAFFED,
                        f"{r.label}: {r.unstaffed_minutes} min unstaffed",
                    ),
                ),
                note=f"{100 * r.coverage:.1f}%",
                note_x=label_w + plot_w + 6,
            )
        )
    return _render(title, bars, width, label_chars=18)


def share_bars(pairs: Sequence[tuple[str, int]], *, title: str, width: int = 760) -> SafeString:
    """One bar per category of minutes (e.g. why minutes went unstaffed)."""
    label_w, note_w = 390, 90
    plot_w = width - label_w - note_w
    most = max((m for _, m in pairs), default=0) or 1
    bars = [
        Bar(
            y=TOP + i * (BAR + GAP),
            label=label,
            segments=(Segment(label_w, plot_w * m / most, UNSTAFFED, f"{label}: {m} min"),),
            note=f"{m} min",
            note_x=label_w + plot_w * m / most + 6,
        )
        for i, (label, m) in enumerate(pairs)
    ]
    return _render(title, bars, width, label_chars=60)
