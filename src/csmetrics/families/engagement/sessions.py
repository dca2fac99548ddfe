"""Sessions (metrics.md): a user's maximal runs of events with gaps of at most `session_gap`, or
their distinct session_id values; counted when they start in the window."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from csmetrics.core.window import Window

MICROS_PER_MINUTE = 60_000_000


def gap_sessions(ordered: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """Sessions from inactivity gaps: (user_id, rank, start, end), starting in the window. The
    timeline reaches `gap` before `since`, so every window event's predecessor is seen."""
    sessions = ordered.filter("starts_session").select(
        "user_id", "rank", "tied", start="timestamp", end="session_end"
    )
    return with_tied_rank(sessions.filter(pl.col("start") >= window.since), ordered)


def with_tied_rank(sessions: pl.LazyFrame, ordered: pl.LazyFrame) -> pl.LazyFrame:
    """A session's account is that of its first event; when other events of the user share that
    instant (rare), the smallest of their account ids, so the result never depends on row order.
    Only those few sessions are joined to the smallest ranks of their first instant."""
    smallest = (
        ordered.filter("in_tie")
        .group_by("user_id", "timestamp")
        .agg(pl.col("rank").min().alias("tied_rank"))
    )
    columns = ["user_id", "rank", "start", "end"]
    untied = sessions.filter(~pl.col("tied")).select(columns)
    retied = (
        sessions.filter("tied")
        .join(smallest, left_on=["user_id", "start"], right_on=["user_id", "timestamp"])
        .select("user_id", pl.col("tied_rank").alias("rank"), "start", "end")
    )
    return pl.concat([untied, retied])


def id_sessions(active: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """Sessions as distinct session_id values per user, starting in the window: (user_id, rank,
    start, end); the rank is the first event's account's, the smallest among events tied at that
    instant."""
    ts = pl.col("timestamp")
    sessions = (
        active.filter(pl.col("session_id").is_not_null())
        .group_by("user_id", "session_id")
        .agg(
            pl.col("rank").filter(ts == ts.min()).min(),
            ts.min().alias("start"),
            ts.max().alias("end"),
        )
        .drop("session_id")
    )
    return sessions.filter(pl.col("start") >= window.since)


def sessionless_gap_sessions(active: pl.LazyFrame, window: Window, gap: timedelta) -> pl.LazyFrame:
    """Gap sessions of the events that have no session_id, when the others have one (Amplitude's
    -1 "no session"): (user_id, rank, start, end), starting in the window. Those events are
    usually few, so they are sorted on their own; ties at one instant take the smallest rank."""
    ts = pl.col("timestamp")
    loose = (
        active.filter(pl.col("session_id").is_null())
        .select("user_id", "rank", "timestamp")
        .sort("user_id", "timestamp", "rank", nulls_last=True)
    )
    starts = (ts - ts.shift(1)).over("user_id").fill_null(gap + gap) > gap
    numbered = loose.with_columns(starts.cast(pl.UInt32).cum_sum().over("user_id").alias("n"))
    sessions = numbered.group_by("user_id", "n").agg(
        pl.col("rank").filter(ts == ts.min()).min(), ts.min().alias("start"), ts.max().alias("end")
    )
    return sessions.drop("n").filter(pl.col("start") >= window.since)


def session_summary(sessions: pl.LazyFrame) -> pl.LazyFrame:
    """Count, median, mean and total of session durations in minutes. Durations are summed as
    integer microseconds: exact, so the result does not depend on the order rows arrive in."""
    micros = (pl.col("end") - pl.col("start")).dt.total_microseconds()
    total = micros.sum()
    return sessions.select(
        pl.len().alias("sessions"),
        (micros.median() / MICROS_PER_MINUTE).alias("median_minutes"),
        pl.when(pl.len() > 0).then(total / pl.len() / MICROS_PER_MINUTE).alias("mean_minutes"),
        (total / MICROS_PER_MINUTE).alias("total_minutes"),
    )
