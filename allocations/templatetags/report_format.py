"""Filters of the shortfall report's page and file: minutes with thousands separators, shares
as percentages ("n/a" where nothing was due)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def minutes(value: int | None) -> str:
    return "0" if value is None else f"{value:,}"


@register.filter
def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"
