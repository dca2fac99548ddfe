"""The reporting window: `[since, until)` in UTC, the report time zone, week start and grain.

`--since/--until` or `--period` (relative forms are computed from `--as-of`) give a `WindowSpec`.
With `--period all` (the default) a bound stays open until the data's observed range closes it
(`WindowSpec.resolved`): the first and the day after the last day with data, in the report time
zone. Families plan with the resolved `Window` only, so both bounds are always set.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl

from csmetrics.core.errors import ConfigError, InputError
from csmetrics.core.timeparts import (
    ONE_MICROSECOND,
    TIMESTAMP_DTYPE,
    UTC,
    Grain,
    WeekStart,
    add_months,
    bucket_start_of,
    local_day_of,
    local_midnight,
    month_start_of,
    next_bucket_start,
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
    "YYYY",
    "all",
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_LAST_DAYS = re.compile(r"^last-(\d+)d$")


@dataclass(frozen=True)
class WindowSpec:
    """The window as asked for: a bound of `--period all` stays open (None) until the data's
    observed range closes it (`resolved`). Families only ever see a resolved `Window`."""

    since: datetime | None
    until: datetime | None
    timezone: str = "UTC"
    week_start: WeekStart = "monday"
    grain: Grain = "day"
    label: str | None = None

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        if self.since is None or self.until is None:
            return "all"
        return Window(self.since, self.until, self.timezone).name

    def resolved(self, first: datetime | None, last: datetime | None, what: str = "") -> Window:
        """Close open bounds with the data's observed range `[first, last]`: the local midnight
        of its first day, the local midnight after its last day."""
        since, until = self.since, self.until
        for end in (first, last):
            if end is not None and not MIN_YEAR <= end.year <= MAX_YEAR:
                raise InputError(
                    f"{what or 'the data'}: no time between 2000 and next year, and times as "
                    f"far as {end:%Y-%m-%d}: check the time column's unit or format, or give "
                    "--since and --until"
                )
        if since is None and first is not None:
            since = local_midnight(local_day_of(first, self.timezone), self.timezone)
        if until is None and last is not None:
            day_after = local_day_of(last, self.timezone) + timedelta(days=1)
            until = local_midnight(day_after, self.timezone)
        if since is None or until is None:
            raise InputError(f"{what or 'the data'}: holds no rows to report on")
        until = max(until, since)
        return Window(since, until, self.timezone, self.week_start, self.grain, self.label)


@dataclass(frozen=True)
class Window:
    """The resolved window `[since, until)` in UTC, with the calendar every family buckets by:
    local days, buckets of a grain with their partial flags, month ends, the previous window
    and cohort grids. All calendar arithmetic of the families lives here and in timeparts."""

    since: datetime
    until: datetime
    timezone: str = "UTC"
    week_start: WeekStart = "monday"
    grain: Grain = "day"
    label: str | None = None

    @property
    def name(self) -> str:
        """A label for file names and headings: `2026-W46`, `2026-10`, or `since_until`."""
        if self.label:
            return self.label
        return f"{self.first_day.isoformat()}_{self.last_day.isoformat()}"

    @property
    def first_day(self) -> date:
        return local_day_of(self.since, self.timezone)

    @property
    def last_day(self) -> date:
        """The local day holding the window's last instant."""
        return local_day_of(self.until - ONE_MICROSECOND, self.timezone)

    def days(self) -> list[date]:
        """Every local day the window touches, in order (none for an empty window)."""
        if self.until <= self.since:
            return []
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(count)]

    def midnight(self, day: date) -> datetime:
        return local_midnight(day, self.timezone)

    def is_partial(self, start: date, end: date, observed: Observed) -> bool:
        """Whether the local days `[start, end)` are not wholly inside both the window and the
        data's observed range `[first, last]` (metrics.md: partial buckets)."""
        begin, finish = self.midnight(start), self.midnight(end)
        first, last = observed
        inside_window = begin >= self.since and finish <= self.until
        inside_data = (
            first is not None
            and last is not None
            and begin >= first
            and finish <= last + ONE_MICROSECOND
        )
        return not (inside_window and inside_data)

    def buckets(self, observed: Observed, grain: Grain | None = None) -> pl.DataFrame:
        """One row per bucket of `grain` (default the window's) that the window touches:
        `bucket` (its first local day), `start`/`end` (UTC instants) and `partial`."""
        grain = grain or self.grain
        starts = sorted({bucket_start_of(d, grain, self.week_start) for d in self.days()})
        ends = [next_bucket_start(b, grain) for b in starts]
        return pl.DataFrame(
            {
                "bucket": starts,
                "start": [self.midnight(b) for b in starts],
                "end": [self.midnight(e) for e in ends],
                "partial": [
                    self.is_partial(b, e, observed) for b, e in zip(starts, ends, strict=True)
                ],
            },
            schema=BUCKET_SCHEMA,
        )

    def month_ends(self) -> list[tuple[date, datetime]]:
        """(month, its last instant) for each calendar month whose end lies in the window, in
        the window's time zone: the instants of monthly snapshots such as month-end MRR."""
        out: list[tuple[date, datetime]] = []
        month = month_start_of(self.first_day)
        while True:
            end = self.midnight(add_months(month, 1))
            if end > self.until:
                return out
            if end > self.since:
                out.append((month, end - ONE_MICROSECOND))
            month = add_months(month, 1)

    def previous(self) -> Window:
        """The window of equal length just before this one, for period-over-period changes. A
        window of whole calendar months (2026-10, a quarter) is preceded by the same number of
        whole months, so October compares with September, not with 31 days."""
        first, end = self.first_day, local_day_of(self.until, self.timezone)
        whole_months = (
            first.day == 1
            and end.day == 1
            and self.since == self.midnight(first)
            and self.until == self.midnight(end)
        )
        label = None
        if whole_months:
            months = (end.year - first.year) * 12 + end.month - first.month
            start = add_months(first, -months)
            since = self.midnight(start)
            # one month reads as its name (2026-09), as the window it is compared with does
            label = f"{start:%Y-%m}" if months == 1 else None
        else:
            since = self.since - (self.until - self.since)
            if self.label is not None and ("-W" in self.label or self.label.startswith("week-of")):
                # a week reads as its name too (2026-W41), as the week it is compared with
                start = local_day_of(since, self.timezone)
                label = _week_label(start, WindowSpec(None, None, self.timezone, self.week_start))
        return replace(self, since=since, until=self.since, label=label)


