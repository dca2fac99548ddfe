"""Revenue (metrics.md): MRR at month ends and its movements, ARR, ARPA, ARPU, logo and MRR churn,
NRR/GRR, quick ratio, LTV, billed amount, late payments, overdue amount, DSO and AR aging, from
invoice lines. Amounts are summed in integer micro-units; tables carry them as exact decimals."""

from __future__ import annotations

import polars as pl

from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Family, Frames, Lookback
from csmetrics.families.revenue.assemble import assemble
from csmetrics.families.revenue.contract import FRAMES, STAGE_FRAMES
from csmetrics.families.revenue.explain import EXPLAINERS
from csmetrics.families.revenue.invoices import aging, billed, invoices, issued_months, payments
from csmetrics.families.revenue.lines import month_index, prepared_lines, with_account_group
from csmetrics.families.revenue.metrics import METRICS, TABLES
from csmetrics.families.revenue.months import TRAILING_MONTHS, last_closed_month, window_months
from csmetrics.families.revenue.mrr import (
    account_months,
    movements,
    negative_accounts,
    net_retention,
    paying,
    snapshot,
)
from csmetrics.families.revenue.params import (
    SETTINGS,
    RevenueParams,
    needed_columns,
    parameters,
    params_from_config,
)
from csmetrics.families.revenue.subscriptions import line_columns, lines_source
from csmetrics.families.revenue.users import arpu_users, user_month, users_stage


def lookback(window: Window, params: RevenueParams) -> Lookback:
    start, _ = user_month(window)
    before = start < window.since  # a window shorter than a month: ARPU reads the month's events
    return Lookback(
        None,
        "the whole billing history (an account is new only if it never paid before, and NRR, "
        f"GRR and LTV look back {TRAILING_MONTHS} months)",
        others={
            # with billing, the primary source, subscriptions are a history of their own
            "subscriptions": "subscriptions started earlier and still running (MRR)",
            **(
                {"events": "ARPU's active users over the month ending with the window"}
                if before
                else {}
            ),
        },
        other_starts={"events": start} if before else {},
    )


def event_users(
    frames: Frames, columns: Columns, window: Window, params: RevenueParams
) -> dict[str, pl.LazyFrame]:
    """Stage 1, the one pass over the events (when given): ARPU's active (account, user) pairs."""
    return users_stage(frames, columns, window, params.inactive_events)


def prepare(
    frames: Frames, columns: Columns, window: Window, params: RevenueParams
) -> dict[str, pl.LazyFrame]:
    """Stage 1: the lines as revenue reads them, and the reporting currency."""
    present = line_columns(columns)
    lines, currency = prepared_lines(lines_source(frames, columns), present, window, params)
    lines = with_account_group(lines, present, frames, columns, params)
    made = {
        "lines": lines,
        "currency": pl.LazyFrame({"currency": [currency]}, schema={"currency": pl.String}),
    }
    if "month_users" in frames:
        made["month_users"] = frames["month_users"]
    return made


def by_month(
    frames: Frames, columns: Columns, window: Window, params: RevenueParams
) -> dict[str, pl.LazyFrame]:
    """Stage 2: net MRR per account (and its group) at every closed month end, read by
    movements, retention and the warnings alike; the invoices, read by payments and aging."""
    made = {**frames, "net": account_months(frames["lines"], last_closed_month(window))}
    present = set(line_columns(columns))
    if "paid_at" in present:
        made["invoices"] = invoices(frames["lines"], present)
    return made


def plan(
    frames: Frames, columns: Columns, window: Window, params: RevenueParams
) -> dict[str, pl.LazyFrame]:
    lines = frames["lines"]
    present = set(line_columns(columns))
    planned: dict[str, pl.LazyFrame] = {
        "currency": frames["currency"],
        "snapshot": snapshot(lines, window.until),
        "billed": billed(lines, window),
        "negative": negative_accounts(frames["net"]),
        "invalid_periods": lines.select(
            (~pl.col("valid_period")).sum().cast(pl.Int64).alias("lines")
        ),
        "issued_months": issued_months(lines, month_index(pl.col("issued_at"), window.timezone)),
    }
    if "month_users" in frames:
        planned["arpu"] = arpu_users(frames["month_users"], lines, window.until)
    months = window_months(window)
    if months:
        last = months[-1]
        positive = paying(frames["net"])
        planned["movements"] = movements(
            positive, ("account_id",), min(months[0], last - TRAILING_MONTHS + 1), last
        )
        planned["retention"] = net_retention(positive, last)
        if "group" in frames["net"].collect_schema():
            keys = ("account_id", "group")
            planned["by"] = movements(positive, keys, months[0], last)
    if "invoices" in frames:
        planned["payments"] = payments(frames["invoices"], window, present)
        if "due_at" in present:
            planned["aging"] = aging(frames["invoices"], window)
    return planned


FAMILY: Family[RevenueParams] = Family(
    name="revenue",
    summary="MRR and its movements, ARR, ARPA, ARPU, churn, NRR/GRR, LTV, late payments and AR aging.",
    example=("csmetrics revenue --billing invoices.csv --period 2026-10 --gross-margin 0.8"),
    required=(),
    one_of=("billing", "subscriptions"),
    optional=("accounts", "events"),
    needed_columns=needed_columns,
    plan=plan,
    assemble=assemble,
    parameters=parameters,
    lookback=lookback,
    stages=(event_users, prepare, by_month),
    configure=params_from_config,
    settings=SETTINGS,
    metrics=METRICS,
    tables=TABLES,
    frames=FRAMES,
    stage_frames=STAGE_FRAMES,
    # ARPU's active users are engagement's (health borrows the same key)
    inherits={"engagement": ("inactive_events",)},
    explainers=EXPLAINERS,
)

__all__ = ["FAMILY", "RevenueParams", "params_from_config"]
