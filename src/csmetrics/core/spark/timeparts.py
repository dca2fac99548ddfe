"""csmetrics.core.timeparts for Spark: local days, week starts, buckets and bucket indexes as Spark
columns, with the same meaning as the Polars expressions there (the engine tests prove it, DST
days included). Times are UTC instants; the session's time zone is UTC while csmetrics computes
(session.utc), so `to_date` of a shifted instant is the local day.
"""

from __future__ import annotations

from datetime import date

from pyspark.sql import Column
from pyspark.sql import functions as F

from csmetrics.core.timeparts import Grain, WeekStart

EPOCH_DAY = date(1970, 1, 1)


def local_date(ts: Column, tz: str) -> Column:
    """The calendar day, in time zone `tz`, of a UTC timestamp column."""
    if tz == "UTC":
        return F.to_date(ts)
    # from_utc_timestamp shifts the instant by the zone's offset at that instant (java.time
    # rules, so DST changes fall where they should); its UTC day is then the local day
    return F.to_date(F.from_utc_timestamp(ts, tz))


def week_start(day: Column, start: WeekStart) -> Column:
    """The first day of the week that contains `day`."""
    weekday = F.dayofweek(day)  # Sunday=1 .. Saturday=7
    back = (weekday + 5) % 7 if start == "monday" else weekday - 1
    return F.date_sub(day, back)


def bucket(day: Column, grain: Grain, start: WeekStart) -> Column:
    """The first day of the `grain` bucket that contains `day`."""
    if grain == "day":
        return day
    if grain == "week":
        return week_start(day, start)
    return F.trunc(day, "month")


def bucket_index(first_day: Column, grain: Grain) -> Column:
    """timeparts.bucket_index: consecutive buckets differ by one."""
    if grain == "month":
        return (F.year(first_day) * 12 + F.month(first_day) - 1).cast("int")
    days = F.datediff(first_day, F.lit(EPOCH_DAY))
    return days.cast("int") if grain == "day" else F.floor((days + 3) / 7).cast("int")


def plus_days(day: Column, days: int) -> Column:
    return F.date_add(day, days)


def micros(ts: Column) -> Column:
    """Microseconds since the epoch: differences of these are exact whole numbers."""
    return F.unix_micros(ts)
