"""families/signups.py on Spark: the entity (user, or account at account level) of each event
before `until`, and each entity's signup."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from csmetrics.core.spark.frames import SparkFrames
from csmetrics.core.window import Window
from csmetrics.families.base import Columns
from csmetrics.families.shared.signups import Level, raise_no_account


def entity_events(frames: SparkFrames, columns: Columns, window: Window, level: Level) -> DataFrame:
    events = frames["events"].filter(F.col("timestamp") < F.lit(window.until))
    if level == "user":
        return events.select(F.col("user_id").alias("entity"), "event", "timestamp")
    if "account_id" not in columns["events"]:
        raise_no_account()
    return events.filter(F.col("account_id").isNotNull()).select(
        F.col("account_id").alias("entity"), "event", "timestamp"
    )


def signups(
    events: DataFrame,
    signup_event: str | None,
    frames: SparkFrames,
    columns: Columns,
    window: Window,
    level: Level,
) -> DataFrame:
    """(entity, signup): the first (signup) event; an account's `created_at` when given."""
    source = events if signup_event is None else events.filter(F.col("event") == signup_event)
    first = source.groupBy("entity").agg(F.min(F.col("timestamp")).alias("signup"))
    created = "accounts" in frames and "created_at" in columns.get("accounts", ())
    if level != "account" or not created:
        return first
    accounts = (
        frames["accounts"]
        .select(F.col("account_id").cast("string").alias("entity"), "created_at")
        .filter(F.col("created_at") < F.lit(window.until))
    )
    joined = first.join(accounts, on="entity", how="full")
    return joined.select("entity", F.coalesce("created_at", "signup").alias("signup"))


def missing_account_rows(frames: SparkFrames, columns: Columns, level: Level) -> DataFrame | None:
    if level != "account" or "account_id" not in columns["events"]:
        return None
    return frames["events"].agg(F.count_if(F.col("account_id").isNull()).alias("n"))
