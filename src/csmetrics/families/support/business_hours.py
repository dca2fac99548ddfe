"""Business hours (metrics.md, Support): opening ranges per weekday in the report's time zone,
holidays that close whole local days, and the business time between two instants.

The business time between a and b is F(b) - F(a), where F(t) counts the open microseconds from a
fixed Monday up to t: whole weeks, the open time of the earlier weekdays, the open time of t's
own day before t, less the holidays before t. Every term is integer arithmetic on Polars
expressions, so 5M tickets need no loop. Instants are read as local wall-clock time, so a DST
change shifts the opening ranges in UTC; a change at night (as everywhere in practice) does not
touch the open time.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from csmetrics.core.errors import ConfigError

US = 1_000_000
DAY_US = 86_400 * US
HOUR_US = 3_600 * US
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = r"(\d{1,2}):(\d{2})"
_RANGE = re.compile(rf"^{_TIME}-{_TIME}$")
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)


@dataclass(frozen=True)
class BusinessHours:
    """Opening ranges per weekday (0 = Monday) in microseconds after local midnight, and the
    holidays (local dates, closed all day)."""

    ranges: tuple[tuple[tuple[int, int], ...], ...]  # 7 entries
    holidays: tuple[date, ...] = ()
    text: str = ""

    def day_total(self, weekday: int) -> int:
        return sum(end - start for start, end in self.ranges[weekday])

    @property
    def week_total(self) -> int:
        return sum(self.day_total(w) for w in range(7))

    def open_before(self, weekday: pl.Expr, time_of_day: pl.Expr) -> pl.Expr:
        """Open microseconds of the local day before `time_of_day`, for its weekday: per range
        slot, the weekday's range start and length are gathered from 7-entry tables (length 0
        where a weekday has fewer ranges), so the cost is a few gathers, not a branch per day."""
        slots = max(len(ranges) for ranges in self.ranges)
        total: pl.Expr = pl.lit(0, pl.Int64)
        for slot in range(slots):
            starts = [r[slot][0] if slot < len(r) else 0 for r in self.ranges]
            lengths = [r[slot][1] - r[slot][0] if slot < len(r) else 0 for r in self.ranges]
            start = pl.lit(pl.Series(starts, dtype=pl.Int64)).gather(weekday)
            length = pl.lit(pl.Series(lengths, dtype=pl.Int64)).gather(weekday)
            total = total + (time_of_day - start).clip(lower_bound=0).clip(upper_bound=length)
        return total

    def open_until(self, local_us: pl.Expr) -> pl.Expr:
        """F(t): open microseconds from the Monday before 1970-01-01 up to the local time t."""
        day = local_us.floordiv(DAY_US)
        time_of_day = local_us - day * DAY_US
        monday_based = day + _EPOCH_WEEKDAY
        weekday, week = monday_based % 7, monday_based.floordiv(7)
        prefix = [sum(self.day_total(w) for w in range(k)) for k in range(7)]
        today = self.open_before(weekday, time_of_day)
        value = week * self.week_total + pl.lit(pl.Series(prefix, dtype=pl.Int64)).gather(weekday)
        value = value + today
        for holiday in self.holidays:
            number = (holiday - date(1970, 1, 1)).days
            closed = self.day_total((number + _EPOCH_WEEKDAY) % 7)
            value = value - pl.when(day > number).then(closed).when(day == number).then(
                today
            ).otherwise(0)
        return value

    def between(self, start: pl.Expr, end: pl.Expr, timezone: str) -> pl.Expr:
        """Business microseconds between two UTC instants (null when either is null)."""
        return self.open_until(local_us(end, timezone)) - self.open_until(local_us(start, timezone))


def local_us(ts: pl.Expr, timezone: str) -> pl.Expr:
    """Local wall-clock time as microseconds since 1970-01-01 00:00 local."""
    if timezone == "UTC":
        return ts.dt.epoch("us")
    return ts.dt.convert_time_zone(timezone).dt.replace_time_zone(None).dt.epoch("us")


def parse_business_hours(text: str, holidays: Iterable[date] = ()) -> BusinessHours:
    """`"mon-fri 09:00-17:00"`, several entries separated by commas
    (`"mon-thu 08:00-18:00, fri 08:00-14:00"`), several ranges per entry
    (`"mon-fri 09:00-12:00 13:00-17:00"`); `24:00` ends a day."""
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for entry in (part.strip().lower() for part in text.split(",")):
        words = entry.split()
        if len(words) < 2:
            raise _bad(text, f"{entry!r} needs days and hours, e.g. mon-fri 09:00-17:00")
        for weekday in _days(words[0], text):
            days[weekday].extend(_range(word, text) for word in words[1:])
    for ranges in days:
        ranges.sort()
        for (_, end), (start, _) in itertools.pairwise(ranges):
            if start < end:
                raise _bad(text, "opening ranges of one day overlap")
    if not any(days):
        raise _bad(text, "no opening hours")
    return BusinessHours(tuple(tuple(r) for r in days), tuple(sorted(set(holidays))), text)


def _days(word: str, text: str) -> list[int]:
    if "-" in word:
        first, last = word.split("-", 1)
        if first not in WEEKDAYS or last not in WEEKDAYS:
            raise _bad(text, f"unknown days {word!r} (use mon, tue, ..., sun)")
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last)
        return [(a + i) % 7 for i in range((b - a) % 7 + 1)]
    if word not in WEEKDAYS:
        raise _bad(text, f"unknown day {word!r} (use mon, tue, ..., sun)")
    return [WEEKDAYS.index(word)]


def _range(word: str, text: str) -> tuple[int, int]:
    match = _RANGE.match(word)
    if not match:
        raise _bad(text, f"{word!r} is not a range such as 09:00-17:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = (h1 * 60 + m1) * 60 * US, (h2 * 60 + m2) * 60 * US
    if not (0 <= start < end <= DAY_US) or m1 > 59 or m2 > 59:
        raise _bad(text, f"{word!r} must run forward within one day (00:00-24:00)")
    return start, end


def _bad(text: str, why: str) -> ConfigError:
    return ConfigError(f"--business-hours {text!r}: {why}")


def read_holidays(path: str | Path) -> tuple[date, ...]:
    """Dates from a file: one ISO date per line, or a CSV with a `date` column."""
    file = Path(path)
    try:
        lines = [line.strip() for line in file.read_text(encoding="utf-8-sig").splitlines()]
    except OSError as exc:
        raise ConfigError(f"--holidays: {file}: cannot be read ({exc.strerror or exc})") from exc
    lines = [line for line in lines if line and not line.startswith("#")]
    if lines and "date" in [c.strip().lower() for c in lines[0].split(",")]:
        column = [c.strip().lower() for c in lines[0].split(",")].index("date")
        lines = [line.split(",")[column].strip() for line in lines[1:]]
    out = []
    for number, line in enumerate(lines, start=1):
        try:
            out.append(date.fromisoformat(line))
        except ValueError as exc:
            raise ConfigError(
                f"--holidays: {file}, line {number}: expected a date such as 2026-12-25, got {line!r}"
            ) from exc
    return tuple(out)
