"""The few date/time primitives every family uses.

Everything time-related that depends on a calendar (local days, week starts, month starts, the UTC
instant of a local midnight) lives here, as Polars expressions for the heavy lazy plans and as plain
Python for the small frames and the window. Porting the event families to another engine means
porting this module.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

import polars as pl

from csmetrics.core.errors import ConfigError

Grain = Literal["day", "week", "month"]
WeekStart = Literal["monday", "sunday"]

UTC = ZoneInfo("UTC")
ONE_MICROSECOND = timedelta(microseconds=1)
MICROSECONDS_PER_DAY = 86_400_000_000  # timestamps are microseconds (TIMESTAMP_DTYPE)
TIMESTAMP_DTYPE = pl.Datetime("us", "UTC")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str, option: str) -> timedelta:
    """Parse `90s`, `30m`, `4h`, `14d` or `2w`; `option` names the setting in the error."""
    match = _DURATION.match(str(text))
    if not match:
        raise ConfigError(
            f"{option}: expected a duration such as 90s, 30m, 4h or 14d, got {text!r}"
        )
    seconds = float(match.group(1)) * _DURATION_UNITS[match.group(2)]
    if seconds <= 0:
        raise ConfigError(f"{option}: the duration must be positive, got {text!r}")
    return timedelta(seconds=seconds)


def zone(name: str, option: str = "--timezone (timezone=)") -> ZoneInfo:
    """The IANA time zone `name`, or a ConfigError naming the option."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
        close = difflib.get_close_matches(str(name), sorted(available_timezones()), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(
            f"{option}: unknown time zone {name!r} (expected an IANA name{hint})"
        ) from exc


# --- expressions (heavy, lazy plans) -------------------------------------------------------------


def local_date(ts: pl.Expr, tz: str) -> pl.Expr:
    """The calendar day, in time zone `tz`, of a UTC timestamp expression."""
    if tz == "UTC":
        return ts.dt.date()
    return ts.dt.convert_time_zone(tz).dt.date()


def week_start_expr(day: pl.Expr, week_start: WeekStart) -> pl.Expr:
    """The first day of the week that contains `day` (a Date expression)."""
    # weekday(): Monday=1 .. Sunday=7
    days_back = day.dt.weekday() - 1 if week_start == "monday" else day.dt.weekday() % 7
    return day - pl.duration(days=days_back)


def bucket_expr(day: pl.Expr, grain: Grain, week_start: WeekStart) -> pl.Expr:
    """The first day of the `grain` bucket that contains `day`."""
    if grain == "day":
        return day
    if grain == "week":
        return week_start_expr(day, week_start)
    return day.dt.month_start()


def bucket_index(bucket: pl.Expr, grain: Grain) -> pl.Expr:
    """A whole number per bucket start that grows by one from each bucket to the next: bucket
    offsets (retention's c+k) and neighbours (the previous bucket) are then plain arithmetic."""
    if grain == "month":
        return bucket.dt.year().cast(pl.Int32) * 12 + bucket.dt.month().cast(pl.Int32) - 1
    days = bucket.cast(pl.Int32)  # days since 1970-01-01
    return days if grain == "day" else (days + 3).floordiv(7)  # 1970-01-01 was a Thursday


# --- plain Python (window, small frames) ---------------------------------------------------------


def week_start_of(day: date, week_start: WeekStart) -> date:
    back = day.weekday() if week_start == "monday" else (day.weekday() + 1) % 7
    return day - timedelta(days=back)


def month_start_of(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def bucket_start_of(day: date, grain: Grain, week_start: WeekStart) -> date:
    if grain == "day":
        return day
    if grain == "week":
        return week_start_of(day, week_start)
    return month_start_of(day)


def next_bucket_start(start: date, grain: Grain) -> date:
    """The first day of the bucket after the one starting at `start`."""
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "week":
        return start + timedelta(days=7)
    return add_months(start, 1)


def local_midnight(day: date, tz: str) -> datetime:
    """The UTC instant at which `day` starts in time zone `tz`."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def local_day_of(instant: datetime, tz: str) -> date:
    """The calendar day, in `tz`, that contains a UTC instant."""
    return instant.astimezone(ZoneInfo(tz)).date()
