"""Months as integers (year * 12 + month - 1) and the month ends a window holds."""

from __future__ import annotations

from datetime import date

from csmetrics.core.timeparts import local_day_of
from csmetrics.core.window import Window


def month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_of(number: int) -> date:
    """The first day of the month `number`."""
    return date(number // 12, number % 12 + 1, 1)


def last_closed_month(window: Window) -> int:
    """The latest month whose end lies before `until`."""
    return month_number(local_day_of(window.until, window.timezone)) - 1


def window_months(window: Window) -> list[int]:
    """The months whose end lies in the window (metrics.md: a month-aligned window's months)."""
    return [month_number(month) for month, _ in window.month_ends()]
