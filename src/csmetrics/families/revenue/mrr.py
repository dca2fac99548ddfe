"""MRR at month ends and its movements (metrics.md): each recurring line adds its monthly amount
to every month end its service period contains; an account's MRR at a month end is the sum of
its lines (a negative net is counted and read as 0); movements compare each account between
consecutive month ends, or each (account, group) for a breakdown, where an account belongs at
each month end to one group. All amounts are integer micro-units."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from csmetrics.families.revenue.months import TRAILING_MONTHS

MOVEMENTS = ("new", "expansion", "contraction", "churn", "reactivation")  # cli.md order


def account_months(lines: pl.LazyFrame, last_month: int) -> pl.LazyFrame:
    """Net MRR per account and month end up to `last_month`: `mrr`, possibly negative (see
    `paying`), and, when the lines have a breakdown `group`, the account's group that month:
    the group of its largest line (so the groups always add up to the whole)."""
    last = pl.min_horizontal(pl.col("end_month") - 1, pl.lit(last_month))
    grouped = "group" in lines.collect_schema()
    covered = lines.filter(
        pl.col("monthly_micro").is_not_null() & (pl.col("first_month") <= last)
    ).select(
        "account_id",
        *(["group"] if grouped else []),
        "monthly_micro",
        pl.int_ranges("first_month", last + 1, dtype=pl.Int32).alias("month"),
    )
    # ties between lines of equal size go to the last group by name, whatever the row order
    largest = pl.col("group").sort_by("monthly_micro", "group").last().alias("group")
    return (
        covered.explode("month")
        .group_by("account_id", "month")
        .agg(pl.col("monthly_micro").sum().alias("mrr"), *([largest] if grouped else []))
    )


def paying(net: pl.LazyFrame) -> pl.LazyFrame:
    """The rows with MRR above 0: an account's negative net (credits exceeding its charges)
    reads as no MRR, so movements stay an identity (counted as a warning)."""
    return net.filter(pl.col("mrr") > 0)


def movements(positive: pl.LazyFrame, keys: tuple[str, ...], first: int, last: int) -> pl.LazyFrame:
    """Per month end from `first` to `last` (and per group when `keys` has one): starting and
    ending MRR, each movement's amount and the accounts in it."""
    groups = tuple(k for k in keys if k != "account_id")
    current = positive.filter(pl.col("month").is_between(first, last))
    previous = positive.filter(pl.col("month").is_between(first - 1, last - 1)).select(
        *keys, (pl.col("month") + 1).alias("month"), pl.col("mrr").alias("previous")
    )
    earliest = positive.group_by(*keys).agg(pl.col("month").min().alias("first_paid"))
    joined = (
        current.join(previous, on=[*keys, "month"], how="full", coalesce=True)
        .join(earliest, on=list(keys), how="left")
        .with_columns(pl.col("mrr", "previous").fill_null(0))
    )
    cur, prev = pl.col("mrr"), pl.col("previous")
    starts = (prev == 0) & (cur > 0)
    kinds = {
        "new": (starts & (pl.col("month") == pl.col("first_paid")), cur),
        "reactivation": (starts & (pl.col("month") > pl.col("first_paid")), cur),
        "expansion": ((prev > 0) & (cur > prev), cur - prev),
        "contraction": ((cur > 0) & (cur < prev), prev - cur),
        "churn": ((prev > 0) & (cur == 0), prev),
    }
    sums = [amount.filter(when).sum().alias(kind) for kind, (when, amount) in kinds.items()]
    counts = [
        when.sum().cast(pl.Int64).alias(f"{kind}_accounts") for kind, (when, _) in kinds.items()
    ]
    return joined.group_by("month", *groups).agg(
        prev.sum().alias("starting"),
        *sums,
        cur.sum().alias("ending"),
        (prev > 0).sum().cast(pl.Int64).alias("starting_accounts"),
        *counts,
        (cur > 0).sum().cast(pl.Int64).alias("ending_accounts"),
    )


def account_mrr(lines: pl.LazyFrame, instant_end: datetime) -> pl.LazyFrame:
    """Per account, net MRR at the last instant before `instant_end` (lines whose service
    period contains it: period_start < instant_end <= period_end); `paying` reads it."""
    covering = lines.filter(
        pl.col("monthly_micro").is_not_null()
        & (pl.col("period_start") < instant_end)
        & (pl.col("period_end") >= instant_end)
    )
    return covering.group_by("account_id").agg(pl.col("monthly_micro").sum().alias("mrr"))


def snapshot(lines: pl.LazyFrame, instant_end: datetime) -> pl.LazyFrame:
    """MRR (negative nets read as 0) and paying accounts at the last instant before
    `instant_end`."""
    per_account = account_mrr(lines, instant_end)
    return per_account.select(
        pl.col("mrr").clip(lower_bound=0).sum().alias("mrr"),
        (pl.col("mrr") > 0).sum().cast(pl.Int64).alias("paying_accounts"),
    )


def net_retention(positive: pl.LazyFrame, month: int) -> pl.LazyFrame:
    """NRR and GRR inputs: MRR 12 months before `month` of the accounts paying then, their MRR
    at `month`, and the same capped at the earlier level."""
    base = positive.filter(pl.col("month") == month - TRAILING_MONTHS).select(
        "account_id", pl.col("mrr").alias("base")
    )
    now = positive.filter(pl.col("month") == month).select("account_id", "mrr")
    joined = base.join(now, on="account_id", how="left").with_columns(pl.col("mrr").fill_null(0))
    return joined.select(
        pl.col("base").sum().alias("base"),
        pl.col("mrr").sum().alias("retained"),
        pl.min_horizontal("mrr", "base").sum().alias("retained_gross"),
        pl.len().alias("accounts"),
    )


def negative_accounts(net: pl.LazyFrame) -> pl.LazyFrame:
    """Accounts whose net MRR is negative at some month end, and at how many."""
    negative = net.filter(pl.col("mrr") < 0)
    return negative.select(
        pl.col("account_id").n_unique().alias("accounts"), pl.len().alias("month_ends")
    )
