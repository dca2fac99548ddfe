"""Every metric and table, declared once: the catalogue, JSON ids, thresholds and docs use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower", "neutral"]


@dataclass(frozen=True)
class Metric:
    id: str
    unit: str  # users, accounts, sessions, share (a 0..1 fraction), minutes, ...
    direction: Direction
    definition: str
    sources: tuple[str, ...]
    columns: tuple[str, ...]  # canonical columns it needs, as "source.column"
    title: str

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Table:
    family: str
    name: str
    columns: tuple[str, ...]
    definition: str


_EVENTS = ("events.timestamp", "events.user_id", "events.event")

METRICS: tuple[Metric, ...] = (
    Metric(
        "engagement.dau_mean",
        "users",
        "higher",
        "Mean over the window's complete days of DAU, the distinct active users of each day.",
        ("events",),
        _EVENTS,
        "Daily active users (mean)",
    ),
    Metric(
        "engagement.active_users",
        "users",
        "higher",
        "Distinct active users in the window (for --period 2026-03: everyone active in March).",
        ("events",),
        _EVENTS,
        "Active users in the window",
    ),
    Metric(
        "engagement.wau",
        "users",
        "higher",
        "Distinct active users in the 7 days ending at the window's end.",
        ("events",),
        _EVENTS,
        "Weekly active users",
    ),
    Metric(
        "engagement.mau",
        "users",
        "higher",
        "Distinct active users in the 30 days ending at the window's end.",
        ("events",),
        _EVENTS,
        "Monthly active users",
    ),
    Metric(
        "engagement.stickiness",
        "share",
        "higher",
        "Mean over the window's complete days of DAU / MAU30 of that day (days with MAU30 = 0 left out).",
        ("events",),
        _EVENTS,
        "Stickiness (DAU/MAU)",
    ),
    Metric(
        "engagement.sessions_count",
        "sessions",
        "higher",
        "Sessions starting in the window: runs of a user's events with gaps up to session_gap, "
        "or distinct session_id values per user.",
        ("events",),
        _EVENTS,
        "Sessions",
    ),
    Metric(
        "engagement.sessions_per_user",
        "sessions",
        "higher",
        "Sessions starting in the window / distinct active users in the window.",
        ("events",),
        _EVENTS,
        "Sessions per active user",
    ),
    Metric(
        "engagement.session_duration_median_minutes",
        "minutes",
        "higher",
        "Median session duration (last event - first event; a one-event session lasts 0).",
        ("events",),
        _EVENTS,
        "Session duration (median)",
    ),
    Metric(
        "engagement.session_duration_mean_minutes",
        "minutes",
        "higher",
        "Mean session duration (last event - first event; a one-event session lasts 0).",
        ("events",),
        _EVENTS,
        "Session duration (mean)",
    ),
    Metric(
        "engagement.time_per_user_minutes",
        "minutes",
        "higher",
        "Total session duration in the window / distinct active users in the window.",
        ("events",),
        _EVENTS,
        "Time per active user",
    ),
    Metric(
        "engagement.active_accounts_count",
        "accounts",
        "higher",
        "Accounts with at least one active user in the window.",
        ("events",),
        (*_EVENTS, "events.account_id"),
        "Active accounts",
    ),
)

TABLES: tuple[Table, ...] = (
    Table(
        "engagement",
        "activity",
        ("bucket", "dau | active_users", "dau_mean", "wau7", "mau30", "stickiness", "partial"),
        "Per bucket of --grain: active users, and WAU7/MAU30 at the bucket's last day in the window; "
        "stickiness is the mean daily DAU/MAU30. Day grain shows dau per day.",
    ),
    Table(
        "engagement",
        "active_days_distribution",
        ("week", "active_days", "users", "share", "partial"),
        "For each week of the window: how many users were active on 1..7 of its days.",
    ),
    Table(
        "engagement",
        "feature_adoption",
        ("feature", "users", "user_share", "accounts", "account_share", "first_seen", "last_seen"),
        "Per feature (event name, or the features mapping): users and accounts that used it in the "
        "window, as shares of the window's active users and accounts.",
    ),
    Table(
        "engagement",
        "account_activity",
        ("account_id", "active_users", "active_days", "sessions", "events"),
        "Per account: active users, days with any activity, sessions started and active events in "
        "the window.",
    ),
)

_BY_ID = {metric.id: metric for metric in METRICS}


def metric(metric_id: str) -> Metric:
    return _BY_ID[metric_id]


def family_metrics(family: str) -> tuple[Metric, ...]:
    return tuple(m for m in METRICS if m.family == family)


def family_tables(family: str) -> tuple[Table, ...]:
    return tuple(t for t in TABLES if t.family == family)


def families() -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.family for m in METRICS))
