"""Onboarding's frames on Spark: families/onboarding (activation.py, funnel.py) step for step.

Why a second implementation and not one written once (issue 19, measured 2026-12-02): narwhals
2.29, which is lazy on both engines, expresses the signup pass (shared/signups.py) on Polars
with the same plan and time (1.07 s against 1.12 s at 20M events) and on Spark as fast (5.4 s
against 7.3 s). But its PySpark backend cannot move an instant to the report's time zone
(`dt.convert_time_zone` raises unless the zone is the session's), and has no `dt.date` or
`dt.total_microseconds` there; this family buckets by local weeks and months (signup cohorts),
so one version would need an engine-specific escape for exactly its calendar parts. The
equivalence tests (tests/spark/) hold the two together.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from csmetrics.core.spark.frames import SparkFrames
from csmetrics.core.spark.timeparts import bucket, local_date, micros
from csmetrics.core.window import Window
from csmetrics.families.base import Columns
from csmetrics.families.onboarding.activation import DAYS, HOURS, cohort_grain
from csmetrics.families.onboarding.params import OnboardingParams
from csmetrics.families.shared.signups_spark import entity_events, missing_account_rows, signups
from csmetrics.families.shared.waits import EDGES_HOURS


def plan(
    frames: SparkFrames, columns: Columns, window: Window, params: OnboardingParams
) -> dict[str, DataFrame]:
    events = entity_events(frames, columns, window, params.level)
    signed = signups(events, params.signup_event, frames, columns, window, params.level)
    outcomes = frames.keep(
        with_outcomes(signup_progress(events, signed, window, params), window, params)
    )
    planned = {
        "summary": summary(outcomes),
        "cohorts": by_cohort(outcomes, window),
        "value_counts": value_counts(outcomes),
    }
    if params.steps:
        planned["funnel"] = funnel_counts(events, window, params)
    missing = missing_account_rows(frames, columns, params.level)
    if missing is not None:
        planned["missing_account"] = missing
    return planned


def signup_progress(
    events: DataFrame, signed: DataFrame, window: Window, params: OnboardingParams
) -> DataFrame:
    """(entity, signup, activated_at, value_at) for the window's signups."""
    in_window = signed.filter(F.col("signup") >= F.lit(window.since))
    wanted = sorted(set(params.activation_events) | ({params.value} if params.value else set()))
    firsts = (
        events.filter(F.col("event").isin(wanted))
        .join(in_window, on="entity")
        .filter(F.col("timestamp") >= F.col("signup"))
        .groupBy("entity", "event")
        .agg(F.min(F.col("timestamp")).alias("first"))
    )
    needed = len(params.activation_events)
    is_activation = F.col("event").isin(list(params.activation_events))
    is_value = F.col("event") == params.value if params.value else F.lit(False)
    done = F.count_if(is_activation)
    progress = firsts.groupBy("entity").agg(
        F.when(
            F.lit(needed > 0) & (done == needed), F.max(F.when(is_activation, F.col("first")))
        ).alias("activated_at"),
        F.min(F.when(is_value, F.col("first"))).alias("value_at"),
    )
    return in_window.join(progress, on="entity", how="left")


def with_outcomes(progress: DataFrame, window: Window, params: OnboardingParams) -> DataFrame:
    """activation.with_outcomes: pending, activated, hours to value, days to onboard."""
    window_micros = int(params.activation_window.total_seconds() * 1_000_000)
    deadline = micros(F.col("signup")) + window_micros
    activated = micros(F.col("activated_at"))
    within = F.col("activated_at").isNotNull() & (activated < deadline)
    return progress.select(
        "signup",
        "value_at",
        (deadline > micros(F.lit(window.until))).alias("pending"),
        F.coalesce(within, F.lit(False)).alias("activated"),
        (_since_signup("value_at") / HOURS).alias("hours_to_value"),
        F.when(within, _since_signup("activated_at") / DAYS).alias("days_to_onboard"),
    )


def _since_signup(column: str) -> F.Column:
    return micros(F.col(column)) - micros(F.col("signup"))


def summary(outcomes: DataFrame) -> DataFrame:
    pending, activated = F.col("pending"), F.col("activated")
    return outcomes.agg(
        F.count(F.lit(1)).alias("signups"),
        F.count_if(pending).alias("pending"),
        F.count_if(activated & ~pending).alias("activated_decided"),
        F.count_if(~pending).alias("decided"),
        F.percentile("hours_to_value", 0.5).alias("ttv_median"),
        F.percentile("hours_to_value", 0.9).alias("ttv_p90"),
        F.count("value_at").alias("reached_value"),
        F.mean("days_to_onboard").alias("dto_mean"),
        F.percentile("days_to_onboard", 0.5).alias("dto_median"),
    )


def value_counts(outcomes: DataFrame) -> DataFrame:
    """shared/waits.py's `plan_counts` of the hours to value: (position, count)."""
    hours = F.col("hours_to_value")
    position = F.lit(0)
    for edge in EDGES_HOURS:
        position = position + (hours >= edge).cast("long")
    return (
        outcomes.where(hours.isNotNull())
        .groupBy(position.cast("long").alias("position"))
        .agg(F.count(F.lit(1)).alias("count"))
    )


def by_cohort(outcomes: DataFrame, window: Window) -> DataFrame:
    grain = cohort_grain(window)
    day = local_date(F.col("signup"), window.timezone)
    cohort = bucket(day, grain, window.week_start).alias("cohort")  # type: ignore[arg-type]
    return outcomes.groupBy(cohort).agg(
        F.count(F.lit(1)).alias("signups"),
        F.count_if(F.col("activated") & ~F.col("pending")).alias("activated"),
        F.count_if(F.col("pending")).alias("pending"),
    )


def funnel_counts(events: DataFrame, window: Window, params: OnboardingParams) -> DataFrame:
    """funnel.funnel_steps and funnel_counts: entities reaching each step in order within the
    conversion window of their first step-1 event in the window, and median hours between."""
    steps, conversion = params.steps, int(params.conversion_window.total_seconds() * 1_000_000)
    first = (
        events.filter((F.col("event") == steps[0]) & (F.col("timestamp") >= F.lit(window.since)))
        .groupBy("entity")
        .agg(F.min(F.col("timestamp")).alias("t1"))
        .select("entity", "t1", F.col("t1").alias("at"), F.col("t1").alias("previous"))
    )
    reached = [first]
    for name in steps[1:]:
        before = reached[-1].select("entity", "t1", F.col("at").alias("previous"))
        candidates = (
            events.filter(F.col("event") == name)
            .select("entity", "timestamp")
            .join(before, on="entity")
            .filter(
                (F.col("timestamp") >= F.col("previous"))
                & (micros(F.col("timestamp")) < micros(F.col("t1")) + conversion)
            )
        )
        reached.append(
            candidates.groupBy("entity", "t1", "previous").agg(
                F.min(F.col("timestamp")).alias("at")
            )
        )
    hours = (micros(F.col("at")) - micros(F.col("previous"))) / HOURS
    rows = None
    for position, (name, frame) in enumerate(zip(steps, reached, strict=True), start=1):
        step = frame.select(
            F.lit(name).alias("step"), F.lit(position).alias("position"), hours.alias("hours")
        )
        rows = step if rows is None else rows.unionByName(step)
    assert rows is not None
    return rows.groupBy("position", "step").agg(
        F.count(F.lit(1)).alias("users"),
        F.percentile("hours", 0.5).alias("median_time_from_previous_hours"),
    )
