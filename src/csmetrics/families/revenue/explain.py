"""How `explain` splits revenue's metrics by segment (families/explainer.py), from the lines as
revenue reads them (lines.prepared_lines). The units of MRR, ARR, paying accounts, ARPA and NRR
are accounts, whose net MRR is clipped at 0 as in the headline (mrr.snapshot); an account's
segment in a billing column is that column on its largest line covering the instant measured
(as mrr_by_plan assigns a plan). Billed amount's units are the lines issued in the window."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from csmetrics.core.window import Window
from csmetrics.families.base import Frames, RunContext
from csmetrics.families.explainer import (
    Explainer,
    Segments,
)
from csmetrics.families.revenue.lines import MICRO, prepared_lines
from csmetrics.families.revenue.months import MONTHS_PER_YEAR, TRAILING_MONTHS, window_months
from csmetrics.families.revenue.params import RevenueParams
from csmetrics.families.revenue.subscriptions import line_columns, lines_source


def _lines(
    frames: Frames, ctx: RunContext, params: RevenueParams, carry: tuple[str, ...]
) -> pl.LazyFrame:
    present = line_columns(ctx.columns)
    lines, _ = prepared_lines(lines_source(frames, ctx.columns), present, ctx.window, params, carry)
    return lines


def _accounts_at(
    lines: pl.LazyFrame, instant_end: datetime, carry: tuple[str, ...]
) -> pl.LazyFrame:
    """Per account, its net MRR (in currency units) at the last instant before `instant_end`,
    and its `carry` columns on its largest line covering that instant (ties: the largest
    value, so row order never matters)."""
    covering = lines.filter(
        pl.col("monthly_micro").is_not_null()
        & (pl.col("period_start") < instant_end)
        & (pl.col("period_end") >= instant_end)
    )
    own = [c for c in carry if c != "account_id"]
    largest = [pl.col(c).sort_by(["monthly_micro", pl.col(c).cast(pl.String)]).last() for c in own]
    return covering.group_by("account_id").agg(
        (pl.col("monthly_micro").sum() / MICRO).alias("mrr"), *largest
    )


def snapshot(
    frames: Frames, ctx: RunContext, params: RevenueParams, segments: Segments
) -> pl.LazyFrame:
    """The accounts at the window's last instant, with `mrr` clipped at 0 and `paying`."""
    lines = _lines(frames, ctx, params, segments.carry)
    accounts = segments.attach(_accounts_at(lines, ctx.window.until, segments.carry))
    return accounts.with_columns(
        (pl.col("mrr") > 0).cast(pl.Float64).alias("paying"),
        pl.col("mrr").clip(lower_bound=0).alias("mrr"),
    )


def billed(
    frames: Frames, ctx: RunContext, params: RevenueParams, segments: Segments
) -> pl.LazyFrame:
    """The lines issued in the window, with `amount` in currency units."""
    window = ctx.window
    lines = _lines(frames, ctx, params, segments.carry)
    issued = lines.filter(pl.col("issued_at").is_between(window.since, window.until, closed="left"))
    return segments.attach(issued).with_columns((pl.col("amount_micro") / MICRO).alias("amount"))


def _month_end(window: Window, month: int) -> datetime:
    """The end of month number `month` (year * 12 + month - 1): the next month's midnight."""
    following = month + 1
    return window.midnight(date(following // 12, following % 12 + 1, 1))


def retained(
    frames: Frames, ctx: RunContext, params: RevenueParams, segments: Segments
) -> pl.LazyFrame:
    """The accounts paying 12 months before the window's last month end: `then`, their MRR
    then, and `now`, at that month end (0 when they no longer pay)."""
    months = window_months(ctx.window)
    if not months:
        empty = dict.fromkeys(segments.by, pl.String) | {"then": pl.Float64, "now": pl.Float64}
        return pl.LazyFrame(schema=empty)
    lines = _lines(frames, ctx, params, segments.carry)
    then = _accounts_at(lines, _month_end(ctx.window, months[-1] - TRAILING_MONTHS), segments.carry)
    now = _accounts_at(lines, _month_end(ctx.window, months[-1]), ())
    kept = now.select("account_id", pl.col("mrr").clip(lower_bound=0).alias("now"))
    base = then.filter(pl.col("mrr") > 0).join(kept, on="account_id", how="left")
    return segments.attach(base).with_columns(
        pl.col("mrr").alias("then"), pl.col("now").fill_null(0.0)
    )


MRR, PAYING = pl.col("mrr"), pl.col("paying")
EXPLAINERS: dict[str, Explainer[RevenueParams]] = {
    "revenue.mrr": Explainer("additive", "billing", "paying accounts", snapshot, (MRR,)),
    "revenue.arr": Explainer(
        "additive", "billing", "paying accounts", snapshot, (MONTHS_PER_YEAR * MRR,)
    ),
    "revenue.paying_accounts_count": Explainer(
        "additive", "billing", "paying accounts", snapshot, (PAYING,)
    ),
    "revenue.arpa": Explainer(
        "ratio",
        "billing",
        "paying accounts",
        snapshot,
        (MRR, PAYING),
        weight="share of the paying accounts",
    ),
    "revenue.nrr": Explainer(
        "ratio",
        "billing",
        "accounts paying a year earlier",
        retained,
        (pl.col("now"), pl.col("then")),
        weight="share of the MRR a year earlier",
    ),
    "revenue.billed_amount": Explainer(
        "additive", "billing", "billing lines", billed, (pl.col("amount"),)
    ),
}
