"""Engagement's two materialised stages and its plan (see families/base.py for the contract).

1. `group_events` reads the events once: the per-user grouping (timeline.user_events), the
   account ranks, events and distinct events per account, each event's first and last use in
   the window and, with a session_id column, its sessions.
2. `order_events` explodes the per-user grouping into the marked timeline.
3. `plan` derives every output from what the stages made; no output reads the raw events again.
"""

from __future__ import annotations

import polars as pl

from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Frames
from csmetrics.families.engagement.accounts import account_usage, user_account_days
from csmetrics.families.engagement.actives import (
    bucket_active_users,
    daily_counts,
    user_days,
    weekly_active_days,
    window_totals,
    window_user_days,
)
from csmetrics.families.engagement.features import event_times, feature_usage
from csmetrics.families.engagement.params import EngagementParams
from csmetrics.families.engagement.sessions import (
    gap_sessions,
    id_sessions,
    session_summary,
    sessionless_gap_sessions,
)
from csmetrics.families.engagement.timeline import (
    active_events,
    inside,
    timeline,
    user_events,
    with_account_rank,
)


def _events(frames: Frames, columns: Columns) -> pl.LazyFrame:
    events = frames["events"]
    if "account_id" not in columns["events"]:
        events = events.with_columns(account_id=pl.lit(None, pl.String))
    return events


def by_session_id(columns: Columns, params: EngagementParams) -> bool:
    return params.use_session_id and "session_id" in columns["events"]


def group_events(
    frames: Frames, columns: Columns, window: Window, params: EngagementParams
) -> dict[str, pl.LazyFrame]:
    """Stage 1: everything read from the events themselves."""
    active, ranks = with_account_rank(active_events(_events(frames, columns), window, params))
    current = active.filter(inside(window))
    made = {
        "user_events": user_events(active, window, params),
        "ranks": ranks,
        "account_events": current.filter(pl.col("rank").is_not_null())
        .group_by("rank")
        .agg(pl.len().alias("events"), pl.col("event").unique().alias("used")),
        "event_times": event_times(current),
    }
    if by_session_id(columns, params):
        # events without a session_id (Amplitude's -1) make gap sessions of their own
        loose = sessionless_gap_sessions(active, window, params.session_gap)
        made["id_sessions"] = pl.concat(
            [id_sessions(active, window), loose.select("user_id", "rank", "start", "end")],
            how="vertical_relaxed",
        )
        made["no_session_id"] = current.select(pl.col("session_id").is_null().sum().alias("n"))
    return made


def order_events(
    frames: Frames, columns: Columns, window: Window, params: EngagementParams
) -> dict[str, pl.LazyFrame]:
    """Stage 2: the timeline from the per-user grouping; the rest passes through."""
    made = {name: frame for name, frame in frames.items() if name != "user_events"}
    made["timeline"] = timeline(frames["user_events"], window, params.session_gap)
    made["user_features"] = frames["user_events"].select("user_id", "used")
    return made


def plan(
    frames: Frames, columns: Columns, window: Window, params: EngagementParams
) -> dict[str, pl.LazyFrame]:
    """Every output, from what the stages made."""
    ordered = frames["timeline"]
    # Intermediates read by several outputs are cached: computed once per collect_all.
    days = user_days(ordered).cache()
    current_days = window_user_days(days, window)
    by_id = by_session_id(columns, params)
    sessions = (frames["id_sessions"] if by_id else gap_sessions(ordered, window)).cache()
    planned = {
        "daily": daily_counts(days),
        "totals": window_totals(ordered, frames["account_events"]),
        "sessions": session_summary(sessions),
        "weekly_active_days": weekly_active_days(current_days, window),
        "features": feature_usage(
            frames["user_features"], frames["account_events"], frames["event_times"], params
        ),
    }
    if window.grain != "day":
        planned["buckets"] = bucket_active_users(current_days, window)
    if "account_id" in columns["events"]:
        planned["accounts"] = account_usage(
            frames["account_events"],
            window_user_days(user_account_days(ordered), window),
            sessions,
            frames["ranks"],
        )
    if by_id:
        planned["no_session_id"] = frames["no_session_id"]
    return planned
