"""Engagement: DAU/WAU/MAU, stickiness, sessions, feature adoption, account activity (metrics.md).

Two stages, each materialised once by the runner, then the plan:

1. `group_events` reads the events once: per user, the timestamps and account ranks of their
   active events in time order (a group_by with sorts inside the small groups, a sixth of a global
   (user, time) sort) and the bits of the features they used; per account, events and feature
   bits; per event, first and last use; the account ranks (lexical positions of the account ids).
2. `order_events` explodes the per-user lists into the timeline: one row per event, users one
   after another, each row flagged by comparing it with its neighbours (first row of a user-day,
   of a user-account-day, of a session, with the session's end; first in the window; same
   instant as the previous), keeping only the rows that mark something.
3. `plan` reads only those: user-days are the rows flagged as a user-day's first, sessions the
   rows flagged as starting one, distinct users in the window a count of flags. No output hashes
   the 20M events again.

The timeline reaches back from `since` far enough for MAU30 of the window's first day (29 days)
and for the gap before a session's first event (`history_start`).

Rolling distinct counts (WAU7, MAU30) come from user-days without any per-day self-join: each
user-day "covers" the days from itself until the user's next active day or the end of the rolling
window, whichever comes first; the covered spans of one user never overlap, so the distinct users
covering day d is a running sum of +1 at span starts and -1 at span ends.

Feature adoption: with at most 64 features, each event maps to a bit mask of the features it
counts for, and distinct users (accounts) per feature are bit counts over one OR per user
(account); with more, distinct counts per feature (`feature_usage`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl

from csmetrics.diagnostics import DataWarning
from csmetrics.errors import ConfigError
from csmetrics.families.base import Family, FamilyResult, RunContext
from csmetrics.timeparts import (
    ONE_MICROSECOND,
    bucket_expr,
    local_date,
    local_day_of,
    local_midnight,
    next_bucket_start,
    parse_duration,
    week_start_expr,
    week_start_of,
)
from csmetrics.window import Window

ROLLING_WINDOWS = {"wau7": 7, "mau30": 30}
LOOKBACK_DAYS = max(ROLLING_WINDOWS.values()) - 1
MICROS_PER_MINUTE = 60_000_000


@dataclass(frozen=True)
class EngagementParams:
    session_gap: timedelta = timedelta(minutes=30)
    inactive_events: tuple[str, ...] = ()
    features: Mapping[str, tuple[str, ...]] | None = None  # feature -> event names
    use_session_id: bool = True  # sessions from session_id when the column exists


def parameters(params: EngagementParams) -> dict[str, Any]:
    return {
        "session_gap_minutes": params.session_gap.total_seconds() / 60,
        "inactive_events": list(params.inactive_events),
        "features": {k: list(v) for k, v in params.features.items()} if params.features else None,
    }


def needed_columns(source: str, params: EngagementParams) -> set[str]:
    return {"timestamp", "user_id", "event", "account_id", "session_id"}


# --- lazy building blocks ------------------------------------------------------------------------


def active_events(events: pl.LazyFrame, window: Window, params: EngagementParams) -> pl.LazyFrame:
    """Events that count as activity and happened before `until`."""
    frame = events
    if params.inactive_events:
        frame = frame.filter(~pl.col("event").is_in(list(params.inactive_events)))
    if window.until is not None:
        frame = frame.filter(pl.col("timestamp") < window.until)
    return frame


def in_window(active: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    return active if window.since is None else active.filter(_inside(window))


def history_start(window: Window, gap: timedelta) -> datetime | None:
    """The earliest instant any output needs: MAU30 of the window's first day reaches back
    LOOKBACK_DAYS local days, and whether a window event starts a session depends on the user's
    events in the `gap` before it."""
    if window.since is None:
        return None
    first_day = local_day_of(window.since, window.timezone)
    lookback = local_midnight(first_day - timedelta(days=LOOKBACK_DAYS), window.timezone)
    return min(lookback, window.since - gap)


@dataclass(frozen=True)
class FeatureBits:
    """Features numbered as bits of a 64-bit mask, with the mask of each event code.

    For a Categorical `event` column (what the runner loads: its categories number the event
    names alone), each event code maps to the bits of the features it counts for: its own bit
    without a features mapping, the bits of the features listing it with one. Distinct users and
    accounts per feature are then bit counts over one OR per user and per account.
    """

    names: tuple[str, ...]  # the feature of bit i
    masks: pl.Series  # unsigned integers, indexed by the event column's physical code

    def of_events(self) -> pl.Expr:
        return pl.lit(self.masks).gather(pl.col("event").to_physical())

    def table(self) -> pl.LazyFrame:
        return pl.LazyFrame(
            {"bit": range(len(self.names)), "feature": self.names},
            schema={"bit": pl.Int64, "feature": pl.String},
        )


MAX_FEATURE_BITS = 64


def feature_bits(event_dtype: pl.DataType, params: EngagementParams) -> FeatureBits | None:
    """The bits of the features, or None when they do not fit in 64 (or the events are not
    Categorical): then distinct counts per feature are made the general way (feature_usage)."""
    if not isinstance(event_dtype, pl.Categorical):
        return None
    events = event_dtype.categories.to_series().to_list()
    if params.features:
        names = tuple(params.features)
        bit_of = {feature: 1 << i for i, feature in enumerate(names)}
        masks = [
            sum(bit_of[f] for f, listed in params.features.items() if event in listed)
            for event in events
        ]
    else:
        names = tuple(events)
        masks = [1 << i for i in range(len(events))]
    if len(names) > MAX_FEATURE_BITS:
        return None
    # the narrowest mask: less memory to move through the per-user grouping
    widths = {8: pl.UInt8, 16: pl.UInt16, 32: pl.UInt32, 64: pl.UInt64}
    dtype = next(t for bits, t in widths.items() if len(names) <= bits)
    return FeatureBits(names, pl.Series("masks", masks, dtype=dtype))


def bit_counts(frame: pl.LazyFrame, name: str) -> pl.LazyFrame:
    """(bit, `name`): how many rows of `frame` have each bit of `features` set."""
    counts = [
        ((pl.col("features").cast(pl.UInt64) & pl.lit(1 << i, pl.UInt64)) != 0).sum().alias(str(i))
        for i in range(MAX_FEATURE_BITS)
    ]
    return (
        frame.select(counts)
        .unpivot(variable_name="bit", value_name=name)
        .with_columns(pl.col("bit").cast(pl.Int64))
    )


def _inside(window: Window) -> pl.Expr:
    """Rows of the window (all rows before `until` when it has no start)."""
    if window.since is None:
        return pl.lit(True)
    return pl.col("timestamp") >= window.since


def user_events(
    active: pl.LazyFrame, window: Window, gap: timedelta, bits: FeatureBits | None
) -> pl.LazyFrame:
    """One row per user: the timestamps and account ranks of their active events from
    `history_start` on, in time order, and (with `bits`) `features`, the OR of the `event_bits`
    (zero outside the window) of their events: the features they used in the window.

    Sorting inside per-user groups costs a sixth of a global (user, time) sort on 20M rows, and
    the feature bits ride along the same grouping for a tenth of a distinct count per feature.
    """
    start = history_start(window, gap)
    frame = active if start is None else active.filter(pl.col("timestamp") >= start)
    # Sorting the times directly costs less than sorting them by a key (sort_by); the ranks
    # follow. Tied times may pair with their ranks in another order: they are equal times.
    aggs = [pl.col("timestamp").sort(), pl.col("rank").sort_by("timestamp")]
    if bits is not None:
        used = pl.col("event_bits").bitwise_or().fill_null(0)
        aggs.append(used.alias("features"))
    return frame.group_by("user_id").agg(aggs)


TIMELINE_LISTS = ["timestamp", "rank"]


def timeline(users: pl.LazyFrame, window: Window, gap: timedelta) -> pl.LazyFrame:
    """The marked rows of the timeline: each user's events (user_events) one row each, users one
    after another, compared with their neighbours, and only the rows that mark something kept.

    Columns: user_id, timestamp, rank (the account's, see with_account_rank), day, and flags:

    - `new_day`: the first row of a user-day (days never decrease within a user);
    - `new_account_day`: the first row of a run of one user, day and account;
    - `starts_session`: the gap from the user's previous row exceeds `gap`, or there is none;
      `session_end` is then the time of the session's last event;
    - `tied`: a session start followed by an event of the user at the same instant;
    - `same_instant`: the user's previous row has the same timestamp (kept with its neighbours:
      the few rows the tie-break of a session's account reads);
    - `first_in_window`: the user's first row at or after `since`.

    Every per-user measure reads these flags instead of hashing 20M events, and keeping only the
    marked rows (a quarter of them in the benchmark) makes every later pass and the materialised
    frame smaller.
    """
    ts, user = pl.col("timestamp"), pl.col("user_id")
    new_user, same_instant = pl.col("new_user"), pl.col("same_instant")
    starts = pl.col("starts_session")
    if window.since is None:
        first_in_window = new_user
    else:
        inside = ts >= window.since
        first_in_window = inside & (new_user | ~inside.shift(1, fill_value=False))
    step = ts.diff()  # null on the first row
    return (
        users.select("user_id", *TIMELINE_LISTS)
        .explode(TIMELINE_LISTS)
        .with_columns(
            day=local_date(ts, window.timezone),
            new_user=user.ne_missing(user.shift(1)),  # user_id is never missing
        )
        .with_columns(
            new_day=new_user | pl.col("day").ne_missing(pl.col("day").shift(1)),
            same_instant=~new_user & (step == timedelta(0)),
            starts_session=new_user | (step > gap),
            first_in_window=first_in_window,
        )
        .with_columns(
            new_account_day=pl.col("new_day") | pl.col("rank").ne_missing(pl.col("rank").shift(1)),
            # a user's last row ends a session, so the next end is always the user's own
            session_end=pl.when(starts.shift(-1, fill_value=True)).then(ts).backward_fill(),
            tied=starts & same_instant.shift(-1, fill_value=False),
            in_tie=same_instant | same_instant.shift(-1, fill_value=False),
        )
        .filter(pl.col("new_account_day") | starts | pl.col("in_tie") | pl.col("first_in_window"))
        .drop("new_user")
    )


def user_days(ordered: pl.LazyFrame) -> pl.LazyFrame:
    """Distinct (user_id, day), ordered by user then day."""
    return ordered.filter("new_day").select("user_id", "day")


def user_account_days(ordered: pl.LazyFrame) -> pl.LazyFrame:
    """(user_id, rank, day) at the first row of each run of one user, account and day: every
    distinct triple, repeated only when a user switches accounts back and forth within a day,
    which distinct counts per account (all that reads it) ignore."""
    return ordered.filter("new_account_day").select("user_id", "rank", "day")


def daily_counts(days: pl.LazyFrame) -> pl.LazyFrame:
    """Per day: DAU, and the user spans ending that day for each rolling window (see module doc).

    `days` is ordered by user then day, so a user's next active day is on the next row.
    """
    same_user = pl.col("user_id") == pl.col("user_id").shift(-1)
    next_day = pl.when(same_user).then(pl.col("day").shift(-1))
    spans = days.with_columns(
        (
            pl.min_horizontal(next_day, pl.col("day") + pl.duration(days=size)).alias(f"end_{name}")
            for name, size in ROLLING_WINDOWS.items()
        )
    )
    starts = spans.select("day", pl.lit("dau").alias("kind"))
    ends = [
        spans.select(pl.col(f"end_{name}").alias("day"), pl.lit(f"end_{name}").alias("kind"))
        for name in ROLLING_WINDOWS
    ]
    return (
        pl.concat([starts, *ends]).group_by("day", "kind").agg(pl.len().cast(pl.Int64).alias("n"))
    )


def gap_sessions(ordered: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """Sessions from inactivity gaps: (user_id, rank, start, end), starting in the window. The
    timeline reaches `gap` before `since`, so every window event's predecessor is seen."""
    sessions = ordered.filter("starts_session").select(
        "user_id", "rank", "tied", start="timestamp", end="session_end"
    )
    if window.since is not None:
        sessions = sessions.filter(pl.col("start") >= window.since)
    return with_tied_rank(sessions, ordered)


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


def with_account_rank(frame: pl.LazyFrame) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The frame with `rank` in place of account_id, and the table (rank, account_id) of ranks.

    A rank is the account id's lexical position: an integer, cheap to compare, group and carry
    through the timeline, and the smallest rank is the smallest id. For Categorical ids (what the
    runner loads) ranks come from the dtype's categories, a gather from a small lookup, 7x faster
    than joining 20M rows to a rank table, which remains the way for plain strings.
    """
    dtype = frame.collect_schema()["account_id"]
    if isinstance(dtype, pl.Categorical):
        categories = dtype.categories.to_series()
        ranks = categories.rank("ordinal").cast(pl.UInt32) - 1
        code = pl.col("account_id").to_physical()
        ranked = frame.with_columns(rank=pl.lit(ranks).gather(code)).drop("account_id")
        by_rank = categories.sort().cast(pl.String).rename("account_id")
        table = pl.LazyFrame(
            [pl.int_range(len(by_rank), dtype=pl.UInt32, eager=True).rename("rank"), by_rank]
        )
        return ranked, table
    table = frame.select(pl.col("account_id").cast(pl.String).unique().drop_nulls()).with_columns(
        rank=pl.col("account_id").rank("ordinal").cast(pl.UInt32) - 1
    )
    ranked = frame.with_columns(pl.col("account_id").cast(pl.String)).join(
        table, on="account_id", how="left"
    )
    return ranked.drop("account_id"), table


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
    if window.since is not None:
        sessions = sessions.filter(pl.col("start") >= window.since)
    return sessions


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


def window_totals(ordered: pl.LazyFrame, account_events: pl.LazyFrame) -> pl.LazyFrame:
    """Active users (the timeline's users with a first row in the window) and active accounts
    (one row each in `account_events`) of the window."""
    users = ordered.select(pl.col("first_in_window").sum().alias("active_users"))
    accounts = account_events.select(pl.len().alias("active_accounts"))
    return pl.concat([users, accounts], how="horizontal")


def window_user_days(days: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    frame = days
    if window.since is not None:
        frame = frame.filter(pl.col("day") >= local_day_of(window.since, window.timezone))
    return frame


def bucket_active_users(days: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    bucket = bucket_expr(pl.col("day"), window.grain, window.week_start)
    return days.group_by(bucket.alias("bucket")).agg(
        pl.col("user_id").n_unique().alias("active_users")
    )


def weekly_active_days(days: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """(week, active_days, users): how many users were active on n days of each week.

    `days` is ordered by user then day, so a user's days of one week are one run of rows and
    its length is their active days: the distance from the previous run's last row to this
    run's. No user id is hashed (a third of the time of grouping by week and user).
    """
    week = week_start_expr(pl.col("day"), window.week_start)
    user = pl.col("user_id")
    ends_run = user.ne_missing(user.shift(-1)) | week.ne_missing(week.shift(-1))
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    runs = (
        days.select(week.alias("week"), row.alias("row"), ends_run.alias("ends_run"))
        .filter("ends_run")
        .select("week", active_days=pl.col("row") - pl.col("row").shift(1, fill_value=-1))
    )
    return runs.group_by("week", "active_days").agg(pl.len().alias("users"))


def feature_mapping(features: Mapping[str, tuple[str, ...]]) -> pl.LazyFrame:
    """(event, feature) for each event a configured feature lists."""
    return pl.LazyFrame(
        [(event, feature) for feature, events in features.items() for event in events],
        schema={"event": pl.String, "feature": pl.String},
        orient="row",
    )


def feature_usage(current: pl.LazyFrame, params: EngagementParams) -> pl.LazyFrame:
    """Per feature: distinct users and accounts, first and last use (from ranked events)."""
    if params.features:
        event_dtype = current.collect_schema()["event"]
        mapping = feature_mapping(params.features).with_columns(pl.col("event").cast(event_dtype))
        used = current.join(mapping, on="event", how="inner")
    else:
        used = current.with_columns(feature=pl.col("event"))
    return (
        used.group_by("feature")
        .agg(
            pl.col("user_id").n_unique().alias("users"),
            pl.col("timestamp").min().alias("first_seen"),
            pl.col("timestamp").max().alias("last_seen"),
            pl.col("rank").drop_nulls().n_unique().alias("accounts"),
        )
        .with_columns(pl.col("feature").cast(pl.String))
    )


def features_from_bits(
    frames: Mapping[str, pl.LazyFrame], params: EngagementParams
) -> pl.LazyFrame:
    """feature_usage's table from the feature bits of users and accounts and each event's first
    and last use (a feature's first use is the earliest of its events')."""
    users = bit_counts(frames["user_features"], "users")
    accounts = bit_counts(frames["account_events"], "accounts")
    counted = (
        frames["feature_bits"]
        .join(users, on="bit", how="left")
        .join(accounts, on="bit", how="left")
        .filter(pl.col("users") > 0)
    )
    if params.features:
        times = (
            frames["event_times"]
            .join(feature_mapping(params.features), on="event", how="inner")
            .group_by("feature")
            .agg(pl.col("first_seen").min(), pl.col("last_seen").max())
        )
    else:
        times = frames["event_times"].rename({"event": "feature"})
    return counted.join(times, on="feature", how="left").select(
        "feature",
        pl.col("users").cast(pl.UInt32),
        "first_seen",
        "last_seen",
        pl.col("accounts").cast(pl.UInt32),
    )


def account_usage(
    events: pl.LazyFrame,
    current_days: pl.LazyFrame,
    sessions: pl.LazyFrame,
    ranks: pl.LazyFrame,
) -> pl.LazyFrame:
    """Per account: distinct active users and days (from user-account-days), events, sessions;
    counted by rank, named at the end."""
    with_account = pl.col("rank").is_not_null()
    activity = (
        current_days.filter(with_account)
        .group_by("rank")
        .agg(
            pl.col("user_id").n_unique().alias("active_users"),
            pl.col("day").n_unique().alias("active_days"),
        )
    )
    per_account = sessions.filter(with_account).group_by("rank").agg(pl.len().alias("sessions"))
    joined = (
        activity.join(events, on="rank", how="left")
        .join(per_account, on="rank", how="left")
        .join(ranks, on="rank", how="left")
    )
    return joined.drop("rank")


def _events(
    frames: Mapping[str, pl.LazyFrame], columns: Mapping[str, tuple[str, ...]]
) -> pl.LazyFrame:
    events = frames["events"]
    if "account_id" not in columns["events"]:
        events = events.with_columns(account_id=pl.lit(None, pl.String))
    return events


def group_events(
    frames: Mapping[str, pl.LazyFrame],
    columns: Mapping[str, tuple[str, ...]],
    window: Window,
    params: EngagementParams,
) -> dict[str, pl.LazyFrame]:
    """Stage 1, everything read from the events themselves: their grouping by user, the account
    ranks, events (and feature bits) per account, each event's first and last use, and, when the
    features do not fit in bits or sessions come from session_id, those outputs directly."""
    active, ranks = with_account_rank(active_events(_events(frames, columns), window, params))
    bits = feature_bits(active.collect_schema()["event"], params)
    if bits is not None:
        # A column before grouping, zero outside the window: inside an aggregation the lookup
        # would run once per group, and a filter by time would gather the times once more.
        in_window_bits = pl.when(_inside(window)).then(bits.of_events()).otherwise(0)
        active = active.with_columns(event_bits=in_window_bits.cast(bits.masks.dtype))
    current = in_window(active, window)
    per_account = [pl.len().alias("events")]
    if bits is not None:
        per_account.append(pl.col("event_bits").bitwise_or().alias("features"))
    made = {
        "user_events": user_events(active, window, params.session_gap, bits),
        "ranks": ranks,
        "account_events": current.filter(pl.col("rank").is_not_null())
        .group_by("rank")
        .agg(per_account),
    }
    if bits is None:
        made["features"] = feature_usage(current, params)
    else:
        made["feature_bits"] = bits.table()
        made["event_times"] = (
            current.group_by("event")
            .agg(
                pl.col("timestamp").min().alias("first_seen"),
                pl.col("timestamp").max().alias("last_seen"),
            )
            .with_columns(pl.col("event").cast(pl.String))
        )
    if _by_session_id(columns, params):
        made["id_sessions"] = id_sessions(active, window)
        made["no_session_id"] = current.select(pl.col("session_id").is_null().sum().alias("n"))
    return made


def order_events(
    frames: Mapping[str, pl.LazyFrame],
    columns: Mapping[str, tuple[str, ...]],
    window: Window,
    params: EngagementParams,
) -> dict[str, pl.LazyFrame]:
    """Stage 2: the timeline from the per-user grouping; the rest passes through."""
    made = {name: frame for name, frame in frames.items() if name != "user_events"}
    users = frames["user_events"]
    made["timeline"] = timeline(users, window, params.session_gap)
    if "features" in users.collect_schema():
        made["user_features"] = users.select("features")
    return made


def _by_session_id(columns: Mapping[str, tuple[str, ...]], params: EngagementParams) -> bool:
    return params.use_session_id and "session_id" in columns["events"]


def plan(
    frames: Mapping[str, pl.LazyFrame],
    columns: Mapping[str, tuple[str, ...]],
    window: Window,
    params: EngagementParams,
) -> dict[str, pl.LazyFrame]:
    """Every output, from what the stages (group_events, order_events) made."""
    has_account = "account_id" in columns["events"]
    ordered = frames["timeline"]
    # Intermediates read by several outputs are cached: computed once per collect_all.
    days = user_days(ordered).cache()
    current_days = window_user_days(days, window)
    by_id = _by_session_id(columns, params)
    sessions = (frames["id_sessions"] if by_id else gap_sessions(ordered, window)).cache()
    planned = {
        "daily": daily_counts(days),
        "totals": window_totals(ordered, frames["account_events"]),
        "sessions": session_summary(sessions),
        "weekly_active_days": weekly_active_days(current_days, window),
        "features": frames["features"]
        if "features" in frames
        else features_from_bits(frames, params),
    }
    if window.grain != "day":
        planned["buckets"] = bucket_active_users(current_days, window)
    if has_account:
        planned["accounts"] = account_usage(
            frames["account_events"],
            window_user_days(user_account_days(ordered), window),
            sessions,
            frames["ranks"],
        )
    if by_id:
        planned["no_session_id"] = frames["no_session_id"]
    return planned


# --- assembling the small collected frames -------------------------------------------------------


def bucket_is_partial(
    start: date, end: date, window: Window, observed: tuple[datetime | None, datetime | None]
) -> bool:
    """A bucket `[start, end)` of local days not wholly inside the window and the observed range."""
    tz = window.timezone
    begin, finish = local_midnight(start, tz), local_midnight(end, tz)
    assert window.since is not None and window.until is not None
    first, last = observed
    inside_window = begin >= window.since and finish <= window.until
    inside_data = (
        first is not None
        and last is not None
        and begin >= first
        and finish <= last + ONE_MICROSECOND
    )
    return not (inside_window and inside_data)


def window_days(window: Window) -> list[date]:
    assert window.since is not None and window.until is not None
    first = local_day_of(window.since, window.timezone)
    last = local_day_of(window.until - ONE_MICROSECOND, window.timezone)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def daily_table(daily_long: pl.DataFrame, window: Window, observed: tuple) -> pl.DataFrame:
    """One row per window day: dau, wau7, mau30, stickiness, partial."""
    days = window_days(window)
    if not days:
        return pl.DataFrame(
            schema={
                "day": pl.Date,
                "dau": pl.Int64,
                "wau7": pl.Int64,
                "mau30": pl.Int64,
                "stickiness": pl.Float64,
                "partial": pl.Boolean,
            }
        )
    calendar_start = days[0] - timedelta(days=LOOKBACK_DAYS)
    first_seen = daily_long["day"].min() if daily_long.height else None
    if isinstance(first_seen, date) and first_seen < calendar_start:
        calendar_start = first_seen
    calendar = pl.DataFrame({"day": pl.date_range(calendar_start, days[-1], "1d", eager=True)})
    wide = (
        daily_long.pivot(on="kind", index="day", values="n", aggregate_function="sum")
        if daily_long.height
        else pl.DataFrame(schema={"day": pl.Date})
    )
    for kind in ("dau", *(f"end_{name}" for name in ROLLING_WINDOWS)):
        if kind not in wide.columns:
            wide = wide.with_columns(pl.lit(0, pl.Int64).alias(kind))
    full = calendar.join(wide, on="day", how="left").fill_null(0).sort("day")
    full = full.with_columns(
        (pl.col("dau").cum_sum() - pl.col(f"end_{name}").cum_sum()).alias(name)
        for name in ROLLING_WINDOWS
    )
    table = full.filter(pl.col("day") >= days[0]).select("day", "dau", *ROLLING_WINDOWS)
    partial = [bucket_is_partial(d, d + timedelta(days=1), window, observed) for d in table["day"]]
    return table.with_columns(
        stickiness=pl.when(pl.col("mau30") > 0).then(pl.col("dau") / pl.col("mau30")),
        partial=pl.Series(partial, dtype=pl.Boolean),
    )


def activity_table(
    daily: pl.DataFrame, buckets: pl.DataFrame | None, window: Window, observed: tuple
) -> pl.DataFrame:
    if window.grain == "day":
        return daily.rename({"day": "bucket"})
    assert buckets is not None
    bucket = bucket_expr(pl.col("day"), window.grain, window.week_start).alias("bucket")
    grouped = (
        daily.sort("day")
        .group_by(bucket)
        .agg(
            pl.col("dau").mean().alias("dau_mean"),
            pl.col("wau7").last(),
            pl.col("mau30").last(),
            pl.col("stickiness").mean(),
        )
    )
    table = grouped.join(buckets, on="bucket", how="left").with_columns(
        pl.col("active_users").fill_null(0)
    )
    table = table.sort("bucket")
    partial = [
        bucket_is_partial(b, next_bucket_start(b, window.grain), window, observed)
        for b in table["bucket"]
    ]
    return table.select(
        "bucket",
        "active_users",
        "dau_mean",
        "wau7",
        "mau30",
        "stickiness",
        pl.Series("partial", partial, dtype=pl.Boolean),
    )


def active_days_table(weekly: pl.DataFrame, window: Window, observed: tuple) -> pl.DataFrame:
    days = window_days(window)
    weeks = sorted({week_start_of(d, window.week_start) for d in days})
    grid = pl.DataFrame(
        {
            "week": [w for w in weeks for _ in range(7)],
            "active_days": [n for _ in weeks for n in range(1, 8)],
        },
        schema={"week": pl.Date, "active_days": pl.UInt32},
    )
    counts = weekly.with_columns(
        pl.col("active_days").cast(pl.UInt32), pl.col("users").cast(pl.Int64)
    )
    table = grid.join(counts, on=["week", "active_days"], how="left").with_columns(
        pl.col("users").fill_null(0)
    )
    table = table.with_columns(
        share=pl.when(pl.col("users").sum().over("week") > 0).then(
            pl.col("users") / pl.col("users").sum().over("week")
        )
    ).sort("week", "active_days")
    partial = {w: bucket_is_partial(w, w + timedelta(days=7), window, observed) for w in weeks}
    return table.with_columns(
        pl.col("week").replace_strict(partial, return_dtype=pl.Boolean).alias("partial")
    )


def features_table(
    used: pl.DataFrame, params: EngagementParams, active_users: int, active_accounts: int | None
) -> pl.DataFrame:
    if active_accounts is None:  # events without account_id: accounts are unknown, not 0
        used = used.with_columns(accounts=pl.lit(None, pl.UInt32))
    if params.features:
        names = pl.DataFrame({"feature": list(params.features)}, schema={"feature": pl.String})
        used = names.join(used, on="feature", how="left").with_columns(pl.col("users").fill_null(0))
        if active_accounts is not None:
            used = used.with_columns(pl.col("accounts").fill_null(0))
    return used.select(
        "feature",
        pl.col("users").cast(pl.Int64),
        (pl.col("users") / active_users if active_users else pl.lit(None, pl.Float64)).alias(
            "user_share"
        ),
        pl.col("accounts").cast(pl.Int64),
        (
            pl.col("accounts") / active_accounts if active_accounts else pl.lit(None, pl.Float64)
        ).alias("account_share"),
        "first_seen",
        "last_seen",
    ).sort(["users", "feature"], descending=[True, False])


def accounts_table(accounts: pl.DataFrame) -> pl.DataFrame:
    return accounts.select(
        "account_id",
        pl.col("active_users").cast(pl.Int64),
        pl.col("active_days").cast(pl.Int64),
        pl.col("sessions").fill_null(0).cast(pl.Int64),
        pl.col("events").cast(pl.Int64),
    ).sort(["active_users", "events", "account_id"], descending=[True, True, False])


def _mean_or_none(series: pl.Series) -> float | None:
    return None if series.len() == 0 else float(series.mean())  # type: ignore[arg-type]


def assemble(
    results: Mapping[str, pl.DataFrame], ctx: RunContext, params: EngagementParams
) -> FamilyResult:
    window = ctx.window
    observed = ctx.observed["events"]
    warnings: list[DataWarning] = []
    daily = daily_table(results["daily"], window, observed)
    complete = daily.filter(~pl.col("partial"))
    totals = results["totals"].row(0, named=True)
    active_users = int(totals["active_users"])
    sessions = results["sessions"].row(0, named=True)
    has_account = "account_id" in ctx.columns["events"]
    last_day = daily.tail(1)

    metrics: dict[str, float | None] = {
        "engagement.dau_mean": _mean_or_none(complete["dau"]),
        "engagement.wau": float(last_day["wau7"].item()) if last_day.height else None,
        "engagement.mau": float(last_day["mau30"].item()) if last_day.height else None,
        "engagement.stickiness": _mean_or_none(complete["stickiness"].drop_nulls()),
        "engagement.sessions_count": float(sessions["sessions"]),
        "engagement.sessions_per_user": sessions["sessions"] / active_users
        if active_users
        else None,
        "engagement.session_duration_median_minutes": sessions["median_minutes"],
        "engagement.session_duration_mean_minutes": sessions["mean_minutes"],
        "engagement.time_per_user_minutes": (sessions["total_minutes"] or 0.0) / active_users
        if active_users
        else None,
        "engagement.active_accounts_count": float(totals["active_accounts"])
        if has_account
        else None,
    }
    if complete.height == 0:
        for key in ("engagement.dau_mean", "engagement.stickiness"):
            warnings.append(
                DataWarning(
                    "no_complete_days", "no complete day in the window and the data's range", key
                )
            )
    elif metrics["engagement.stickiness"] is None:
        warnings.append(
            DataWarning(
                "empty_denominator", "MAU30 is 0 on every complete day", "engagement.stickiness"
            )
        )
    if not active_users:
        for key in ("engagement.sessions_per_user", "engagement.time_per_user_minutes"):
            warnings.append(DataWarning("empty_denominator", "no active users in the window", key))
    if not sessions["sessions"]:
        for key in (
            "engagement.session_duration_median_minutes",
            "engagement.session_duration_mean_minutes",
        ):
            warnings.append(
                DataWarning("empty_denominator", "no session starts in the window", key)
            )
    if not has_account:
        warnings.append(
            DataWarning(
                "missing_column",
                "events have no account_id column: account metrics and the account_activity table are left out",
                "engagement.active_accounts_count",
            )
        )
    if "no_session_id" in results and (missing := int(results["no_session_id"]["n"][0])):
        warnings.append(
            DataWarning(
                "missing_value",
                f"{missing} window events have no session_id and belong to no session",
                "engagement.sessions_count",
                count=missing,
            )
        )
    tables = {
        "activity": activity_table(daily, results.get("buckets"), window, observed),
        "active_days_distribution": active_days_table(
            results["weekly_active_days"], window, observed
        ),
        "feature_adoption": features_table(
            results["features"],
            params,
            active_users,
            int(totals["active_accounts"]) if has_account else None,
        ),
    }
    if has_account:
        tables["account_activity"] = accounts_table(results["accounts"])
    return FamilyResult(metrics, tables, warnings)


FAMILY = Family(
    name="engagement",
    sources=("events",),
    needed_columns=needed_columns,
    plan=plan,
    stages=(group_events, order_events),
    assemble=assemble,
    parameters=parameters,
    key_columns=frozenset({"user_id", "session_id"}),
)


def params_from_config(
    table: Mapping[str, Any],
    *,
    session_gap: str | None = None,
    inactive_events: list[str] | None = None,
) -> EngagementParams:
    """Parameters from the config's [engagement] table, overridden by command-line options."""
    known = {"session_gap", "inactive_events", "features", "use_session_id"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"[engagement]: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    gap = parse_duration(session_gap or table.get("session_gap", "30m"), "--session-gap")
    inactive = (
        tuple(inactive_events) if inactive_events else tuple(table.get("inactive_events", ()))
    )
    features = table.get("features")
    if features is not None:
        if not isinstance(features, dict) or not all(
            isinstance(v, list | str) for v in features.values()
        ):
            raise ConfigError('[engagement.features]: expected feature = ["event", ...] entries')
        features = {
            str(k): (v,) if isinstance(v, str) else tuple(map(str, v)) for k, v in features.items()
        }
    return EngagementParams(
        session_gap=gap,
        inactive_events=tuple(map(str, inactive)),
        features=features,
        use_session_id=bool(table.get("use_session_id", True)),
    )
