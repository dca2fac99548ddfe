"""The reporting window: `[since, until)` in UTC, the report time zone, week start and grain.

`--since/--until` or `--period` (relative forms are computed from `--as-of`) give the bounds. With
`--period all` (the default) a bound stays open until the data's observed range closes it
(`Window.resolved`): the first and the day after the last day with data, in the report time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from csmetrics.errors import ConfigError
from csmetrics.timeparts import (
    UTC,
    Grain,
    WeekStart,
    add_months,
    local_day_of,
    local_midnight,
    month_start_of,
    week_start_of,
    zone,
)

PERIODS = (
    "last-week",
    "last-month",
    "last-quarter",
    "this-week",
    "this-month",
    "last-7d",
    "last-30d",
    "last-90d",
    "YYYY-MM",
    "YYYY-Www",
    "YYYY-Qn",
    "all",
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_LAST_DAYS = re.compile(r"^last-(\d+)d$")


@dataclass(frozen=True)
class Window:
    since: datetime | None
    until: datetime | None
    timezone: str = "UTC"
    week_start: WeekStart = "monday"
    grain: Grain = "day"
    label: str | None = None

    @property
    def is_resolved(self) -> bool:
        return self.since is not None and self.until is not None

    def resolved(self, first: datetime | None, last: datetime | None) -> Window:
        """Close open bounds with the data's observed range `[first, last]`."""
        since, until = self.since, self.until
        if since is None and first is not None:
            since = local_midnight(local_day_of(first, self.timezone), self.timezone)
        if until is None and last is not None:
            day_after = local_day_of(last, self.timezone) + timedelta(days=1)
            until = local_midnight(day_after, self.timezone)
        if since is not None and until is not None and until <= since:
            until = since
        return replace(self, since=since, until=until)

    @property
    def name(self) -> str:
        """A label for file names and headings: `2026-W46`, `2026-10`, or `since_until`."""
        if self.label:
            return self.label
        if not self.is_resolved:
            return "all"
        assert self.since is not None and self.until is not None
        first = local_day_of(self.since, self.timezone)
        last = local_day_of(self.until - timedelta(microseconds=1), self.timezone)
        return f"{first.isoformat()}_{last.isoformat()}"


def parse_instant(text: str, tz: str, option: str) -> datetime:
    """A date (`2026-11-02`, local midnight) or an ISO datetime (naive = local time) as UTC."""
    value = text.strip()
    try:
        if len(value) == 10:
            return local_midnight(date.fromisoformat(value), tz)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ConfigError(
            f"{option}: expected a date (2026-11-02) or an ISO 8601 datetime, got {text!r}"
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(tz))
    return parsed.astimezone(UTC)


def build_window(
    *,
    since: str | None = None,
    until: str | None = None,
    period: str | None = None,
    as_of: str | None = None,
    timezone: str = "UTC",
    week_start: str = "monday",
    grain: str = "day",
    now: datetime | None = None,
) -> Window:
    """The window from the command-line/config options (see the module docstring)."""
    zone(timezone)
    if week_start not in ("monday", "sunday"):
        raise ConfigError(f"--week-start: expected monday or sunday, got {week_start!r}")
    if grain not in ("day", "week", "month"):
        raise ConfigError(f"--grain: expected day, week or month, got {grain!r}")
    base = Window(None, None, timezone, week_start, grain)  # type: ignore[arg-type]
    if period and (since or until):
        raise ConfigError("--period cannot be combined with --since/--until: use one or the other")
    if period:
        anchor = parse_instant(as_of, timezone, "--as-of") if as_of else (now or datetime.now(UTC))
        return _period_window(period, anchor, base)
    start = parse_instant(since, timezone, "--since") if since else None
    end = parse_instant(until, timezone, "--until") if until else None
    if start and end and end <= start:
        raise ConfigError(f"--until ({until}) must be after --since ({since})")
    return replace(base, since=start, until=end)


def _period_window(period: str, as_of: datetime, base: Window) -> Window:
    tz = base.timezone
    today = local_day_of(as_of, tz)

    def days(first: date, end: date, label: str | None = None) -> Window:
        return replace(
            base, since=local_midnight(first, tz), until=local_midnight(end, tz), label=label
        )

    text = period.strip().lower()
    if text == "all":
        return base
    if text in ("this-week", "last-week"):
        week = week_start_of(today, base.week_start)
        if text == "this-week":
            return replace(base, since=local_midnight(week, tz), until=as_of)
        return days(week - timedelta(days=7), week, _week_label(week - timedelta(days=7), base))
    if text in ("this-month", "last-month"):
        month = month_start_of(today)
        if text == "this-month":
            return replace(base, since=local_midnight(month, tz), until=as_of)
        previous = add_months(month, -1)
        return days(previous, month, previous.strftime("%Y-%m"))
    if text == "last-quarter":
        quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        previous = add_months(quarter, -3)
        return days(previous, quarter, f"{previous.year}-Q{(previous.month - 1) // 3 + 1}")
    if match := _LAST_DAYS.match(text):
        count = int(match.group(1))
        if count < 1:
            raise ConfigError(f"--period: {period!r} needs at least one day")
        return days(today - timedelta(days=count), today)
    if match := _MONTH.match(text):
        year, month_number = int(match.group(1)), int(match.group(2))
        if not 1 <= month_number <= 12:
            raise ConfigError(f"--period: no month {month_number} in {period!r}")
        first = date(year, month_number, 1)
        return days(first, add_months(first, 1), period)
    if match := _ISO_WEEK.match(period.strip().upper()):
        try:
            first = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError as exc:
            raise ConfigError(f"--period: {period!r} is not an ISO week") from exc
        return days(first, first + timedelta(days=7), period.strip().upper())
    if match := _QUARTER.match(period.strip().upper()):
        first = date(int(match.group(1)), 3 * (int(match.group(2)) - 1) + 1, 1)
        return days(first, add_months(first, 3), period.strip().upper())
    raise ConfigError(f"--period: expected one of {', '.join(PERIODS)}; got {period!r}")


def _week_label(first: date, base: Window) -> str:
    if base.week_start == "monday":
        year, week, _ = first.isocalendar()
        return f"{year}-W{week:02d}"
    return f"week-of-{first.isoformat()}"
