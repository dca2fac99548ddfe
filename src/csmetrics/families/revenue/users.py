"""ARPU's active users (metrics.md: MRR / distinct active users of the paying accounts in the
window's last month). The month is the calendar month that ends at the window's end: for a
month-aligned window exactly its last month, for a shorter one (a week) the month before its end,
so a weekly ARPU is on the same scale as a monthly one. Active means engagement's definition:
every event but the `inactive_events`."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.timeparts import zone
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Frames, RunContext
from csmetrics.families.revenue.mrr import account_mrr

# what the event stage hands on: one row per (account, user) active in the month
USER_COLUMNS = ("account_id", "user_id")


def user_month(window: Window) -> tuple[datetime, datetime]:
    """[start, until): one calendar month back from the window's end, in its time zone (the day
    clipped to the shorter month: March 31 goes back to February 28)."""
    local = window.until.astimezone(zone(window.timezone))
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    day = min(local.day, calendar.monthrange(year, month)[1])
    start = local.replace(year=year, month=month, day=day)
    return start.astimezone(UTC), window.until


def reads_users(columns: Columns) -> bool:
    """Whether the events can say who was active in which account."""
    return "events" in columns and {"user_id", "account_id"} <= set(columns["events"])


def users_stage(
    frames: Frames, columns: Columns, window: Window, inactive_events: tuple[str, ...]
) -> dict[str, pl.LazyFrame]:
    """Stage 1: the events reduced to the (account, user) pairs active in ARPU's month; the
    other sources pass through. Ids become strings, as Spark's stage gives them."""
    passed = {kind: frame for kind, frame in frames.items() if kind != "events"}
    if not reads_users(columns):
        return passed
    start, until = user_month(window)
    events = frames["events"]
    if inactive_events:
        events = events.filter(~pl.col("event").is_in(list(inactive_events)))
    pairs = (
        events.filter(pl.col("timestamp").is_between(start, until, closed="left"))
        .filter(pl.col("account_id").is_not_null() & pl.col("user_id").is_not_null())
        .select(*USER_COLUMNS)
        .unique()
        .select(pl.col(c).cast(pl.String) for c in USER_COLUMNS)
    )
    return {**passed, "month_users": pairs}


def arpu_users(
    month_users: pl.LazyFrame, lines: pl.LazyFrame, instant_end: datetime
) -> pl.LazyFrame:
    """The distinct active users of the accounts paying at the window's end, and how many of
    those accounts had any (the rest count no user: a warning says how many)."""
    paying = (
        account_mrr(lines, instant_end)
        .filter(pl.col("mrr") > 0)
        .select(pl.col("account_id").cast(pl.String))
    )
    theirs = month_users.join(paying, on="account_id", how="semi")
    return theirs.select(
        pl.col("user_id").n_unique().cast(pl.Int64).alias("active_users"),
        pl.col("account_id").n_unique().cast(pl.Int64).alias("accounts"),
    )


def arpu(
    found: pl.DataFrame | None, ctx: RunContext, mrr: float | None, paying: int
) -> tuple[float | None, list[DataWarning]]:
    """ARPU and what a reader must know about it: the month's reach into the events, and the
    paying accounts none of whose users was seen (their MRR still counts)."""
    if found is None:  # no events, or events without user_id/account_id: needs.py says so
        return None, []
    start, until = user_month(ctx.window)
    users, seen = found.row(0)
    month = f"{_day(start, ctx)} to {_day(until - timedelta(microseconds=1), ctx)}"
    if not paying or not mrr:
        return None, [_null("no paying accounts at the window's end")]
    if not users:
        return None, [_null(f"no active user of the paying accounts in the events of {month}")]
    warnings = []
    if seen < paying:
        warnings.append(
            DataWarning(
                "accounts_without_users",
                f"{paying - seen:,} of {paying:,} paying accounts have no active user in the "
                f"events of {month}; their MRR still counts in ARPU, which is higher than their "
                "use would make it (check that the events cover every account)",
                METRIC,
                count=paying - seen,
            )
        )
    first, last = ctx.observed.get("events", (None, None))
    if first is not None and last is not None and (first > start or last < until - DAY):
        warnings.append(
            DataWarning(
                "events_outside_month",
                f"the events run from {_day(first, ctx)} to {_day(last, ctx)} and do not cover "
                f"ARPU's month, {month}: fewer users are counted than were active",
                METRIC,
                source="events",
            )
        )
    return mrr / users, warnings


METRIC = "revenue.arpu"
DAY = timedelta(days=1)


def _null(reason: str) -> DataWarning:
    return DataWarning("empty_denominator", reason, METRIC)


def _day(instant: datetime, ctx: RunContext) -> str:
    return instant.astimezone(zone(ctx.window.timezone)).strftime("%Y-%m-%d")
