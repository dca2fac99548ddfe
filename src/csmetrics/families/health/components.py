"""The raw value of each health component per account (metrics.md), from the families' own
definitions: engagement's active events and features, support's "solved before `until`",
revenue's month-end MRR and unpaid invoices. Windows are numbered back from `until`: 0 is the
window, 1 the one before it, 2.. earlier ones of the same length (for breadth without seats).
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.timeparts import local_date
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Frames
from csmetrics.families.engagement.features import to_features
from csmetrics.families.engagement.timeline import active_events
from csmetrics.families.health.params import HealthParams
from csmetrics.families.revenue.invoices import invoices, unpaid_at
from csmetrics.families.revenue.lines import MICRO, defaulted_columns, prepared_lines
from csmetrics.families.revenue.mrr import account_mrr
from csmetrics.families.revenue.subscriptions import line_columns, lines_source
from csmetrics.families.shared.exact import exact_mean
from csmetrics.families.support.tickets import solved_before_until

STALE_AFTER = timedelta(days=7)  # an unresolved ticket older than this weighs on support


def _account() -> pl.Expr:
    return pl.col("account_id").cast(pl.String)


def event_stage(
    frames: Frames, columns: Columns, window: Window, params: HealthParams
) -> dict[str, pl.LazyFrame]:
    """Stage 1, the one pass over the events: per account and window number, distinct active
    users; for the window and the one before, active user-days and distinct features used."""
    if "account_id" not in columns["events"]:
        raise InputError(
            "health: the events have no account_id column (map it with --map events.account_id=...)"
        )
    length = (window.until - window.since) // timedelta(microseconds=1)
    active = active_events(frames["events"], window, params.engagement).filter(
        pl.col("account_id").is_not_null()
    )
    number = (pl.lit(window.until) - pl.col("timestamp")).dt.total_microseconds() // max(length, 1)
    numbered = active.with_columns(number.cast(pl.Int32).alias("window"))
    recent = numbered.filter(pl.col("window") <= 1)
    seated = _seated_accounts(frames, columns)
    # earlier windows matter only for breadth without seats: read them for those accounts alone
    history = (
        numbered
        if seated is None
        else numbered.filter(
            (pl.col("window") <= 1) | ~pl.col("account_id").is_in(seated.implode())
        )
    )
    users = history.select("account_id", "user_id", "window").unique()
    days = recent.select(
        "account_id",
        "user_id",
        "window",
        local_date(pl.col("timestamp"), window.timezone).alias("day"),
    ).unique()
    used = recent.select("account_id", "window", "event").unique()
    made = {
        "users": users.group_by("account_id", "window").agg(pl.len().alias("users")),
        "days": days.group_by("account_id", "window").agg(pl.len().alias("user_days")),
        "features": to_features(used, params.engagement).unique(),
    }
    return {**made, **{kind: frame for kind, frame in frames.items() if kind != "events"}}


def _seated_accounts(frames: Frames, columns: Columns) -> pl.Series | None:
    """The accounts whose seats are known (a small read of the accounts source), or None."""
    if "accounts" not in frames or "seats" not in columns.get("accounts", ()):
        return None
    seated = frames["accounts"].filter(pl.col("seats") > 0).select("account_id").collect()
    return seated.to_series()


def event_components(frames: Frames) -> pl.LazyFrame:
    """Per account: active users now, before, at most in an earlier window; user-days and
    features used now and before, with the features used by any account."""
    users = frames["users"].with_columns(_account())
    now, before = pl.col("window") == 0, pl.col("window") == 1
    per_account = users.group_by("account_id").agg(
        pl.col("users").filter(now).sum().alias("active_users"),
        pl.col("users").filter(before).sum().alias("previous_active_users"),
        pl.col("users").filter(pl.col("window") >= 1).max().alias("earlier_max_users"),
    )
    days = (
        frames["days"]
        .with_columns(_account())
        .group_by("account_id")
        .agg(
            pl.col("user_days").filter(now).sum().alias("user_days"),
            pl.col("user_days").filter(before).sum().alias("previous_user_days"),
        )
    )
    features = frames["features"].with_columns(_account())
    counts = features.group_by("account_id").agg(
        pl.col("feature").filter(now).n_unique().alias("features_used"),
        pl.col("feature").filter(before).n_unique().alias("previous_features_used"),
    )
    overall = features.select(
        pl.col("feature").filter(now).n_unique().alias("features_all"),
        pl.col("feature").filter(before).n_unique().alias("previous_features_all"),
    )
    return (
        per_account.join(days, on="account_id", how="left")
        .join(counts, on="account_id", how="left")
        .join(overall, how="cross")
    )


def support_components(tickets: pl.LazyFrame, columns: Columns, window: Window) -> pl.LazyFrame:
    """Per account: tickets created in the window, and tickets unresolved at `until` that are
    older than seven days."""
    created = pl.col("created_at")
    solved = solved_before_until(columns["tickets"], window)
    stale = (created < window.until - STALE_AFTER) & ~solved
    return (
        tickets.filter(pl.col("account_id").is_not_null() & (created < window.until))
        .group_by(_account())
        .agg(
            created.is_between(window.since, window.until, closed="left").sum().alias("tickets"),
            stale.sum().alias("stale_tickets"),
        )
    )


def sentiment_components(surveys: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """Per account: the mean over its respondents of each one's latest NPS score before
    `until` (answers without a respondent each count)."""
    nps = surveys.filter(
        (pl.col("survey") == "nps")
        & pl.col("account_id").is_not_null()
        & (pl.col("submitted_at") < window.until)
    ).with_columns(_account())
    row = pl.format("row {}", pl.int_range(pl.len()))
    respondent = (
        pl.coalesce(pl.col("respondent_id").cast(pl.String), row)
        if "respondent_id" in nps.collect_schema()
        else row
    )
    # ties at one instant keep the highest score (as voice does), whatever the row order
    latest = pl.col("score").sort_by("submitted_at", "score").last()
    nps = nps.group_by("account_id", respondent.alias("respondent")).agg(latest)
    return nps.group_by("account_id").agg(
        exact_mean(pl.col("score")).alias("sentiment"), pl.len().alias("respondents")
    )


def billing_components(
    frames: Frames, columns: Columns, window: Window, params: HealthParams
) -> tuple[pl.LazyFrame, str | None]:
    """Per account: MRR at the window's start and end (revenue's definition, negatives as 0)
    and the amount of invoices unpaid at `until` and due before it; and the currency."""
    present_lines = line_columns(columns)
    source = lines_source(frames, columns)  # invoice lines, or made from subscriptions
    lines, currency = prepared_lines(source, present_lines, window, params.revenue)
    start = account_mrr(lines, window.since).select(
        _account(), (pl.col("mrr").clip(lower_bound=0) / MICRO).alias("mrr_start")
    )
    end = account_mrr(lines, window.until).select(
        _account(), (pl.col("mrr").clip(lower_bound=0) / MICRO).alias("mrr")
    )
    present = set(present_lines)
    mrr = start.join(end, on="account_id", how="full", coalesce=True).with_columns(
        pl.col("mrr_start", "mrr").fill_null(0.0)
    )
    if not {"due_at", "paid_at"} <= present:
        return mrr.with_columns(pl.lit(None, pl.Float64).alias("overdue")), currency
    owed = invoices(lines, present).filter(
        (pl.col("amount") > 0) & unpaid_at(window.until) & (pl.col("due_at") < window.until)
    )
    overdue = owed.group_by(_account()).agg((pl.col("amount").sum() / MICRO).alias("overdue"))
    joined = mrr.join(overdue, on="account_id", how="full", coalesce=True)
    return joined.with_columns(pl.col("mrr_start", "mrr", "overdue").fill_null(0.0)), currency


def billing_defaults(present: tuple[str, ...]) -> list[DataWarning]:
    """The billing component's readings of absent columns: revenue's defaults (a month of
    service without period_end...), and no overdue invoices without due_at and paid_at."""
    warnings = defaulted_columns(present)
    if not {"due_at", "paid_at"} <= set(present):
        warnings.append(
            DataWarning(
                "missing_column",
                "health: the billing lines have no due_at or paid_at column: the billing "
                "component counts no overdue invoices, only lost MRR",
                source="billing",
            )
        )
    return warnings
