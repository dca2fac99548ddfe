"""Engagement's frames on Spark: the same frames, columns and meaning as the Polars plan
(families/engagement/stages.py), for the family's own `assemble`.

Where Polars walks a per-user timeline, Spark uses what it is built for: distinct user-days,
`lead` over each user's days for the rolling windows, and `lag` with a running sum over each
user's events for gap sessions. A session's account is that of its first event, the smallest of
those tied at that instant (min of a struct whose fields order by time, then non-null first).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import Window as SparkWindow
from pyspark.sql import functions as F

from csmetrics.core.spark.frames import SparkFrames
from csmetrics.core.spark.timeparts import bucket, local_date, micros, plus_days, week_start
from csmetrics.core.window import Window
from csmetrics.families.base import Columns
from csmetrics.families.engagement.params import ROLLING_WINDOWS, EngagementParams
from csmetrics.families.engagement.sessions import MICROS_PER_MINUTE
from csmetrics.families.engagement.stages import by_session_id
from csmetrics.families.engagement.timeline import lookback


def plan(
    frames: SparkFrames, columns: Columns, window: Window, params: EngagementParams
) -> dict[str, DataFrame]:
    events = frames["events"]
    has_account = "account_id" in columns["events"]
    if not has_account:
        events = events.withColumn("account_id", F.lit(None).cast("string"))
    active = active_events(events, window, params)
    # the Polars timeline's rows: active events from the look-back's start, with their local
    # day; not kept, being a cheap filter of the loaded events, which are
    start = lookback(window, params).start
    timeline = active.filter(F.col("timestamp") >= F.lit(start)).select(
        "user_id",
        "account_id",
        "event",
        "timestamp",
        local_date(F.col("timestamp"), window.timezone).alias("day"),
    )
    current = timeline.filter(F.col("timestamp") >= F.lit(window.since))
    days = frames.keep(timeline.select("user_id", "day").distinct())
    window_days = days.filter(F.col("day") >= F.lit(window.first_day))
    by_id = by_session_id(columns, params)
    gap = int(params.session_gap.total_seconds() * 1_000_000)
    if by_id:
        with_id = active.filter(F.col("session_id").isNotNull())
        loose = active.filter(F.col("session_id").isNull())
        by_value = with_id.groupBy("user_id", "session_id").agg(*_session_ends())
        by_gap = _gap_sessions(loose, gap).groupBy("user_id", "n").agg(*_session_ends())
        sessions = by_value.drop("session_id").unionByName(by_gap.drop("n"))
    else:
        sessions = _gap_sessions(timeline, gap).groupBy("user_id", "n").agg(*_session_ends())
    sessions = frames.keep(
        sessions.select(
            F.col("first.timestamp").alias("start"),
            F.col("first.account_id").alias("account_id"),
            "end",
        ).filter(F.col("start") >= F.lit(window.since))
    )
    planned = {
        "daily": daily_counts(days),
        "totals": current.agg(
            F.count_distinct("user_id").alias("active_users"),
            F.count_distinct("account_id").alias("active_accounts"),
        ),
        "sessions": session_summary(sessions),
        "weekly_active_days": weekly_active_days(window_days, window),
        "features": feature_usage(current, params),
    }
    if window.grain != "day":
        planned["buckets"] = window_days.groupBy(
            bucket(F.col("day"), window.grain, window.week_start).alias("bucket")
        ).agg(F.count_distinct("user_id").alias("active_users"))
    if has_account:
        planned["accounts"] = account_usage(timeline, current, sessions, window)
    if by_id:
        planned["no_session_id"] = _no_session_ids(active, window)
    return planned


def _no_session_ids(active: DataFrame, window: Window) -> DataFrame:
    window_rows = active.filter(F.col("timestamp") >= F.lit(window.since))
    return window_rows.agg(F.count_if(F.col("session_id").isNull()).alias("n"))


def daily_counts(days: DataFrame) -> DataFrame:
    """actives.daily_counts: per day, DAU, and the users whose rolling-window span ends there
    (a user-day covers the days until the user's next active day or the window's end)."""
    next_day = F.lead("day").over(SparkWindow.partitionBy("user_id").orderBy("day"))
    spans = days.withColumn("next_day", next_day)
    marks = [F.struct(F.col("day").alias("day"), F.lit("dau").alias("kind"))]
    marks += [
        F.struct(
            F.least(F.col("next_day"), plus_days(F.col("day"), size)).alias("day"),
            F.lit(f"end_{name}").alias("kind"),
        )
        for name, size in ROLLING_WINDOWS.items()
    ]
    exploded = spans.select(F.explode(F.array(*marks)).alias("mark")).select(
        "mark.day", "mark.kind"
    )
    return exploded.groupBy("day", "kind").agg(F.count(F.lit(1)).alias("n"))


def _gap_sessions(rows: DataFrame, gap_micros: int) -> DataFrame:
    """Rows numbered by session (`n`) per user: a new session when the gap from the user's
    previous event exceeds the session gap."""
    by_time = SparkWindow.partitionBy("user_id").orderBy("timestamp")
    previous = F.lag("timestamp").over(by_time)
    starts = previous.isNull() | (micros(F.col("timestamp")) - micros(previous) > gap_micros)
    running = by_time.rowsBetween(SparkWindow.unboundedPreceding, SparkWindow.currentRow)
    flagged = rows.withColumn("__start", starts.cast("int"))
    return flagged.withColumn("n", F.sum("__start").over(running))


def _session_ends() -> list[Column]:
    first = F.struct(
        F.col("timestamp").alias("timestamp"),
        F.col("account_id").isNull().alias("no_account"),
        "account_id",
    )
    return [F.min(first).alias("first"), F.max(F.col("timestamp")).alias("end")]


def session_summary(sessions: DataFrame) -> DataFrame:
    """sessions.session_summary: count, median, mean and total minutes (sums exact in micros)."""
    duration = micros(F.col("end")) - micros(F.col("start"))
    total, count = F.sum(duration), F.count(F.lit(1))
    return sessions.agg(
        count.alias("sessions"),
        (F.percentile(duration, 0.5) / MICROS_PER_MINUTE).alias("median_minutes"),
        F.when(count > 0, total / count / MICROS_PER_MINUTE).alias("mean_minutes"),
        (F.coalesce(total, F.lit(0)) / MICROS_PER_MINUTE).alias("total_minutes"),
    )


def weekly_active_days(window_days: DataFrame, window: Window) -> DataFrame:
    week = week_start(F.col("day"), window.week_start).alias("week")
    per_user = window_days.groupBy(week, "user_id").agg(F.count(F.lit(1)).alias("active_days"))
    return per_user.groupBy("week", "active_days").agg(F.count(F.lit(1)).alias("users"))


def feature_usage(current: DataFrame, params: EngagementParams) -> DataFrame:
    """Per feature: distinct users and accounts of its window events, first and last use.

    The window's events are first reduced to distinct (user, account, event) with their first
    and last times: a few rows per user, so the distinct counts per feature read little."""
    reduced = current.groupBy("user_id", "account_id", "event").agg(
        F.min("timestamp").alias("timestamp"), F.max("timestamp").alias("last")
    )
    return (
        to_features(reduced, params)
        .groupBy("feature")
        .agg(
            F.count_distinct("user_id").alias("users"),
            F.count_distinct("account_id").alias("accounts"),
            F.min(F.col("timestamp")).alias("first_seen"),
            F.max(F.col("last")).alias("last_seen"),
        )
    )


def to_features(frame: DataFrame, params: EngagementParams) -> DataFrame:
    """features.to_features: the frame's rows by feature, the event itself or each configured
    feature listing it (a small broadcast mapping)."""
    if not params.features:
        return frame.withColumnRenamed("event", "feature")
    pairs = [
        F.struct(F.lit(event).alias("event"), F.lit(feature).alias("feature"))
        for feature, names in params.features.items()
        for event in names
    ]
    # a literal table: made in the JVM, so executors never need a Python worker
    mapping = frame.sparkSession.range(1).select(F.inline(F.array(*pairs)))
    return frame.join(F.broadcast(mapping), on="event").drop("event")


def active_events(events: DataFrame, window: Window, params: EngagementParams) -> DataFrame:
    """timeline.active_events: events that count as activity, before `until`."""
    active = events.filter(F.col("timestamp") < F.lit(window.until))
    if params.inactive_events:
        active = active.filter(~F.col("event").isin(list(params.inactive_events)))
    return active


def account_usage(
    timeline: DataFrame, current: DataFrame, sessions: DataFrame, window: Window
) -> DataFrame:
    """accounts.account_usage: per account active in the window's days, its distinct users and
    days, its window events and the sessions that began with it."""
    with_account = F.col("account_id").isNotNull()
    activity = (
        timeline.filter(with_account & (F.col("day") >= F.lit(window.first_day)))
        .groupBy("account_id")
        .agg(
            F.count_distinct("user_id").alias("active_users"),
            F.count_distinct("day").alias("active_days"),
        )
    )
    events = (
        current.filter(with_account).groupBy("account_id").agg(F.count(F.lit(1)).alias("events"))
    )
    per_account = (
        sessions.filter(with_account).groupBy("account_id").agg(F.count(F.lit(1)).alias("sessions"))
    )
    return activity.join(events, "account_id", "left").join(per_account, "account_id", "left")
