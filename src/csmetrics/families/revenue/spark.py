"""Revenue's one pass over the events on Spark (revenue/users.users_stage): the (account, user)
pairs active in ARPU's month. Billing and every later step stay on Polars; the equivalence
tests (tests/spark/) hold the two together."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from csmetrics.core.spark.frames import SparkFrames
from csmetrics.core.window import Window
from csmetrics.families.base import Columns
from csmetrics.families.revenue.params import RevenueParams
from csmetrics.families.revenue.users import USER_COLUMNS, reads_users, user_month


def event_stage(
    frames: SparkFrames, columns: Columns, window: Window, params: RevenueParams
) -> dict[str, DataFrame]:
    if not reads_users(columns):
        return {}
    start, until = user_month(window)
    events = frames["events"]
    if params.inactive_events:
        events = events.filter(~F.col("event").isin(list(params.inactive_events)))
    pairs = (
        events.filter((F.col("timestamp") >= F.lit(start)) & (F.col("timestamp") < F.lit(until)))
        .filter(F.col("account_id").isNotNull() & F.col("user_id").isNotNull())
        .select(*(F.col(c).cast("string").alias(c) for c in USER_COLUMNS))
        .distinct()
    )
    return {"month_users": pairs}
