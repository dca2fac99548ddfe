"""Retention on small hand-computed cases; the arithmetic is written next to each assert."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import csmetrics as cm

# every test runs on both engines (tests/engines.py)
pytestmark = pytest.mark.usefixtures("engine")

COLUMNS = ["timestamp", "user_id", "event", "account_id"]


def retention(rows: list[tuple[str, str, str, str]], **options) -> cm.Report:
    accounts = options.pop("accounts", None)
    events = pl.DataFrame(rows, schema=COLUMNS, orient="row")
    return cm.retention(cm.load(events=events, accounts=accounts), **options)


def cells(report: cm.Report) -> dict[tuple[date, int], int | None]:
    table = report.tables["cohorts"]
    return {(c, o): u for c, o, u in table.select("cohort", "offset", "users").rows()}


# Weeks (Monday): W1 11-02, W2 11-09, W3 11-16, W4 11-23. Window W1..W3 (until 11-23);
# the export runs to 11-25, past until, so every bucket before until is observable.
CASE = [
    ("2026-11-02T10:00:00Z", "u1", "login", "a1"),  # u1 signs up W1
    ("2026-11-04T10:00:00Z", "u1", "login", "a1"),  # same bucket: not a return at offset >= 1
    ("2026-11-17T10:00:00Z", "u1", "login", "a1"),  # W3: offset 2
    ("2026-11-03T10:00:00Z", "u2", "login", "a1"),  # u2 signs up W1
    ("2026-11-10T10:00:00Z", "u2", "login", "a1"),  # W2: offset 1
    ("2026-11-11T10:00:00Z", "u3", "login", "a2"),  # u3 signs up W2
    ("2026-11-18T10:00:00Z", "u3", "email_opened", "a2"),  # inactive: not a return
    ("2026-11-25T10:00:00Z", "u3", "login", "a2"),  # after until: never used
]
WINDOW = {"since": "2026-11-02", "until": "2026-11-23", "grain": "week"}


@pytest.fixture(scope="module")
def case(engine: str) -> cm.Report:
    return retention(CASE, periods=2, inactive_events=["email_opened"], **WINDOW)


def test_cohort_cells(case) -> None:
    w1, w2, w3 = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)
    # offsets 0..4: periods=2, and period_4_rate reads offset 4 (so the table holds it);
    # no cohort before W1, the bucket of the export's first event
    assert cells(case) == {
        (w1, 0): 2,  # u1, u2
        (w1, 1): 1,  # u2 in W2 (u1's second W1 login is offset 0)
        (w1, 2): 1,  # u1 in W3
        (w1, 3): None,  # W4 starts at until: not observable
        (w1, 4): None,
        (w2, 0): 1,  # u3
        (w2, 1): 0,  # u3's W3 event is inactive
        **{(w2, k): None for k in (2, 3, 4)},
        (w3, 0): 0,
        **{(w3, k): None for k in (1, 2, 3, 4)},
    }


def test_offset_zero_is_the_whole_cohort(case) -> None:
    table = case.tables["cohorts"].filter(pl.col("offset") == 0, pl.col("size") > 0)
    assert table["rate"].to_list() == [1.0, 1.0]


def test_on_or_after_counts_later_returns() -> None:
    report = retention(CASE, periods=2, retention_mode="on_or_after", **WINDOW)
    # with email_opened a return now: u1 W3, u2 W2, u3 W3 (11-18)
    # W1 offset 1: u1 (returns at offset 2 >= 1) and u2 (offset 1) = 2; offset 2: u1 = 1
    got = cells(report)
    assert (got[(date(2026, 11, 2), 1)], got[(date(2026, 11, 2), 2)]) == (2, 1)
    assert got[(date(2026, 11, 9), 1)] == 1  # u3 in W3


def test_headline_rates_are_measured_in_the_window(case) -> None:
    # period 1: buckets W2 and W3 are wholly inside and observable; cohorts W1 (for W2) and
    # W2 (for W3): (1 + 0) / (2 + 1) = 1/3
    assert case.metrics["retention.period_1_rate"] == pytest.approx(1 / 3)
    # period 4: cohorts four weeks before W1..W3 have no members
    assert case.metrics["retention.period_4_rate"] is None


def test_partial_cell_and_horizon_inside_the_window() -> None:
    # the export ends on Wed 11-18 (u1's login), before until: W3 holds the horizon
    rows = [*CASE[:6], ("2026-11-18T10:00:00Z", "u1", "login", "a1")]
    report = retention(rows, periods=2, **WINDOW)
    table = report.tables["cohorts"]
    w3_cell = table.filter(pl.col("cohort") == date(2026, 11, 2), pl.col("offset") == 2)
    assert w3_cell.select("users", "partial").row(0) == (1, True)
    # partial cells are left out of the headline: period 1 reads W2 only: 1 / 2
    assert report.metrics["retention.period_1_rate"] == pytest.approx(1 / 2)


def test_recurring_cohorts() -> None:
    report = retention(CASE, periods=1, retention_type="recurring", **WINDOW)
    got = cells(report)
    # active W1: u1, u2; W2: u2, u3; W3: u1, u3 (email_opened counts: no inactive events)
    # W1 -> W2: u2 = 1; W2 -> W3: u3 = 1
    assert got[(date(2026, 11, 2), 0)] == 2 and got[(date(2026, 11, 2), 1)] == 1
    assert got[(date(2026, 11, 9), 0)] == 2 and got[(date(2026, 11, 9), 1)] == 1


def test_lifecycle(case) -> None:
    rows = {r[0]: r[1:5] for r in case.tables["lifecycle"].rows()}
    # W1: new u1, u2; W2: new u3, returning u2, dormant u1 (-1); W3: resurrecting u1,
    # dormant u2 and u3 (-2)
    assert rows[date(2026, 11, 2)] == (2, 0, 0, 0)
    assert rows[date(2026, 11, 9)] == (1, 1, 0, -1)
    assert rows[date(2026, 11, 16)] == (0, 0, 1, -2)


def test_user_churn(case) -> None:
    # last complete bucket W3; active in W2: u2, u3; neither active in W3 -> 2 / 2
    assert case.metrics["retention.user_churn_rate"] == 1


def test_signup_event_starts_the_cohort() -> None:
    rows = [
        ("2026-11-02T10:00:00Z", "u1", "page_view", "a1"),
        ("2026-11-10T10:00:00Z", "u1", "signed_up", "a1"),  # cohort W2, not W1
        ("2026-11-17T10:00:00Z", "u1", "page_view", "a1"),
        ("2026-11-30T10:00:00Z", "u9", "page_view", "a1"),
    ]
    report = retention(rows, periods=1, signup_event="signed_up", **WINDOW)
    got = cells(report)
    assert got[(date(2026, 11, 2), 0)] == 0
    assert (got[(date(2026, 11, 9), 0)], got[(date(2026, 11, 9), 1)]) == (1, 1)


def test_return_events_parameter() -> None:
    report = retention(CASE, periods=1, return_events=["email_opened"], **WINDOW)
    # only u3's W3 email counts as a return: cohort W2 offset 1 = 1
    assert cells(report)[(date(2026, 11, 9), 1)] == 1


def test_month_cohorts_in_a_time_zone() -> None:
    # 23:30 UTC on 10-31 is November in Tokyo: u1 is a November cohort there
    rows = [
        ("2026-10-31T23:30:00Z", "u1", "login", "a1"),
        ("2026-12-05T10:00:00Z", "u1", "login", "a1"),
        ("2027-01-05T10:00:00Z", "u2", "login", "a1"),
    ]
    report = retention(
        rows,
        cohort_grain="month",
        periods=1,
        timezone="Asia/Tokyo",
        since="2026-11-01",
        until="2027-01-01",
    )
    got = cells(report)
    assert got[(date(2026, 11, 1), 0)] == 1 and got[(date(2026, 11, 1), 1)] == 1
    assert report.metrics["retention.period_1_rate"] == 1  # December reads November's cohort


def test_account_level() -> None:
    # a1's users u1 (W1) and u2 (W2) make a1 active in both weeks: one account, retained
    rows = [
        ("2026-11-02T10:00:00Z", "u1", "login", "a1"),
        ("2026-11-10T10:00:00Z", "u2", "login", "a1"),
        ("2026-11-03T10:00:00Z", "u3", "login", "a2"),
        ("2026-11-30T10:00:00Z", "u3", "login", "a2"),
    ]
    report = retention(rows, periods=1, level="account", **WINDOW)
    got = cells(report)
    assert got[(date(2026, 11, 2), 0)] == 2 and got[(date(2026, 11, 2), 1)] == 1


def test_sunday_weeks() -> None:
    # Sun 11-01 and Sat 11-07 share a Sunday week; Sun 11-08 starts the next
    rows = [
        ("2026-11-01T10:00:00Z", "u1", "login", "a1"),
        ("2026-11-07T10:00:00Z", "u2", "login", "a1"),
        ("2026-11-08T10:00:00Z", "u1", "login", "a1"),
        ("2026-11-30T10:00:00Z", "u9", "login", "a1"),
    ]
    report = retention(
        rows, periods=1, since="2026-11-01", until="2026-11-15", grain="week", week_start="sunday"
    )
    got = cells(report)
    assert (got[(date(2026, 11, 1), 0)], got[(date(2026, 11, 1), 1)]) == (2, 1)
