"""Feature adoption: per feature (an event name, or a configured feature listing events), the
users and accounts that used it in the window, and its first and last use there."""

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


def feature_usage(current: pl.LazyFrame, params: EngagementParams) -> pl.LazyFrame:
    """Per feature: distinct users and accounts, first and last use (from the window's ranked
    active events)."""
    if params.features:
        event_dtype = current.collect_schema()["event"]
        mapping = feature_mapping(params.features).with_columns(pl.col("event").cast(event_dtype))
        used = current.join(mapping, on="event", how="inner")
    else:
        used = current.with_columns(feature=pl.col("event"))
    return (
        used.group_by("feature")
        .agg(
            pl.col("user_id").n_unique().alias("users"),
            pl.col("timestamp").min().alias("first_seen"),
            pl.col("timestamp").max().alias("last_seen"),
            pl.col("rank").drop_nulls().n_unique().alias("accounts"),
        )
        .with_columns(pl.col("feature").cast(pl.String))
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
