"""Activation and time to value, per window signup (metrics.md, Onboarding).

`signup_progress` gives one row per entity whose signup falls in the window: its signup, the
moment it was activated (the first instant at which it had done every activation event at or
after signup: the latest of their first times), and its first value event at or after signup.
Everything else (rates, durations, the cohort table) is a small aggregation of those rows.
"""

from __future__ import annotations

import polars as pl

from csmetrics.core.timeparts import bucket_expr, local_date
from csmetrics.core.window import Window
from csmetrics.families.onboarding.params import OnboardingParams
from csmetrics.families.shared.exact import exact_mean

HOURS = 3_600_000_000  # microseconds
DAYS = 24 * HOURS


def signup_progress(
    events: pl.LazyFrame, signed: pl.LazyFrame, window: Window, params: OnboardingParams
) -> pl.LazyFrame:
    """(entity, signup, activated_at, value_at) for the window's signups."""
    in_window = signed.filter(pl.col("signup") >= window.since)  # signups are before `until`
    wanted = set(params.activation_events) | ({params.value} if params.value else set())
    firsts = (
        events.filter(pl.col("event").is_in(sorted(wanted)))
        .join(in_window, on="entity")
        .filter(pl.col("timestamp") >= pl.col("signup"))
        .group_by("entity", pl.col("event").cast(pl.String))  # a few rows: text is cheap
        .agg(pl.col("timestamp").min().alias("first"))
    )
    needed = len(params.activation_events)
    is_activation = pl.col("event").is_in(list(params.activation_events))
    is_value = pl.col("event") == params.value if params.value else pl.lit(False)
    progress = firsts.group_by("entity").agg(
        pl.when(pl.lit(needed > 0) & (is_activation.sum() == needed))
        .then(pl.col("first").filter(is_activation).max())
        .alias("activated_at"),
        pl.col("first").filter(is_value).min().alias("value_at"),
    )
    return in_window.join(progress, on="entity", how="left")


def with_outcomes(progress: pl.LazyFrame, window: Window, params: OnboardingParams) -> pl.LazyFrame:
    """Each signup's outcome: `pending` (its activation window has not elapsed by `until`),
    `activated` (activated within its window: pending ones too once they have), and the hours
    to value and days to onboard."""
    deadline = pl.col("signup") + params.activation_window
    within = pl.col("activated_at").is_not_null() & (pl.col("activated_at") < deadline)
    return progress.with_columns(
        pending=deadline > window.until,
        activated=within,
        hours_to_value=_since_signup("value_at") / HOURS,
        days_to_onboard=pl.when(within).then(_since_signup("activated_at") / DAYS),
    )


def _since_signup(column: str) -> pl.Expr:
    return (pl.col(column) - pl.col("signup")).dt.total_microseconds()


def summary(outcomes: pl.LazyFrame) -> pl.LazyFrame:
    """One row: the headline counts, shares and durations."""
    pending, activated = pl.col("pending"), pl.col("activated")
    decided = (~pending).sum()
    return outcomes.select(
        pl.len().alias("signups"),
        pending.sum().alias("pending"),
        (activated & ~pending).sum().alias("activated_decided"),
        decided.alias("decided"),
        pl.col("hours_to_value").median().alias("ttv_median"),
        pl.col("hours_to_value").quantile(0.9, interpolation="linear").alias("ttv_p90"),
        pl.col("value_at").is_not_null().sum().alias("reached_value"),
        exact_mean(pl.col("days_to_onboard")).alias("dto_mean"),
        pl.col("days_to_onboard").median().alias("dto_median"),
    )


def cohort_grain(window: Window) -> str:
    """Signup cohorts are weeks or months: the window's grain, or weeks for a day grain."""
    return window.grain if window.grain != "day" else "week"


def by_cohort(outcomes: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """Per signup week or month: signups, activated (decided ones), pending."""
    grain = cohort_grain(window)
    day = local_date(pl.col("signup"), window.timezone)
    cohort = bucket_expr(day, grain, window.week_start).alias("cohort")  # type: ignore[arg-type]
    return outcomes.group_by(cohort).agg(
        pl.len().alias("signups"),
        (pl.col("activated") & ~pl.col("pending")).sum().alias("activated"),
        pl.col("pending").sum().alias("pending"),
    )
