"""Engagement's headline metrics, tables and warnings from the small collected frames."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.families.base import FamilyResult, RunContext
from csmetrics.families.engagement.accounts import accounts_table
from csmetrics.families.engagement.actives import active_days_table, activity_table, daily_table
from csmetrics.families.engagement.features import features_table
from csmetrics.families.engagement.params import EngagementParams
from csmetrics.families.shared.exact import exact_mean


def _mean_or_none(series: pl.Series) -> float | None:
    value = series.to_frame().select(exact_mean(pl.col(series.name))).item()
    return None if value is None else float(value)


def _null_because(code: str, why: str, *metrics: str) -> list[DataWarning]:
    return [DataWarning(code, why, metric) for metric in metrics]


def assemble(
    results: Mapping[str, pl.DataFrame], ctx: RunContext, params: EngagementParams
) -> FamilyResult:
    daily = daily_table(results["daily"], ctx.window, ctx.observed["events"])
    has_account = "account_id" in ctx.columns["events"]
    metrics = headline(results, daily, has_account)
    warnings = null_reasons(results, daily, metrics, has_account)
    return FamilyResult(metrics, tables(results, ctx, params, daily, has_account), warnings)


def headline(
    results: Mapping[str, pl.DataFrame], daily: pl.DataFrame, has_account: bool
) -> dict[str, float | None]:
    """The headline metrics: daily ones averaged over the window's complete days."""
    complete = daily.filter(~pl.col("partial"))
    totals = results["totals"].row(0, named=True)
    active_users = int(totals["active_users"])
    sessions = results["sessions"].row(0, named=True)
    last_day = daily.tail(1)

    def per_user(value: float) -> float | None:
        return value / active_users if active_users else None

    return {
        "engagement.dau_mean": _mean_or_none(complete["dau"]),
        "engagement.active_users": float(active_users),
        "engagement.wau": float(last_day["wau7"].item()) if last_day.height else None,
        "engagement.mau": float(last_day["mau30"].item()) if last_day.height else None,
        "engagement.stickiness": _mean_or_none(complete["stickiness"].drop_nulls()),
        "engagement.sessions_count": float(sessions["sessions"]),
        "engagement.sessions_per_user": per_user(sessions["sessions"]),
        "engagement.session_duration_median_minutes": sessions["median_minutes"],
        "engagement.session_duration_mean_minutes": sessions["mean_minutes"],
        "engagement.time_per_user_minutes": per_user(sessions["total_minutes"] or 0.0),
        "engagement.active_accounts_count": float(totals["active_accounts"])
        if has_account
        else None,
    }


def null_reasons(
    results: Mapping[str, pl.DataFrame],
    daily: pl.DataFrame,
    metrics: Mapping[str, float | None],
    has_account: bool,
) -> list[DataWarning]:
    """Why each null metric is null, and what was read in its place."""
    warnings: list[DataWarning] = []
    if daily.filter(~pl.col("partial")).height == 0:
        warnings += _null_because(
            "no_complete_days",
            "no complete day in the window and the data's range",
            "engagement.dau_mean",
            "engagement.stickiness",
        )
    elif metrics["engagement.stickiness"] is None:
        warnings += _null_because(
            "empty_denominator", "MAU30 is 0 on every complete day", "engagement.stickiness"
        )
    if not metrics["engagement.active_users"]:
        warnings += _null_because(
            "empty_denominator",
            "no active users in the window",
            "engagement.sessions_per_user",
            "engagement.time_per_user_minutes",
        )
    if not metrics["engagement.sessions_count"]:
        warnings += _null_because(
            "empty_denominator",
            "no session starts in the window",
            "engagement.session_duration_median_minutes",
            "engagement.session_duration_mean_minutes",
        )
    if not has_account:
        warnings += _null_because(
            "missing_column",
            "events have no account_id column: account metrics and the account_activity table "
            "are left out",
            "engagement.active_accounts_count",
        )
    if "no_session_id" in results and (missing := int(results["no_session_id"]["n"][0])):
        warnings.append(
            DataWarning(
                "missing_value",
                f"{missing} window events have no session_id; their sessions come from "
                "inactivity gaps",
                "engagement.sessions_count",
                count=missing,
            )
        )
    return warnings


def tables(
    results: Mapping[str, pl.DataFrame],
    ctx: RunContext,
    params: EngagementParams,
    daily: pl.DataFrame,
    has_account: bool,
) -> dict[str, pl.DataFrame]:
    window, observed = ctx.window, ctx.observed["events"]
    totals = results["totals"].row(0, named=True)
    out = {
        "activity": activity_table(daily, results.get("buckets"), window, observed),
        "active_days_distribution": active_days_table(
            results["weekly_active_days"], window, observed
        ),
        "feature_adoption": features_table(
            results["features"],
            params,
            int(totals["active_users"]),
            int(totals["active_accounts"]) if has_account else None,
        ),
    }
    if has_account:
        out["account_activity"] = accounts_table(results["accounts"])
    return out
