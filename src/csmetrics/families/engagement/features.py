"""Feature adoption: per feature (an event name, or a configured feature listing events), the
users and accounts that used it in the window, and its first and last use there. Counted from
the distinct events of each user and account (made in the groupings that read the events)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csmetrics.families.engagement.params import EngagementParams


def feature_mapping(features: Mapping[str, tuple[str, ...]]) -> pl.LazyFrame:
    """(event, feature) for each event a configured feature lists."""
    return pl.LazyFrame(
        [(event, feature) for feature, events in features.items() for event in events],
        schema={"event": pl.String, "feature": pl.String},
        orient="row",
    )


def event_times(current: pl.LazyFrame) -> pl.LazyFrame:
    """Each event's first and last use in the window."""
    return current.group_by("event").agg(
        pl.col("timestamp").min().alias("first_seen"),
        pl.col("timestamp").max().alias("last_seen"),
    )


def feature_usage(
    user_used: pl.LazyFrame,
    account_used: pl.LazyFrame,
    times: pl.LazyFrame,
    params: EngagementParams,
) -> pl.LazyFrame:
    """Per feature: distinct users and accounts that used it in the window, first and last use.

    `user_used` and `account_used` hold each user's and account's distinct window events
    (`used`); a feature's users are the distinct users whose events include one of its events.
    """

    def per_feature(frame: pl.LazyFrame, key: str, name: str) -> pl.LazyFrame:
        pairs = frame.select(key, pl.col("used").alias("event")).explode("event").drop_nulls()
        pairs = to_features(pairs, params).unique([key, "feature"])
        return pairs.group_by("feature").agg(pl.len().alias(name))

    first_last = (
        to_features(times, params)
        .group_by("feature")
        .agg(pl.col("first_seen").min(), pl.col("last_seen").max())
    )
    return (
        per_feature(user_used, "user_id", "users")
        .join(per_feature(account_used, "rank", "accounts"), on="feature", how="left")
        .join(first_last, on="feature", how="left")
        .with_columns(pl.col("accounts").fill_null(0))
    )


def to_features(frame: pl.LazyFrame, params: EngagementParams) -> pl.LazyFrame:
    """The frame's rows by feature: the event itself, or each configured feature listing it."""
    if not params.features:
        return frame.with_columns(feature=pl.col("event").cast(pl.String)).drop("event")
    mapping = feature_mapping(params.features)
    return (
        frame.with_columns(pl.col("event").cast(pl.String))
        .join(mapping, on="event", how="inner")
        .drop("event")
    )


def features_table(
    used: pl.DataFrame, params: EngagementParams, active_users: int, active_accounts: int | None
) -> pl.DataFrame:
    """The `feature_adoption` table; configured features with no use are listed with 0."""
    if active_accounts is None:  # events without account_id: accounts are unknown, not 0
        used = used.with_columns(accounts=pl.lit(None, pl.UInt32))
    if params.features:
        names = pl.DataFrame({"feature": list(params.features)}, schema={"feature": pl.String})
        used = names.join(used, on="feature", how="left").with_columns(pl.col("users").fill_null(0))
        if active_accounts is not None:
            used = used.with_columns(pl.col("accounts").fill_null(0))
    return used.select(
        "feature",
        pl.col("users").cast(pl.Int64),
        (pl.col("users") / active_users if active_users else pl.lit(None, pl.Float64)).alias(
            "user_share"
        ),
        pl.col("accounts").cast(pl.Int64),
        (
            pl.col("accounts") / active_accounts if active_accounts else pl.lit(None, pl.Float64)
        ).alias("account_share"),
        "first_seen",
        "last_seen",
    ).sort(["users", "feature"], descending=[True, False])
