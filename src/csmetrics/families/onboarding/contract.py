"""The frames onboarding's reductions hand to its `assemble` (the signup summary, cohorts, the
funnel), on either engine (families/contract.py checks them on every run)."""

from __future__ import annotations

import polars as pl

from csmetrics.families.contract import FrameContract
from csmetrics.families.shared.waits import COUNTS

FRAMES = {
    "summary": FrameContract(
        {
            "signups": pl.UInt32,
            "pending": pl.UInt32,
            "activated_decided": pl.UInt32,
            "decided": pl.UInt32,
            "ttv_median": pl.Float64,
            "ttv_p90": pl.Float64,
            "reached_value": pl.UInt32,
            "dto_mean": pl.Float64,
            "dto_median": pl.Float64,
        },
    ),
    "cohorts": FrameContract(
        {
            "cohort": pl.Date,
            "signups": pl.UInt32,
            "activated": pl.UInt32,
            "pending": pl.UInt32,
        },
    ),
    "value_counts": COUNTS,  # signups by hours to value (shared/waits.py)
    "funnel": FrameContract(
        {
            "position": pl.Int32,
            "step": pl.String,
            "users": pl.UInt32,
            "median_time_from_previous_hours": pl.Float64,
        },
    ),
    "missing_account": FrameContract(
        {
            "n": pl.UInt32,
        },
    ),
}