MIN_YEAR, MAX_YEAR = 2, 9998  # a day either side stays a representable date


def shift_by_buckets(day: date, grain: Grain, count: int) -> date:
    """`day` moved by `count` buckets of `grain` (a month keeps its day, clamped to the end)."""
    if grain == "day":
        return day + timedelta(days=count)
    if grain == "week":
        return day + timedelta(days=7 * count)
    first = add_months(day, count)
    last_of_month = (add_months(first, 1) - timedelta(days=1)).day
    return first.replace(day=min(day.day, last_of_month))


Observed = tuple[datetime | None, datetime | None]  # a source's first and last timestamp
BUCKET_SCHEMA = pl.Schema(
    {"bucket": pl.Date(), "start": TIMESTAMP_DTYPE, "end": TIMESTAMP_DTYPE, "partial": pl.Boolean()}
)


def parse_instant(text: str | date | datetime, tz: str, option: str) -> datetime:
    """A date (`2026-11-02` or a `datetime.date`: local midnight) or an ISO datetime (text or
    a `datetime.datetime`; naive = local time) as UTC."""
    if isinstance(text, datetime):
        aware = text if text.tzinfo is not None else text.replace(tzinfo=zone(tz))
        return aware.astimezone(UTC)
    if isinstance(text, date):
        return local_midnight(text, tz)
    value = str(text).strip()
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
    since: str | date | None = None,
    until: str | date | None = None,
    period: str | None = None,
    as_of: str | date | None = None,
    timezone: str = "UTC",
    week_start: str = "monday",
    grain: str = "day",
    now: datetime | None = None,
) -> WindowSpec:
    """The window from the command-line/config options (see the module docstring)."""
    zone(timezone)
    if week_start not in ("monday", "sunday"):
        raise ConfigError(
            f"--week-start (week_start=): expected monday or sunday, got {week_start!r}"
        )
    if grain not in ("day", "week", "month"):
        raise ConfigError(f"--grain (grain=): expected day, week or month, got {grain!r}")
    base = WindowSpec(None, None, timezone, week_start, grain)  # type: ignore[arg-type]
    if period and (since or until):
        raise ConfigError(
            "--period (period=) cannot be combined with --since/--until (since=/until=): use one or the "
            "other"
        )
    if period:
        anchor = (
            parse_instant(as_of, timezone, "--as-of (as_of=)")
            if as_of
            else (now or datetime.now(UTC))
        )
        return _period_window(period, anchor, base)
    start = parse_instant(since, timezone, "--since (since=)") if since else None
    end = parse_instant(until, timezone, "--until (until=)") if until else None
    if start and end and end <= start:
        raise ConfigError(f"--until/until= ({until}) must be after --since/since= ({since})")
    return replace(base, since=start, until=end)


