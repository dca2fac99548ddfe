"""Invoices and payments (metrics.md): billed amount, late payments, overdue amount, DSO and AR
aging, as of `until` (a payment at or after `until` has not happened yet). Lines are grouped
into invoices by `invoice_id`; invoices whose total is not positive (credit notes, fully
discounted invoices) have nothing to pay and are left out of the payment metrics."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from csmetrics.core.timeparts import MICROSECONDS_PER_DAY
from csmetrics.core.window import Window
from csmetrics.families.shared.exact import exact_mean

AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def invoices(lines: pl.LazyFrame, present: set[str]) -> pl.LazyFrame:
    """One row per invoice: total, first issue instant, due date and payment instant (null
    while any of its lines is unpaid)."""
    aggregations = [
        pl.col("account_id").first(),
        pl.col("amount_micro").sum().alias("amount"),
        pl.col("issued_at").min(),
    ]
    if "due_at" in present:
        aggregations.append(pl.col("due_at").max())
    if "paid_at" in present:
        aggregations.append(
            pl.when(pl.col("paid_at").is_null().any())
            .then(None)
            .otherwise(pl.col("paid_at").max())
            .alias("paid_at")
        )
    return lines.group_by("invoice_id").agg(aggregations)


def billed(lines: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    issued = pl.col("issued_at").is_between(window.since, window.until, closed="left")
    return lines.select(pl.col("amount_micro").filter(issued).sum().alias("billed"))


def unpaid_at(until: datetime) -> pl.Expr:
    """Whether an invoice is unpaid at `until` (a payment at or after it has not happened)."""
    paid = pl.col("paid_at")
    return paid.is_null() | (paid >= until)


def payments(all_invoices: pl.LazyFrame, window: Window, present: set[str]) -> pl.LazyFrame:
    """Late payments, days late, overdue amount, receivables and invoices paid before issue."""
    until = window.until
    owed = pl.col("amount") > 0
    paid = pl.col("paid_at")
    unpaid = unpaid_at(until)
    measures: list[pl.Expr] = [
        pl.col("amount").filter(owed & unpaid).sum().alias("receivable"),
        (paid < pl.col("issued_at")).sum().cast(pl.Int64).alias("paid_before_issued"),
    ]
    if "due_at" in present:
        due = pl.col("due_at")
        due_in_window = owed & due.is_between(window.since, until, closed="left")
        late = unpaid | (paid > due)
        paid_late = ~unpaid & (paid > due)
        days_late = (paid - due).dt.total_microseconds() / MICROSECONDS_PER_DAY
        measures += [
            due_in_window.sum().cast(pl.Int64).alias("due"),
            (due_in_window & late).sum().cast(pl.Int64).alias("late"),
            exact_mean(days_late.filter(due_in_window & paid_late)).alias("days_late_mean"),
            pl.col("amount").filter(owed & unpaid & (due < until)).sum().alias("overdue"),
        ]
    return all_invoices.select(measures)


def aging(all_invoices: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """Invoices unpaid at `until` by days past due (a part of a day counts as a day)."""
    until = window.until
    open_ = all_invoices.filter((pl.col("amount") > 0) & unpaid_at(until))
    overdue_days = (
        (pl.lit(until) - pl.col("due_at")).dt.total_microseconds() / MICROSECONDS_PER_DAY
    ).ceil()
    bucket = (
        pl.when(pl.col("due_at").is_null() | (pl.col("due_at") >= until))
        .then(pl.lit("current"))
        .when(overdue_days <= 30)
        .then(pl.lit("1-30"))
        .when(overdue_days <= 60)
        .then(pl.lit("31-60"))
        .when(overdue_days <= 90)
        .then(pl.lit("61-90"))
        .otherwise(pl.lit("90+"))
    )
    return open_.group_by(bucket.alias("bucket")).agg(
        pl.len().cast(pl.Int64).alias("invoices"), pl.col("amount").sum().alias("amount")
    )


def issued_months(lines: pl.LazyFrame, month: pl.Expr) -> pl.LazyFrame:
    """The months in which any line was issued (to find months with no billing at all)."""
    return lines.select(month.alias("month")).unique()
