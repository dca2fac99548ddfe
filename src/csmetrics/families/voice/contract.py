"""The frames voice's reductions hand to its `assemble` (the headline measures, score distribution,
NPS trend, breakdowns, comments), on either engine (families/contract.py checks them on every
run)."""

from __future__ import annotations

import polars as pl

from csmetrics.families.contract import TIMESTAMP, FrameContract
from csmetrics.families.voice.metrics import METRICS

# the headline's columns are the declared metrics
HEADLINE = {metric.id: pl.Float64 for metric in METRICS}

# one NPS trend bucket's columns, the same with or without a breakdown
NPS_BUCKET: dict[str, pl.DataType] = {
    "responses": pl.UInt32(),
    "promoters": pl.UInt32(),
    "passives": pl.UInt32(),
    "detractors": pl.UInt32(),
    "nps": pl.Float64(),
    "nps_margin_of_error": pl.Float64(),
}

FRAMES = {
    "tickets": FrameContract(
        {
            "csat_rate": pl.Float64,
            "rated": pl.UInt32,
        },
    ),
    "headline": FrameContract(HEADLINE),
    "distribution": FrameContract(
        {
            "survey": pl.String,
            "score": pl.Float64,
            "responses": pl.UInt32,
        },
    ),
    "trend": FrameContract({"bucket": pl.Date, **NPS_BUCKET}),
    "trend_by": FrameContract({"bucket": pl.Date, "by": pl.String, **NPS_BUCKET}),
    # one row per value of the breakdown column: the headline's measures, named without "voice."
    "by": FrameContract(
        {"by": pl.String, **{k.removeprefix("voice."): t for k, t in HEADLINE.items()}}
    ),
    "cxi_counts": FrameContract(
        {"component": pl.String, "answers": pl.UInt32, "positive": pl.UInt32, "negative": pl.UInt32}
    ),
    "cxi_dropped": FrameContract({"outside_scale": pl.UInt32, "unknown_component": pl.UInt32}),
    # made with a comment column: terms only (comments.py)
    "term_uses": FrameContract(
        {"survey": pl.String, "group": pl.String, "term": pl.String, "uses": pl.UInt32}
    ),
    "term_answers": FrameContract({"survey": pl.String, "group": pl.String, "answers": pl.UInt32}),
    # made only with include_comments and a comment column
    "comments": FrameContract(
        {"submitted_at": TIMESTAMP, "survey": pl.String, "score": pl.Float64, "comment": pl.String}
    ),
}
