"""The frames revenue's reductions hand to its `assemble` (MRR snapshot and movements, NRR inputs,
billing and payments, AR aging), on either engine (families/contract.py checks them on every
run)."""

from __future__ import annotations

import polars as pl

from csmetrics.families.contract import FrameContract

MOVEMENT_STEPS = ("starting", "new", "reactivation", "expansion", "contraction", "churn", "ending")
# money: integer millionths, 128-bit, exact to 10^20 units and beyond (issue 21, item 3)
MONEY = pl.Int128
MOVEMENT_COLUMNS = {
    **dict.fromkeys(MOVEMENT_STEPS, MONEY),
    **{f"{step}_accounts": pl.Int64 for step in MOVEMENT_STEPS},
}

FRAMES = {
    "currency": FrameContract(
        {
            "currency": pl.String,
        },
    ),
    "snapshot": FrameContract(
        {
            "mrr": MONEY,
            "paying_accounts": pl.Int64,
        },
    ),
    "billed": FrameContract(
        {
            "billed": MONEY,
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
    # per month end: MRR (micro-units) and accounts of each movement, starting to ending
    "movements": FrameContract({"month": pl.Int32, **MOVEMENT_COLUMNS}),
    "retention": FrameContract(
        {
            "base": MONEY,
            "retained": MONEY,
            "retained_gross": MONEY,
            "accounts": pl.UInt32,
        },
    ),
    # the same per value of the breakdown column
    "by": FrameContract({"month": pl.Int32, "group": pl.String, **MOVEMENT_COLUMNS}),
    "payments": FrameContract(
        {
            "receivable": MONEY,
            "paid_before_issued": pl.Int64,
            "due": pl.Int64,
            "late": pl.Int64,
            "days_late_mean": pl.Float64,
            "overdue": MONEY,
        },
        # made only with a due_at column
        optional=("due", "late", "days_late_mean", "overdue"),
    ),
    # ARPU's users: the month's active users of the accounts paying at the window's end
    "arpu": FrameContract({"active_users": pl.Int64, "accounts": pl.Int64}),
    "aging": FrameContract(
        {
            "bucket": pl.String,
            "invoices": pl.Int64,
            "amount": MONEY,
        },
    ),
}

# what the first stage (the one pass over the events, on either engine) hands on
STAGE_FRAMES = {"month_users": FrameContract({"account_id": pl.String, "user_id": pl.String})}
