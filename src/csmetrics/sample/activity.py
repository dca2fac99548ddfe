"""The sample's product events: vectorised numpy draws, so the same code writes 20M+ events for
benchmarks."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import polars as pl

from csmetrics.core.timeparts import UTC
from csmetrics.sample.people import FEATURES, ONBOARDING, weighted_choice


def make_events(
    rng: np.random.Generator, users: pl.DataFrame, end: date, per_day: float, duplicate_share: float
) -> pl.DataFrame:
    """Events for every user-day of activity, in sessions, with onboarding steps first."""
    origin = users["origin"][0]
    first = np.maximum(users["signup"].to_numpy(), np.datetime64(origin, "D"))
    last = users["last_day"].to_numpy()
    lengths = np.maximum((last - first).astype("int64") + 1, 0)
    user_index = np.repeat(np.arange(users.height), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    days = first[user_index] + (np.arange(user_index.size) - starts).astype("timedelta64[D]")
    weekday = (days.astype("int64") + 3) % 7  # 0 = Monday
    rate = users["rate"].to_numpy()[user_index] * np.where(weekday >= 5, 0.25, 1.0)
    active = rng.random(user_index.size) < rate
    # The signup day is always active: it carries the onboarding steps.
    active |= days == users["signup"].to_numpy()[user_index]
    user_index, days = user_index[active], days[active]
    per_user_day = 1 + rng.poisson(max(per_day - 1, 0.1), user_index.size)
    sessions = 1 + rng.poisson(0.4, user_index.size)
    event_user = np.repeat(user_index, per_user_day)
    event_day = np.repeat(days, per_user_day)
    session_of_event = (rng.random(event_user.size) * np.repeat(sessions, per_user_day)).astype(
        "int64"
    )
    # Session starts: working hours; events spread over a ~15-minute session.
    day_seed = (
        event_user * 7919 + event_day.astype("int64") * 31 + session_of_event * 104729
    ) % 86000
    session_start = (day_seed * 37 + 7 * 3600) % 61200 + 6 * 3600
    offset = rng.exponential(300, event_user.size).clip(0, 5000)
    seconds = np.minimum(session_start + offset, 86399).astype("int64")
    timestamps = event_day.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    names = weighted_choice(rng, FEATURES, event_user.size).astype(object)
    signup_day = users["signup"].to_numpy()[event_user]
    on_signup = event_day == signup_day
    step = rng.integers(0, len(ONBOARDING) + 2, event_user.size)
    names = np.where(
        on_signup & (step < len(ONBOARDING)),
        np.array(ONBOARDING, dtype=object)[np.minimum(step, 2)],
        names,
    )
    frame = pl.DataFrame(
        {
            "timestamp": timestamps.astype("datetime64[us]"),
            "user_id": users["user_id"].to_numpy()[event_user],
            "account_id": users["account_id"].to_numpy()[event_user],
            "event": names.astype(str),
        }
    ).with_columns(pl.col("timestamp").dt.replace_time_zone("UTC"))
    frame = frame.filter(pl.col("timestamp") < datetime(end.year, end.month, end.day, tzinfo=UTC))
    signups = (
        frame.group_by("user_id")
        .agg(pl.col("timestamp").min(), pl.col("account_id").first())
        .join(users.select("user_id", "signup"), on="user_id")
        .filter(pl.col("signup") >= pl.col("timestamp").dt.date())
        .with_columns(pl.col("timestamp") - pl.duration(seconds=30), event=pl.lit("signed_up"))
        .select(frame.columns)
    )
    frame = pl.concat([frame, signups]).sort("timestamp", "user_id", "event")
    frame = (
        frame.with_row_index("n")
        .with_columns(event_id=pl.format("evt_{}", pl.col("n").cast(pl.String).str.zfill(10)))
        .drop("n")
    )
    duplicates = frame.sample(fraction=duplicate_share, seed=int(rng.integers(0, 2**31)))
    return pl.concat([frame, duplicates]).select(
        "event_id", "timestamp", "user_id", "account_id", "event"
    )
