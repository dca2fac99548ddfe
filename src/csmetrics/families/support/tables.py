"""Support's time-series tables: `volume` (created, solved, backlog at each bucket's end) and
`response_times` (medians and p90s by creation bucket), per --grain."""

from __future__ import annotations

import polars as pl

from csmetrics.core.timeparts import bucket_expr, local_date
from csmetrics.core.window import Observed, Window


def _bucket(column: str, window: Window) -> pl.Expr:
    day = local_date(pl.col(column), window.timezone)
    return bucket_expr(day, window.grain, window.week_start).alias("bucket")


def volume_counts(facts: pl.LazyFrame, window: Window, has_solved_at: bool) -> list[pl.LazyFrame]:
    """Created per bucket, solved per bucket, and the backlog at the window's start."""
    created = (
        facts.filter("in_window")
        .group_by(_bucket("created_at", window))
        .agg(pl.len().alias("created"))
    )
    frames = [created]
    if has_solved_at:
        frames.append(
            facts.filter("solved_in_window")
            .group_by(_bucket("solved_at", window))
            .agg(pl.len().alias("solved"))
        )
    solved_before = (
        (pl.col("solved_at") < window.since).fill_null(False) if has_solved_at else pl.lit(False)
    )
    frames.append(
        facts.select(
            ((pl.col("created_at") < window.since) & ~solved_before).sum().alias("open_at_start")
        )
    )
    return frames


def volume_table(
    created: pl.DataFrame,
    solved: pl.DataFrame | None,
    open_at_start: int,
    window: Window,
    observed: Observed,
) -> pl.DataFrame:
    """Per bucket: created, solved, and the backlog at the bucket's end (open at the window's
    start, plus created, less solved, so far)."""
    table = (
        window.buckets(observed).select("bucket", "partial").join(created, on="bucket", how="left")
    )
    if solved is not None:
        table = table.join(solved, on="bucket", how="left").with_columns(
            pl.col("solved").fill_null(0)
        )
    else:
        table = table.with_columns(solved=pl.lit(None, pl.UInt32))
    table = table.sort("bucket").with_columns(
        pl.col("created").fill_null(0).cast(pl.Int64), pl.col("solved").cast(pl.Int64)
    )
    running = pl.col("created").cum_sum() - pl.col("solved").fill_null(0).cum_sum()
    backlog = pl.when(pl.lit(solved is not None)).then(open_at_start + running)
    return table.select("bucket", "created", "solved", backlog.alias("backlog"), "partial")


def response_times(facts: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """Per creation bucket: first-response and resolution medians and p90s (hours)."""

    def stats(column: str, name: str) -> list[pl.Expr]:
        values = pl.col(column)
        return [
            values.median().alias(f"{name}_median_hours"),
            values.quantile(0.9, interpolation="linear").alias(f"{name}_p90_hours"),
        ]

    return (
        facts.filter("in_window")
        .group_by(_bucket("created_at", window))
        .agg(
            *stats("response_hours", "first_response"),
            *stats("resolution_hours", "resolution"),  # set only for tickets solved before until
        )
    )
