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
    user_index, days = _active_user_days(rng, users)
    event_user, event_day, timestamps = _event_times(rng, user_index, days, per_day)
    names = _event_names(rng, users, event_user, event_day)
    frame = pl.DataFrame(
        {
            "timestamp": timestamps.astype("datetime64[us]"),
            "user_id": users["user_id"].to_numpy()[event_user],
            "account_id": users["account_id"].to_numpy()[event_user],
            "event": names.astype(str),
        }
    ).with_columns(pl.col("timestamp").dt.replace_time_zone("UTC"))
    frame = frame.filter(pl.col("timestamp") < datetime(end.year, end.month, end.day, tzinfo=UTC))
    frame = _with_signups_and_ids(frame, users)
    duplicates = frame.sample(fraction=duplicate_share, seed=int(rng.integers(0, 2**31)))
    return pl.concat([frame, duplicates]).select(
        "event_id", "timestamp", "user_id", "account_id", "event"
    )


def _active_user_days(rng: np.random.Generator, users: pl.DataFrame) -> tuple[np.ndarray, ...]:
    """(user index, day) of every active user-day: each user's weekday rate, a quarter of it
    at weekends, and always the signup day (it carries the onboarding steps)."""
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
    active |= days == users["signup"].to_numpy()[user_index]
    return user_index[active], days[active]


def _event_times(
    rng: np.random.Generator, user_index: np.ndarray, days: np.ndarray, per_day: float
) -> tuple[np.ndarray, ...]:
    """(user index, day, timestamp) of every event: a Poisson number per active day, in
    sessions starting in working hours, each spread over about fifteen minutes."""
    per_user_day = 1 + rng.poisson(max(per_day - 1, 0.1), user_index.size)
    sessions = 1 + rng.poisson(0.4, user_index.size)
    event_user = np.repeat(user_index, per_user_day)
    event_day = np.repeat(days, per_user_day)
    session_of_event = (rng.random(event_user.size) * np.repeat(sessions, per_user_day)).astype(
        "int64"
    )
    day_seed = (
        event_user * 7919 + event_day.astype("int64") * 31 + session_of_event * 104729
    ) % 86000
    session_start = (day_seed * 37 + 7 * 3600) % 61200 + 6 * 3600
    offset = rng.exponential(300, event_user.size).clip(0, 5000)
    seconds = np.minimum(session_start + offset, 86399).astype("int64")
    timestamps = event_day.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    return event_user, event_day, timestamps


def _event_names(
    rng: np.random.Generator, users: pl.DataFrame, event_user: np.ndarray, event_day: np.ndarray
) -> np.ndarray:
    """Feature names by their weights; on the signup day, onboarding steps among them."""
    names = weighted_choice(rng, FEATURES, event_user.size).astype(object)
    on_signup = event_day == users["signup"].to_numpy()[event_user]
    step = rng.integers(0, len(ONBOARDING) + 2, event_user.size)
    return np.where(
        on_signup & (step < len(ONBOARDING)),
        np.array(ONBOARDING, dtype=object)[np.minimum(step, 2)],
        names,
    )


def _with_signups_and_ids(frame: pl.DataFrame, users: pl.DataFrame) -> pl.DataFrame:
    """A `signed_up` event 30 s before each user's first event on or before the signup day,
    then event ids in time order."""
    signups = (
        frame.group_by("user_id")
        .agg(pl.col("timestamp").min(), pl.col("account_id").first())
        .join(users.select("user_id", "signup"), on="user_id")
        .filter(pl.col("signup") >= pl.col("timestamp").dt.date())
        .with_columns(pl.col("timestamp") - pl.duration(seconds=30), event=pl.lit("signed_up"))
        .select(frame.columns)
    )
    frame = pl.concat([frame, signups]).sort("timestamp", "user_id", "event")
    return (
        frame.with_row_index("n")
        .with_columns(event_id=pl.format("evt_{}", pl.col("n").cast(pl.String).str.zfill(10)))
        .drop("n")
    )
