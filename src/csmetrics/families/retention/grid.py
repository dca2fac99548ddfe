"""Which cells the `cohorts` table holds (metrics.md, Retention): cohorts from the bucket that
contains min(since, until - `periods` buckets), reaching back to every cohort a headline rate
reads, never before the bucket of the export's first event, up to the bucket before `until`;
offsets 0..max(periods, the largest headline offset). A reader can so recompute each headline
from the table."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from csmetrics.core.timeparts import (
    TIMESTAMP_DTYPE,
    Grain,
    bucket_start_of,
    local_day_of,
    next_bucket_start,
)
from csmetrics.core.window import Window, shift_by_buckets


def cohort_grid(
    window: Window,
    grain: Grain,
    periods: int,
    horizon: datetime,
    *,
    headline_offsets: tuple[int, ...] = (),
    first_event: datetime | None = None,
) -> pl.DataFrame:
    """One row per (cohort, offset): the cohort's bucket, the offset's bucket and its bounds;
    `observable` when the bucket starts before `horizon`, `partial` when the horizon falls
    inside it, `before_window` when the cohort's bucket starts before `since`."""
    first = _first_cohort(window, grain, periods, headline_offsets, first_event)
    offsets = max(periods, *headline_offsets) if headline_offsets else periods
    rows: list[tuple[date, int, date, datetime, datetime]] = []
    cohort = first
    while window.midnight(cohort) < window.until:
        bucket = cohort
        for offset in range(offsets + 1):
            after = next_bucket_start(bucket, grain)
            rows.append((cohort, offset, bucket, window.midnight(bucket), window.midnight(after)))
            bucket = after
        cohort = next_bucket_start(cohort, grain)
    grid = pl.DataFrame(
        rows, schema=["cohort", "offset", "bucket", "start", "end"], orient="row"
    ).cast({"offset": pl.Int32, "start": TIMESTAMP_DTYPE, "end": TIMESTAMP_DTYPE})
    cohort_start = pl.col("start").min().over("cohort")  # the offset-0 bucket
    return grid.with_columns(
        observable=pl.col("start") < horizon,
        partial=(pl.col("start") < horizon) & (horizon < pl.col("end")),
        before_window=cohort_start < window.since,
    )


def _first_cohort(
    window: Window,
    grain: Grain,
    periods: int,
    headline_offsets: tuple[int, ...],
    first_event: datetime | None,
) -> date:
    """The earliest cohort listed: the bucket holding min(since, until - periods buckets), or
    the earliest a headline reads (the first bucket wholly in the window, less the largest
    offset), but not a bucket that ends before the export's first event."""
    until_day = local_day_of(window.until, window.timezone)
    threshold = min(window.since, window.midnight(shift_by_buckets(until_day, grain, -periods)))
    first = bucket_start_of(local_day_of(threshold, window.timezone), grain, window.week_start)
    if headline_offsets:
        whole = bucket_start_of(window.first_day, grain, window.week_start)
        if window.midnight(whole) < window.since:
            whole = next_bucket_start(whole, grain)
        first = min(first, shift_by_buckets(whole, grain, -max(headline_offsets)))
    if first_event is not None:
        data_day = local_day_of(first_event, window.timezone)
        first = max(first, bucket_start_of(data_day, grain, window.week_start))
    return first
