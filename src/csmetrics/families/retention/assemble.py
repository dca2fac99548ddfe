"""Retention's tables and headline rates from the small collected frames (see metrics.md)."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.timeparts import Grain, bucket_index
from csmetrics.core.window import Observed, Window
from csmetrics.families.retention.grid import cohort_grid
from csmetrics.families.retention.params import HEADLINE_OFFSETS, RetentionParams


def horizon_of(window: Window, observed: Observed) -> datetime:
    """min(until, the last event of the whole export): later buckets are not yet observable."""
    last = observed[1]
    return window.until if last is None else min(window.until, last)


def cohort_table(
    sizes: pl.DataFrame,
    cells: pl.DataFrame,
    window: Window,
    observed: Observed,
    grain: Grain,
    params: RetentionParams,
) -> pl.DataFrame:
    """The `cohorts` table: cohort, size, offset, users, rate, partial, before_window. A cell
    (and a cohort's size) whose bucket starts at or after the horizon is null, never 0."""
    horizon = horizon_of(window, observed)
    grid = cohort_grid(
        window,
        grain,
        params.periods,
        horizon,
        headline_offsets=HEADLINE_OFFSETS[grain],
        first_event=observed[0],
    ).with_columns(cidx=bucket_index(pl.col("cohort"), grain))
    table = grid.join(sizes, on="cidx", how="left").join(cells, on=["cidx", "offset"], how="left")
    cohort_seen = pl.col("observable").any().over("cohort")  # its own bucket, offset 0
    size = pl.when(cohort_seen).then(pl.col("size").fill_null(0)).cast(pl.Int64)
    users = (
        pl.when(~pl.col("observable"))
        .then(None)
        .when(pl.col("offset") == 0)
        .then(pl.col("size"))
        .otherwise(pl.col("users").fill_null(0))
        .cast(pl.Int64)
    )
    return (
        table.with_columns(size=size)
        .with_columns(users=users)
        .select(
            "cohort",
            "size",
            "offset",
            "users",
            pl.when(pl.col("size") > 0).then(pl.col("users") / pl.col("size")).alias("rate"),
            "partial",
            "before_window",
        )
        .sort("cohort", "offset")
    )


def window_buckets(window: Window, observed: Observed, grain: Grain) -> pl.DataFrame:
    return window.buckets(observed, grain).with_columns(idx=bucket_index(pl.col("bucket"), grain))


def headline_rates(
    sizes: pl.DataFrame,
    cells: pl.DataFrame,
    window: Window,
    observed: Observed,
    grain: Grain,
    horizon: datetime,
) -> tuple[dict[str, float | None], list[DataWarning]]:
    """retention.period_k_rate: over buckets b wholly inside the window and observable, the
    cohort-size-weighted mean of retention(b - k, k)."""
    buckets = window_buckets(window, observed, grain).filter(
        (pl.col("start") >= window.since)
        & (pl.col("end") <= window.until)
        & (pl.col("end") <= horizon)
    )
    metrics: dict[str, float | None] = {}
    warnings: list[DataWarning] = []
    for k in HEADLINE_OFFSETS[grain]:
        metric = f"retention.period_{k}_rate"
        cohorts = buckets.select(cidx=pl.col("idx") - k, offset=pl.lit(k, pl.Int32))
        joined = cohorts.join(sizes, on="cidx", how="left").join(
            cells, on=["cidx", "offset"], how="left"
        )
        size = int(joined["size"].fill_null(0).sum())
        users = int(joined["users"].fill_null(0).sum())
        metrics[metric] = users / size if size else None
        if not size:
            why = f"no cohort with members has its bucket +{k} wholly inside the window and observable"
            warnings.append(DataWarning("empty_denominator", why, metric))
    return metrics, warnings


def lifecycle_table(
    flows: pl.DataFrame, new: pl.DataFrame, window: Window, observed: Observed, grain: Grain
) -> pl.DataFrame:
    """The `lifecycle` table per window bucket; dormant is negative."""
    before = flows.select(
        (pl.col("idx") + 1).alias("idx"),
        (pl.col("continued").cast(pl.Int64) - pl.col("active").cast(pl.Int64)).alias("dormant"),
    )
    table = (
        window_buckets(window, observed, grain)
        .join(new, on="idx", how="left")
        .join(flows, on="idx", how="left")
        .join(before, on="idx", how="left")
    )
    counts = ("new", "returning", "resurrecting", "dormant")
    return table.sort("bucket").select(
        "bucket", *(pl.col(c).fill_null(0).cast(pl.Int64) for c in counts), "partial"
    )


def churn_rate(
    flows: pl.DataFrame, window: Window, observed: Observed, grain: Grain
) -> tuple[float | None, list[DataWarning]]:
    """Entities active in the bucket before the window's last complete bucket but not in it,
    over those active in the bucket before."""
    metric = "retention.user_churn_rate"
    complete = window_buckets(window, observed, grain).filter(~pl.col("partial"))
    if complete.height == 0:
        return None, [
            DataWarning("no_complete_buckets", "no complete bucket in the window", metric)
        ]
    previous = int(complete["idx"][-1]) - 1
    row = flows.filter(pl.col("idx") == previous)
    active = int(row["active"][0]) if row.height else 0
    if not active:
        return None, [
            DataWarning("empty_denominator", "nobody was active in the bucket before", metric)
        ]
    return (active - int(row["continued"][0])) / active, []
