"""Months as integers (year * 12 + month - 1) and the month ends a window holds."""

from __future__ import annotations

from datetime import date

from csmetrics.core.timeparts import local_day_of
from csmetrics.core.window import Window

MONTHS_PER_YEAR = 12
# NRR, GRR and LTV look back a year from the window's last month end (metrics.md)
TRAILING_MONTHS = 12


def month_number(day: date) -> int:
    return day.year * MONTHS_PER_YEAR + day.month - 1


def month_of(number: int) -> date:
    """The first day of the month `number`."""
    return date(number // MONTHS_PER_YEAR, number % MONTHS_PER_YEAR + 1, 1)


def last_closed_month(window: Window) -> int:
    """The latest month whose end lies before `until`."""
    return month_number(local_day_of(window.until, window.timezone)) - 1


def window_months(window: Window) -> list[int]:
    """The months whose end lies in the window (metrics.md: a month-aligned window's months)."""
    return [month_number(month) for month, _ in window.month_ends()]
