"""Invariants of onboarding and retention over generated event logs (hypothesis), and cohort
cells against brute-force Python."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
from hypothesis import strategies as st

import csmetrics as cm
from tests.engines import given_on_engines

START = datetime(2026, 10, 1, tzinfo=UTC)
EVENTS = st.tuples(
    st.integers(0, 60 * 24 * 4),  # quarter hours after START: 60 days
    st.sampled_from(["u1", "u2", "u3", "u4", "u5", "u6", "u7"]),
    st.sampled_from(["signed_up", "created_project", "invited_user", "login"]),
    st.sampled_from(["a1", "a2", "a3"]),
)
LOGS = st.lists(EVENTS, min_size=1, max_size=80)
WINDOW = {"since": "2026-10-12", "until": "2026-11-16"}
ONBOARDING = {
    "activation_events": ["created_project", "invited_user"],
    "activation_window": "5d",
    "steps": ["signed_up", "created_project", "invited_user"],
    "conversion_window": "3d",
}


def _frame(rows: list[tuple[int, str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "timestamp": [START + timedelta(minutes=15 * m) for m, *_ in rows],
            "user_id": [r[1] for r in rows],
            "event": [r[2] for r in rows],
            "account_id": [r[3] for r in rows],
        }
    )


@given_on_engines(
    LOGS, st.sampled_from(["on", "on_or_after"]), st.sampled_from(["first_time", "recurring"])
)
def test_offset_zero_is_full_and_on_or_after_never_increases(rows, mode, kind) -> None:
    report = cm.retention(
        cm.load(events=_frame(rows)),
        periods=3,
        retention_mode=mode,
        retention_type=kind,
        **WINDOW,
        grain="week",
    )
    table = report.tables["cohorts"]
    first = table.filter(pl.col("offset") == 0, pl.col("size") > 0)
    assert (first["rate"] == 1.0).all()
    assert ((table["users"] <= table["size"]) | table["users"].is_null()).all()
    if mode == "on_or_after":
        for _, cohort in table.filter(pl.col("offset") > 0).group_by("cohort"):
            users = cohort.sort("offset")["users"].drop_nulls().to_list()
            assert users == sorted(users, reverse=True)


@given_on_engines(LOGS)
def test_first_time_cells_equal_brute_force(rows) -> None:
    report = cm.retention(cm.load(events=_frame(rows)), periods=3, **WINDOW, grain="week")

    # brute force: Monday weeks; a user's cohort is the week of their first event
    def week(minutes: int) -> date:
        day = (START + timedelta(minutes=15 * minutes)).date()
        return day - timedelta(days=day.weekday())

    until = datetime(2026, 11, 16, tzinfo=UTC)
    kept = [r for r in rows if START + timedelta(minutes=15 * r[0]) < until]
    first: dict[str, date] = {}
    weeks: dict[str, set[date]] = defaultdict(set)
    for minutes, user, _, _ in sorted(kept):
        first.setdefault(user, week(minutes))
        weeks[user].add(week(minutes))
    table = report.tables["cohorts"].filter(pl.col("users").is_not_null())
    for cohort, size, offset, users in table.select("cohort", "size", "offset", "users").rows():
        members = [u for u, c in first.items() if c == cohort]
        assert size == len(members)
        target = cohort + timedelta(days=7 * offset)
        expected = len(members) if offset == 0 else sum(target in weeks[u] for u in members)
        assert users == expected, (cohort, offset)


@given_on_engines(LOGS)
def test_activation_never_counts_pending_and_funnel_never_grows(rows) -> None:
    report = cm.onboarding(cm.load(events=_frame(rows)), **ONBOARDING, **WINDOW)
    cohorts = report.tables["activation_by_cohort"]
    decided = cohorts["signups"].sum() - cohorts["pending"].sum()
    rate = report.metrics["onboarding.activation_rate"]
    if decided:
        assert rate == cohorts["activated"].sum() / decided
    else:
        assert rate is None
    users = report.tables["funnel"]["users"].to_list()
    assert users == sorted(users, reverse=True)
    share = report.metrics["onboarding.reached_value_share"]
    assert share is None or 0 <= share <= 1


@given_on_engines(LOGS, st.randoms(use_true_random=False), st.integers(1, 3))
def test_shuffled_and_split_input_gives_same_results(rows, random, parts) -> None:
    frame = _frame(rows)
    expected = [
        cm.onboarding(cm.load(events=frame), **ONBOARDING, **WINDOW),
        cm.retention(cm.load(events=frame), periods=3, **WINDOW, grain="week"),
    ]
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=random.randint(0, 10**6))
    with tempfile.TemporaryDirectory() as folder:
        size = -(-shuffled.height // parts)
        for index in range(parts):
            shuffled.slice(index * size, size).write_parquet(Path(folder) / f"part-{index}.parquet")
        inputs = cm.load(events=str(Path(folder) / "part-*.parquet"))
        split = [
            cm.onboarding(inputs, **ONBOARDING, **WINDOW),
            cm.retention(inputs, periods=3, **WINDOW, grain="week"),
        ]
    for ours, theirs in zip(split, expected, strict=True):
        assert ours.metrics == theirs.metrics
        for name, table in theirs.tables.items():
            assert ours.tables[name].equals(table), name
