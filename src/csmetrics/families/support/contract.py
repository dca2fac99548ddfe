"""The frames support's reductions hand to its `assemble` (the headline measures, volume per
bucket, response times, the breakdown), on either engine (families/contract.py checks them on
every run)."""

from __future__ import annotations

import polars as pl

from csmetrics.families.contract import FrameContract
from csmetrics.families.shared.waits import COUNTS
from csmetrics.families.support.metrics import METRICS

# the headline's columns are the declared metrics: a metric added to metrics.py and computed in
# measures.py needs no change here
HEADLINE = {metric.id: pl.Float64 for metric in METRICS}

FRAMES = {
    # one row: every metric of the declarations, and the counts behind the warnings
    "headline": FrameContract(
        {**HEADLINE, "negative_response": pl.UInt32, "negative_resolution": pl.UInt32}
    ),
    "response_times": FrameContract(
        {
            "bucket": pl.Date,
            "first_response_median_hours": pl.Float64,
            "first_response_p90_hours": pl.Float64,
            "resolution_median_hours": pl.Float64,
            "resolution_p90_hours": pl.Float64,
        },
    ),
    "response_counts": COUNTS,  # answered tickets by hours to first response (shared/waits.py)
    "created": FrameContract(
        {
            "bucket": pl.Date,
            "created": pl.UInt32,
        },
    ),
    "solved": FrameContract(
        {
            "bucket": pl.Date,
            "solved": pl.UInt32,
        },
    ),
    "open_at_start": FrameContract(
        {
            "open_at_start": pl.UInt32,
        },
    ),
    # one row per value of the breakdown column, the same measures
    "by": FrameContract({"by": pl.String, **HEADLINE}),
}
