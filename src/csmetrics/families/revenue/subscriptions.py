"""A subscriptions export read as revenue's lines (issue 20, item 9): each subscription is one
recurring line whose service period runs from its start (after any trial) to its end, or on
without end while it is active, and whose monthly amount is its price x quantity over its
interval in months. MRR, its movements, churn, NRR and GRR then come from the same code as for
invoice lines (its monthly amount carried as it is, never re-derived from amount / months);
billed amounts, late payments and DSO need invoices and stay null."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from csmetrics.core.errors import InputError
from csmetrics.families.base import Columns, Frames
from csmetrics.families.revenue.lines import AVERAGE_MONTH_DAYS, MONTHLY, interval_months

# the end of a subscription that has not ended: past any window, so every month end it
# reaches is covered (mrr.py stops at the report's last month)
OPEN_END = datetime(2200, 1, 1, tzinfo=UTC)
UNIT_MONTHS = {
    "day": 1 / AVERAGE_MONTH_DAYS,
    "week": 7 / AVERAGE_MONTH_DAYS,
    "month": 1.0,
    "year": 12.0,
}
# statuses that pay nothing yet (Stripe's, Chargebee's, Recurly's words)
NOT_PAYING = ("trialing", "in_trial", "incomplete", "incomplete_expired", "future")
LINE_COLUMNS = (
    "invoice_id",
    "account_id",
    "amount",
    "issued_at",
    "period_start",
    "period_end",
    "recurring",
    MONTHLY,
)


def line_columns(columns: Columns) -> tuple[str, ...]:
    """The columns revenue's lines have: the billing source's, else those made from the
    subscriptions (with their currency and plan when the export has them)."""
    if "billing" in columns:
        return tuple(columns["billing"])
    carried = tuple(c for c in ("currency", "plan") if c in columns.get("subscriptions", ()))
    return (*LINE_COLUMNS, *carried)


def lines_source(frames: Frames, columns: Columns) -> pl.LazyFrame:
    """Revenue's raw lines: the billing source's, else those made from the subscriptions."""
    if "billing" in frames:
        return frames["billing"]
    return subscription_lines(frames["subscriptions"], tuple(columns["subscriptions"]))


def subscription_lines(subscriptions: pl.LazyFrame, present: tuple[str, ...]) -> pl.LazyFrame:
    """One line per subscription that ever paid: `amount` is its monthly amount times the
    months of its period, so that lines.py's amount / interval_months gives the monthly amount
    back; an unknown interval word is an input error naming it."""
    per_interval = _interval_months(subscriptions, present)
    start = pl.col("started_at")
    if "trial_ended_at" in present:
        start = pl.max_horizontal(start, pl.col("trial_ended_at"))
    end = pl.col("ended_at").fill_null(OPEN_END) if "ended_at" in present else pl.lit(OPEN_END)
    quantity = pl.col("quantity").fill_null(1.0) if "quantity" in present else pl.lit(1.0)
    monthly = pl.col("amount").cast(pl.Float64) * quantity / per_interval
    paying = (
        ~pl.col("status").str.strip_chars().str.to_lowercase().is_in(NOT_PAYING).fill_null(False)
        if "status" in present
        else pl.lit(True)
    )
    lines = subscriptions.with_columns(
        start.alias("period_start"), end.alias("period_end"), monthly.alias("monthly")
    ).filter(pl.col("period_end") > pl.col("period_start"))  # a trial that never converted
    return lines.select(
        pl.col("subscription_id").alias("invoice_id"),
        "account_id",
        (pl.col("monthly") * interval_months(pl.col("period_start"), pl.col("period_end"))).alias(
            "amount"
        ),
        pl.col("monthly").alias(MONTHLY),  # MRR reads it as it is, not amount / months
        pl.col("period_start").alias("issued_at"),
        "period_start",
        "period_end",
        paying.alias("recurring"),
        *(c for c in ("currency", "plan") if c in present),
    )


def _interval_months(subscriptions: pl.LazyFrame, present: tuple[str, ...]) -> pl.Expr:
    """Months per billing interval: interval_count x the interval's months (month when absent)."""
    count = (
        pl.col("interval_count").fill_null(1).cast(pl.Float64)
        if "interval_count" in present
        else pl.lit(1.0)
    )
    if "interval" not in present:
        return count
    # month, monthly, Month; year, yearly, annual, annually; week, weekly; day, daily
    word = pl.col("interval").str.strip_chars().str.to_lowercase().str.strip_suffix("ly")
    word = word.replace({"annual": "year", "dai": "day"}).fill_null("month")
    unknown = (
        subscriptions.select(pl.col("interval").filter(~word.is_in(list(UNIT_MONTHS))).first())
        .collect()
        .item()
    )
    if unknown is not None:
        raise InputError(
            f"subscriptions: interval {unknown!r} is not one of {', '.join(UNIT_MONTHS)} "
            "(map the export's interval column with --map subscriptions.interval=HEADER)"
        )
    return count * word.replace_strict(UNIT_MONTHS, return_dtype=pl.Float64, default=1.0)
