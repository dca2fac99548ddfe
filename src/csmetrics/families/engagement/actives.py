"""Active users: DAU, rolling WAU7/MAU30, distinct users per bucket and active days per week.

Rolling distinct counts come from user-days without any per-day self-join: each user-day
"covers" the days from itself until the user's next active day or the end of the rolling window,
whichever comes first; the covered spans of one user never overlap, so the distinct users
covering day d is a running sum of +1 at span starts and -1 at span ends.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from csmetrics.core.timeparts import bucket_expr, week_start_expr
from csmetrics.core.window import Observed, Window
from csmetrics.families.engagement.params import LOOKBACK_DAYS, ROLLING_WINDOWS
from csmetrics.families.shared.exact import exact_mean


def user_days(ordered: pl.LazyFrame) -> pl.LazyFrame:
    """Distinct (user_id, day), ordered by user then day (the timeline's order)."""
    return ordered.filter("new_day").select("user_id", "day")


def window_user_days(days: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    return days.filter(pl.col("day") >= window.first_day)


def daily_counts(days: pl.LazyFrame) -> pl.LazyFrame:
    """Per day: DAU, and the user spans ending that day for each rolling window (module doc).

    `days` is ordered by user then day, so a user's next active day is on the next row.
    """
    same_user = pl.col("user_id") == pl.col("user_id").shift(-1)
    next_day = pl.when(same_user).then(pl.col("day").shift(-1))
    spans = days.with_columns(
        (
            pl.min_horizontal(next_day, pl.col("day") + pl.duration(days=size)).alias(f"end_{name}")
            for name, size in ROLLING_WINDOWS.items()
        )
    )
    starts = spans.select("day", pl.lit("dau").alias("kind"))
    ends = [
        spans.select(pl.col(f"end_{name}").alias("day"), pl.lit(f"end_{name}").alias("kind"))
        for name in ROLLING_WINDOWS
    ]
    return (
        pl.concat([starts, *ends]).group_by("day", "kind").agg(pl.len().cast(pl.Int64).alias("n"))
    )


def window_totals(ordered: pl.LazyFrame, account_events: pl.LazyFrame) -> pl.LazyFrame:
    """Active users (the timeline's users with a first row in the window) and active accounts
    (one row each in `account_events`) of the window."""
    users = ordered.select(pl.col("first_in_window").sum().alias("active_users"))
    accounts = account_events.select(pl.len().alias("active_accounts"))
    return pl.concat([users, accounts], how="horizontal")


def bucket_active_users(days: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    bucket = bucket_expr(pl.col("day"), window.grain, window.week_start)
    return days.group_by(bucket.alias("bucket")).agg(
        pl.col("user_id").n_unique().alias("active_users")
    )


def weekly_active_days(days: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """(week, active_days, users): how many users were active on n days of each week."""
    week = week_start_expr(pl.col("day"), window.week_start).alias("week")
    per_user = days.group_by(week, "user_id").agg(pl.len().alias("active_days"))
    return per_user.group_by("week", "active_days").agg(pl.len().alias("users"))


# --- tables, from the small collected frames ----------------------------------------------------

DAILY_SCHEMA = {
    "day": pl.Date,
    "dau": pl.Int64,
    "wau7": pl.Int64,
    "mau30": pl.Int64,
    "stickiness": pl.Float64,
    "partial": pl.Boolean,
}


def daily_table(daily_long: pl.DataFrame, window: Window, observed: Observed) -> pl.DataFrame:
    """One row per window day: dau, wau7, mau30, stickiness, partial."""
    days = window.days()
    if not days:
        return pl.DataFrame(schema=DAILY_SCHEMA)
    calendar_start = days[0] - timedelta(days=LOOKBACK_DAYS)
    first_seen = daily_long["day"].min() if daily_long.height else None
    if isinstance(first_seen, date) and first_seen < calendar_start:
        calendar_start = first_seen  # a session gap longer than the rolling windows reads further
    calendar = pl.DataFrame({"day": pl.date_range(calendar_start, days[-1], "1d", eager=True)})
    wide = (
        daily_long.pivot(on="kind", index="day", values="n", aggregate_function="sum")
        if daily_long.height
        else pl.DataFrame(schema={"day": pl.Date})
    )
    for kind in ("dau", *(f"end_{name}" for name in ROLLING_WINDOWS)):
        if kind not in wide.columns:
            wide = wide.with_columns(pl.lit(0, pl.Int64).alias(kind))
    full = calendar.join(wide, on="day", how="left").fill_null(0).sort("day")
    full = full.with_columns(
        (pl.col("dau").cum_sum() - pl.col(f"end_{name}").cum_sum()).alias(name)
        for name in ROLLING_WINDOWS
    )
    table = full.filter(pl.col("day") >= days[0]).select("day", "dau", *ROLLING_WINDOWS)
    partial = [window.is_partial(d, d + timedelta(days=1), observed) for d in table["day"]]
    return table.with_columns(
        stickiness=pl.when(pl.col("mau30") > 0).then(pl.col("dau") / pl.col("mau30")),
        partial=pl.Series(partial, dtype=pl.Boolean),
    )


def activity_table(
    daily: pl.DataFrame, buckets: pl.DataFrame | None, window: Window, observed: Observed
) -> pl.DataFrame:
    if window.grain == "day":
        return daily.rename({"day": "bucket"})
    assert buckets is not None
    bucket = bucket_expr(pl.col("day"), window.grain, window.week_start).alias("bucket")
    last_day = pl.col("day").max()
    grouped = daily.group_by(bucket).agg(
        exact_mean(pl.col("dau")).alias("dau_mean"),
        pl.col("wau7").filter(pl.col("day") == last_day).first(),
        pl.col("mau30").filter(pl.col("day") == last_day).first(),
        exact_mean(pl.col("stickiness")).alias("stickiness"),
    )
    calendar = window.buckets(observed).select("bucket", "partial")
    table = (
        calendar.join(grouped, on="bucket", how="left")
        .join(buckets, on="bucket", how="left")
        .with_columns(pl.col("active_users").fill_null(0).cast(pl.Int64))
        .sort("bucket")
    )
    return table.select(
        "bucket", "active_users", "dau_mean", "wau7", "mau30", "stickiness", "partial"
    )


def active_days_table(weekly: pl.DataFrame, window: Window, observed: Observed) -> pl.DataFrame:
    weeks = window.buckets(observed, "week").select(pl.col("bucket").alias("week"), "partial")
    grid = weeks.join(
        pl.DataFrame({"active_days": range(1, 8)}, schema={"active_days": pl.UInt32}),
        how="cross",
    )
    counts = weekly.with_columns(
        pl.col("active_days").cast(pl.UInt32), pl.col("users").cast(pl.Int64)
    )
    table = grid.join(counts, on=["week", "active_days"], how="left").with_columns(
        pl.col("users").fill_null(0)
    )
    week_total = pl.col("users").sum().over("week")
    return table.select(
        "week",
        "active_days",
        "users",
        pl.when(week_total > 0).then(pl.col("users") / week_total).alias("share"),
        "partial",
    ).sort("week", "active_days")
