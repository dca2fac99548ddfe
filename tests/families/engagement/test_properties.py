"""Invariants of the engagement family over generated event logs (hypothesis)."""

from __future__ import annotations

import statistics
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import strategies as st

from csmetrics.families.engagement import EngagementParams
from tests.engines import given_on_engines
from tests.helpers import engagement

START = datetime(2026, 10, 1, tzinfo=UTC)
EVENTS = st.tuples(
    st.integers(0, 40 * 24 * 60),  # minutes after START
    st.sampled_from(["u1", "u2", "u3", "u4", "u5", "u6"]),
    st.sampled_from(["login", "report", "email_opened"]),
    st.sampled_from(["a1", "a2", "a3"]),
)
LOGS = st.lists(EVENTS, min_size=1, max_size=60)


def _frame(rows: list[tuple[int, str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "timestamp": [START + timedelta(minutes=m) for m, *_ in rows],
            "user_id": [r[1] for r in rows],
            "event": [r[2] for r in rows],
            "account_id": [r[3] for r in rows],
        }
    )


def _run(frame: pl.DataFrame, **window: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.parquet"
        frame.write_parquet(path)
        return engagement(path, **window)


@given_on_engines(LOGS)
def test_dau_le_wau_le_mau_every_day(rows) -> None:
    activity = _run(_frame(rows)).tables["activity"]
    assert (activity["dau"] <= activity["wau7"]).all()
    assert (activity["wau7"] <= activity["mau30"]).all()


@given_on_engines(LOGS)
def test_stickiness_in_zero_one(rows) -> None:
    report = _run(_frame(rows), since="2026-10-05", until="2026-11-05")
    stickiness = report.metrics["engagement.stickiness"]
    daily = report.tables["activity"]["stickiness"].drop_nulls()
    assert ((daily >= 0) & (daily <= 1)).all()
    if stickiness is not None:
        assert 0 <= stickiness <= 1
    # on days with anyone active, DAU/MAU30 is strictly positive
    active_days = report.tables["activity"].filter(pl.col("dau") > 0)
    assert (active_days["stickiness"] > 0).all()


@given_on_engines(LOGS)
def test_sessions_at_least_active_users_over_all_data(rows) -> None:
    # Over all data every active user starts at least one session. (Inside a window a user can
    # only continue a session begun before it, so the invariant holds for --period all.)
    report = _run(_frame(rows))
    users = _frame(rows).select(pl.col("user_id").n_unique()).item()
    assert report.metrics["engagement.sessions_count"] >= users
    assert report.metrics["engagement.sessions_per_user"] >= 1


@given_on_engines(LOGS, st.randoms(use_true_random=False), st.integers(1, 4))
def test_shuffled_and_split_input_gives_same_result(rows, random, parts) -> None:
    frame = _frame(rows)
    window = {"since": "2026-10-03", "until": "2026-11-02"}
    expected = _run(frame, **window)
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=random.randint(0, 10**6))
    with tempfile.TemporaryDirectory() as folder:
        size = -(-shuffled.height // parts)
        for index in range(parts):
            shuffled.slice(index * size, size).write_parquet(Path(folder) / f"part-{index}.parquet")
        split = engagement(Path(folder) / "part-*.parquet", **window)
    assert split.metrics == expected.metrics
    for name, table in expected.tables.items():
        assert split.tables[name].equals(table), name


@given_on_engines(LOGS)
def test_wau_mau_equal_brute_force_distinct_counts(rows) -> None:
    frame = _frame(rows)
    until = datetime(2026, 10, 20, tzinfo=UTC)
    report = _run(frame, since="2026-10-10", until="2026-10-20")

    def distinct_users(days: int) -> int:
        recent = frame.filter(
            pl.col("timestamp").is_between(until - timedelta(days=days), until, closed="left")
        )
        return recent["user_id"].n_unique()

    assert report.metrics["engagement.wau"] == distinct_users(7)
    assert report.metrics["engagement.mau"] == distinct_users(30)


@given_on_engines(LOGS)
def test_daily_table_matches_brute_force_in_a_dst_time_zone(rows) -> None:
    # Europe/Paris leaves summer time on 2026-10-25: that local day lasts 25 hours.
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    frame = _frame(rows)
    report = _run(frame, since="2026-10-20", until="2026-10-30", timezone="Europe/Paris")
    by_day: dict = {}  # no inactive events in this run: every event is activity
    for ts, user in zip(frame["timestamp"], frame["user_id"], strict=True):
        by_day.setdefault(ts.astimezone(paris).date(), set()).add(user)
    table = report.tables["activity"]
    for day, dau, mau30 in table.select("bucket", "dau", "mau30").iter_rows():
        assert dau == len(by_day.get(day, set())), day
        recent = set().union(*(v for d, v in by_day.items() if 0 <= (day - d).days < 30))
        assert mau30 == len(recent), day


@given_on_engines(LOGS, st.sampled_from(["monday", "sunday"]))
def test_active_days_distribution_equals_brute_force(rows, week_start) -> None:
    # Local days in Europe/Paris around its DST change, weeks cut by the window: each user's
    # distinct active days per (partial) week, counted the plain way.
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    frame = _frame(rows)
    report = _run(
        frame,
        since="2026-10-07",
        until="2026-10-29",
        timezone="Europe/Paris",
        week_start=week_start,
    )
    first, last = datetime(2026, 10, 7).date(), datetime(2026, 10, 28).date()
    days_of: dict = {}  # (user, week start) -> local days active
    for ts, user in zip(frame["timestamp"], frame["user_id"], strict=True):
        day = ts.astimezone(paris).date()
        if first <= day <= last:
            shift = day.weekday() if week_start == "monday" else (day.weekday() + 1) % 7
            days_of.setdefault((user, day - timedelta(days=shift)), set()).add(day)
    expected = Counter((week, len(days)) for (_, week), days in days_of.items())
    table = report.tables["active_days_distribution"]
    got = {
        (week, n): users
        for week, n, users in table.select("week", "active_days", "users").iter_rows()
        if users
    }
    assert got == dict(expected)


# Few distinct instants over a few days: same-instant events of one user in several accounts,
# gaps on both sides of 30 minutes, and sessions crossing `since`, all come up often.
DENSE_EVENTS = st.tuples(
    st.integers(0, 4 * 24 * 4).map(lambda quarter: quarter * 15),  # minutes, on quarter hours
    st.sampled_from(["u1", "u2", "u3"]),
    st.sampled_from(["login", "report", "export", "email_opened"]),
    st.sampled_from(["a1", "a2", "b1"]),
)
DENSE_LOGS = st.lists(DENSE_EVENTS, min_size=1, max_size=80)
SINCE, UNTIL = START + timedelta(days=1), START + timedelta(days=3)


def _brute_force_sessions(rows) -> list[tuple[str, str, datetime, datetime]]:
    """(user, account, start, end) of every gap session starting in [SINCE, UNTIL), the plain
    way: each user's activity in time order, cut where the gap exceeds 30 minutes; the account
    is the smallest among the session's first-instant events."""
    active = sorted(
        (user, START + timedelta(minutes=m), account)
        for m, user, event, account in rows
        if event != "email_opened" and START + timedelta(minutes=m) < UNTIL
    )
    sessions: list[list[tuple[str, datetime, str]]] = []
    for event in active:
        previous = sessions[-1][-1] if sessions else None
        if previous and previous[0] == event[0] and event[1] - previous[1] <= timedelta(minutes=30):
            sessions[-1].append(event)
        else:
            sessions.append([event])
    out = []
    for session in sessions:
        user, start, _ = session[0]
        if start >= SINCE:
            account = min(a for _, ts, a in session if ts == start)
            out.append((user, account, start, session[-1][1]))
    return out


@given_on_engines(DENSE_LOGS)
def test_gap_sessions_equal_brute_force(rows) -> None:
    params = EngagementParams(inactive_events=("email_opened",))
    report = _run_with(_frame(rows), params)
    expected = _brute_force_sessions(rows)
    assert report.metrics["engagement.sessions_count"] == len(expected)
    minutes = sorted((end - start).total_seconds() / 60 for _, _, start, end in expected)
    if minutes:
        assert report.metrics["engagement.session_duration_mean_minutes"] == pytest.approx(
            sum(minutes) / len(minutes)
        )
        assert report.metrics["engagement.session_duration_median_minutes"] == pytest.approx(
            statistics.median(minutes)
        )
    per_account = Counter(account for _, account, _, _ in expected)
    table = report.tables["account_activity"]
    got = {a: s for a, s in zip(table["account_id"], table["sessions"], strict=True) if s}
    assert got == dict(per_account)


@given_on_engines(DENSE_LOGS, st.booleans())
def test_feature_adoption_equals_brute_force(rows, mapped) -> None:
    features = {"Reporting": ("report", "export"), "Access": ("login",)} if mapped else None
    params = EngagementParams(inactive_events=("email_opened",), features=features)
    report = _run_with(_frame(rows), params)
    window = [
        (START + timedelta(minutes=m), user, event, account)
        for m, user, event, account in rows
        if event != "email_opened" and SINCE <= START + timedelta(minutes=m) < UNTIL
    ]
    groups = features or {event: (event,) for _, _, event, _ in window}
    table = {row["feature"]: row for row in report.tables["feature_adoption"].to_dicts()}
    for feature, events in groups.items():
        used = [r for r in window if r[2] in events]
        row = table[feature]
        assert row["users"] == len({user for _, user, _, _ in used}), feature
        assert row["accounts"] == len({account for _, _, _, account in used}), feature
        if used:
            assert row["first_seen"] == min(ts for ts, *_ in used), feature
            assert row["last_seen"] == max(ts for ts, *_ in used), feature
    assert set(table) == set(groups)


def _run_with(frame: pl.DataFrame, params: EngagementParams):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.parquet"
        frame.write_parquet(path)
        return engagement(
            path, params, since=SINCE.date().isoformat(), until=UNTIL.date().isoformat()
        )