def _period_window(period: str, as_of: datetime, base: WindowSpec) -> WindowSpec:
    tz = base.timezone
    today = local_day_of(as_of, tz)

    def days(first: date, end: date, label: str | None = None) -> WindowSpec:
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
            raise ConfigError(f"--period (period=): {period!r} needs at least one day")
        return days(today - timedelta(days=count), today)
    if match := _MONTH.match(text):
        year, month_number = int(match.group(1)), int(match.group(2))
        if not 1 <= month_number <= 12:
            raise ConfigError(f"--period (period=): no month {month_number} in {period!r}")
        first = date(year, month_number, 1)
        return days(first, add_months(first, 1), period)
    if match := _ISO_WEEK.match(period.strip().upper()):
        try:
            first = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError as exc:
            raise ConfigError(f"--period (period=): {period!r} is not an ISO week") from exc
        return days(first, first + timedelta(days=7), period.strip().upper())
    if match := _QUARTER.match(period.strip().upper()):
        first = date(int(match.group(1)), 3 * (int(match.group(2)) - 1) + 1, 1)
        return days(first, add_months(first, 3), period.strip().upper())
    if match := _YEAR.match(period.strip()):
        first = date(int(match.group(1)), 1, 1)
        return days(first, add_months(first, 12), period.strip())
    words = ("all", "this-week", "last-week", "this-month", "last-month", "last-quarter")
    close = difflib.get_close_matches(text, words, n=1, cutoff=0.7)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ConfigError(
        f"--period (period=): expected one of {', '.join(PERIODS)}; got {period!r}{hint}"
    )


def _week_label(first: date, base: WindowSpec) -> str:
    if base.week_start == "monday":
        year, week, _ = first.isocalendar()
        return f"{year}-W{week:02d}"
    return f"week-of-{first.isoformat()}"


BOUNDS = ("since", "until", "period")
CALENDAR = ("as_of", "timezone", "week_start", "grain")


def window_settings(config: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """The window settings in force, one rule for the command line and the API: bounds given
    (since, until, period) replace the config's bounds as a whole (a `--period` on the command
    line is not combined with the config's `since`); every other window setting given wins over
    the config's. None is not given; what neither sets is left out (build_window's default)."""
    unknown = sorted(set(given) - {*BOUNDS, *CALENDAR})
    if unknown:  # `**window` takes the keywords no parameter took: a misspelt setting lands here
        close = difflib.get_close_matches(unknown[0], (*BOUNDS, *CALENDAR), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise TypeError(f"unexpected keyword argument {unknown[0]!r}{hint}")
    chosen = {key: value for key, value in given.items() if value is not None}
    bounds = chosen if any(key in chosen for key in BOUNDS) else config
    words = {key: bounds[key] for key in BOUNDS if bounds.get(key) is not None}
    for key in CALENDAR:
        value = chosen.get(key, config.get(key))
        if value is not None:
            words[key] = str(value)
    return words
