"""Account activity: per account, active users and days, sessions and active events in the
window. Accounts are carried as ranks (timeline.with_account_rank) and named at the end."""

from __future__ import annotations

import polars as pl


def user_account_days(ordered: pl.LazyFrame) -> pl.LazyFrame:
    """(user_id, rank, day) at the first row of each run of one user, account and day: every
    distinct triple, repeated only when a user switches accounts back and forth within a day,
    which distinct counts per account (all that reads it) ignore."""
    return ordered.filter("new_account_day").select("user_id", "rank", "day")


def account_usage(
    events: pl.LazyFrame,
    current_days: pl.LazyFrame,
    sessions: pl.LazyFrame,
    ranks: pl.LazyFrame,
) -> pl.LazyFrame:
    """Per account: distinct active users and days (from user-account-days), events, sessions."""
    with_account = pl.col("rank").is_not_null()
    activity = (
        current_days.filter(with_account)
        .group_by("rank")
        .agg(
            pl.col("user_id").n_unique().alias("active_users"),
            pl.col("day").n_unique().alias("active_days"),
        )
    )
    per_account = sessions.filter(with_account).group_by("rank").agg(pl.len().alias("sessions"))
    joined = (
        activity.join(events.select("rank", "events"), on="rank", how="left")
        .join(per_account, on="rank", how="left")
        .join(ranks, on="rank", how="left")
    )
    return joined.drop("rank")


def accounts_table(accounts: pl.DataFrame) -> pl.DataFrame:
    return accounts.select(
        "account_id",
        pl.col("active_users").cast(pl.Int64),
        pl.col("active_days").cast(pl.Int64),
        pl.col("sessions").fill_null(0).cast(pl.Int64),
        pl.col("events").cast(pl.Int64),
    ).sort(["active_users", "events", "account_id"], descending=[True, True, False])
