"""The frames engagement's reductions hand to its `assemble` (daily counts, window totals,
sessions, active days per week, features, accounts), on either engine (families/contract.py
checks them on every run)."""

from __future__ import annotations

import polars as pl

from csmetrics.families.contract import TIMESTAMP, FrameContract

FRAMES = {
    "daily": FrameContract(
        {
            "day": pl.Date,
            "kind": pl.String,
            "n": pl.Int64,
        },
    ),
    "totals": FrameContract(
        {
            "active_users": pl.UInt32,
            "active_accounts": pl.UInt32,
        },
    ),
    "sessions": FrameContract(
        {
            "sessions": pl.UInt32,
            "median_minutes": pl.Float64,
            "mean_minutes": pl.Float64,
            "total_minutes": pl.Float64,
        },
    ),
    "weekly_active_days": FrameContract(
        {
            "week": pl.Date,
            "active_days": pl.UInt32,
            "users": pl.UInt32,
        },
    ),
    "features": FrameContract(
        {
            "feature": pl.String,
            "users": pl.UInt32,
            "accounts": pl.UInt32,
            "first_seen": TIMESTAMP,
            "last_seen": TIMESTAMP,
        },
    ),
    "accounts": FrameContract(
        {
            "active_users": pl.UInt32,
            "active_days": pl.UInt32,
            "events": pl.UInt32,
            "sessions": pl.UInt32,
            "account_id": pl.String,
        },
    ),
    "buckets": FrameContract(
        {
            "bucket": pl.Date,
            "active_users": pl.UInt32,
        },
    ),
    # made only with a session_id column
    "no_session_id": FrameContract({"n": pl.UInt32}),
}
