"""The frames revenue's reductions hand to its `assemble` (MRR snapshot and movements, NRR inputs,
billing and payments, AR aging), on either engine (families/contract.py checks them on every
run)."""

from __future__ import annotations

import polars as pl

from csmetrics.families.contract import FrameContract

FRAMES = {
    "currency": FrameContract(
        {
            "currency": pl.String,
        },
    ),
    "snapshot": FrameContract(
        {
            "mrr": pl.Int64,
            "paying_accounts": pl.Int64,
        },
    ),
    "billed": FrameContract(
        {
            "billed": pl.Int64,
        },
    ),
    "negative": FrameContract(
        {
            "accounts": pl.UInt32,
            "month_ends": pl.UInt32,
        },
    ),
    "invalid_periods": FrameContract(
        {
            "lines": pl.Int64,
        },
    ),
    "issued_months": FrameContract(
        {
            "month": pl.Int32,
        },
    ),
    "movements": FrameContract(
        {
            "month": pl.Int32,
            "starting": pl.Int64,
            "new": pl.Int64,
            "reactivation": pl.Int64,
            "expansion": pl.Int64,
            "contraction": pl.Int64,
            "churn": pl.Int64,
            "ending": pl.Int64,
            "starting_accounts": pl.Int64,
            "new_accounts": pl.Int64,
            "reactivation_accounts": pl.Int64,
            "expansion_accounts": pl.Int64,
            "contraction_accounts": pl.Int64,
            "churn_accounts": pl.Int64,
            "ending_accounts": pl.Int64,
        },
    ),
    "retention": FrameContract(
        {
            "base": pl.Int64,
            "retained": pl.Int64,
            "retained_gross": pl.Int64,
            "accounts": pl.UInt32,
        },
    ),
    "by": FrameContract(
        {
            "month": pl.Int32,
            "group": pl.String,
            "starting": pl.Int64,
            "new": pl.Int64,
            "reactivation": pl.Int64,
            "expansion": pl.Int64,
            "contraction": pl.Int64,
            "churn": pl.Int64,
            "ending": pl.Int64,
            "starting_accounts": pl.Int64,
            "new_accounts": pl.Int64,
            "reactivation_accounts": pl.Int64,
            "expansion_accounts": pl.Int64,
            "contraction_accounts": pl.Int64,
            "churn_accounts": pl.Int64,
            "ending_accounts": pl.Int64,
        },
    ),
    "payments": FrameContract(
        {
            "receivable": pl.Int64,
            "paid_before_issued": pl.Int64,
            "due": pl.Int64,
            "late": pl.Int64,
            "days_late_mean": pl.Float64,
            "overdue": pl.Int64,
        },
        # made only with a due_at column
        optional=("due", "late", "days_late_mean", "overdue"),
    ),
    "aging": FrameContract(
        {
            "bucket": pl.String,
            "invoices": pl.Int64,
            "amount": pl.Int64,
        },
    ),
}
