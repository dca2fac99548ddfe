"""Distinct entity-buckets, computed once; every retention output derives from them.

`entity_buckets`: (entity, idx) for each bucket in which an entity had a return event, `idx`
being the bucket's index (timeparts.bucket_index: consecutive buckets differ by one). `cohorts`
and `lifecycle` read only these and the signups.
"""

from __future__ import annotations

import polars as pl

from csmetrics.core.timeparts import Grain, bucket_expr, bucket_index, local_date
from csmetrics.core.window import Window
from csmetrics.families.retention.params import RetentionParams


def index_of(ts: pl.Expr, window: Window, grain: Grain) -> pl.Expr:
    """The bucket index of a UTC timestamp, by local day in the report's time zone."""
    bucket = bucket_expr(local_date(ts, window.timezone), grain, window.week_start)
    return bucket_index(bucket, grain)


def return_events(events: pl.LazyFrame, params: RetentionParams) -> pl.LazyFrame:
    """The events that count as a return: `return_events`, else every active event."""
    if params.return_events:
        return events.filter(pl.col("event").is_in(list(params.return_events)))
    if params.inactive_events:
        return events.filter(~pl.col("event").is_in(list(params.inactive_events)))
    return events


def entity_buckets(returns: pl.LazyFrame, window: Window, grain: Grain) -> pl.LazyFrame:
    """Distinct (entity, idx) of the return events."""
    return returns.select(
        "entity", index_of(pl.col("timestamp"), window, grain).alias("idx")
    ).unique()


def signup_buckets(signed: pl.LazyFrame, window: Window, grain: Grain) -> pl.LazyFrame:
    """(entity, cidx): the bucket index of each entity's signup."""
    return signed.select("entity", index_of(pl.col("signup"), window, grain).alias("cidx"))
