"""The frames health's reductions hand to its `assemble` (one row per account with every
component's inputs, and the reporting currency), on either engine (families/contract.py checks
them on every run)."""

from __future__ import annotations

import polars as pl

from csmetrics.families.contract import FrameContract

FRAMES = {
    "accounts": FrameContract(
        {
            "account_id": pl.String,
            "active_users": pl.UInt32,
            "previous_active_users": pl.UInt32,
            "earlier_max_users": pl.UInt32,
            "user_days": pl.UInt32,
            "previous_user_days": pl.UInt32,
            "features_used": pl.UInt32,
            "previous_features_used": pl.UInt32,
            "features_all": pl.UInt32,
            "previous_features_all": pl.UInt32,
            "name": pl.String,
            "segment": pl.String,
            "owner": pl.String,
            "seats": pl.Int64,
            "tickets": pl.UInt32,
            "stale_tickets": pl.UInt32,
            "sentiment": pl.Float64,
            "respondents": pl.UInt32,
            "mrr_start": pl.Float64,
            "mrr": pl.Float64,
            "overdue": pl.Float64,
        },
        optional=(
            "name",
            "segment",
            "owner",
            "seats",
            "tickets",
            "stale_tickets",
            "sentiment",
            "respondents",
            "mrr_start",
            "mrr",
            "overdue",
        ),
    ),
    "currency": FrameContract(
        {
            "currency": pl.String,
        },
    ),
}

# health's first stage, its one pass over the events, when it runs on Spark: per account and
# window (0 the current, 1 the previous, 2+ earlier), the distinct users, user-days, features
STAGE_FRAMES = {
    "users": FrameContract(
        {"account_id": pl.Categorical(), "window": pl.Int32, "users": pl.UInt32}
    ),
    "days": FrameContract(
        {"account_id": pl.Categorical(), "window": pl.Int32, "user_days": pl.UInt32}
    ),
    "features": FrameContract(
        {"account_id": pl.Categorical(), "window": pl.Int32, "feature": pl.String}
    ),
}
