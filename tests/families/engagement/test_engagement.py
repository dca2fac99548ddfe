"""Engagement metrics on small hand-computed cases; the arithmetic is written next to each assert."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from csmetrics.families.engagement import EngagementParams
from tests.helpers import engagement, write_events

# every test runs on both engines (tests/engines.py)
pytestmark = pytest.mark.usefixtures("engine")

INACTIVE = EngagementParams(inactive_events=("email_opened",))

# Window: Mon 2026-11-02 .. Wed 2026-11-04 (until Thu 11-05, exclusive).
# u9 is active 13 days before the window (inside MAU30, outside WAU7); u5 acts after the window so
# the data's observed range covers every window day (no partial day).
CASE = [
    ("2026-10-20T00:00:00Z", "u9", "login", "a3"),
    ("2026-11-01T23:50:00Z", "u1", "login", "a1"),  # starts a session before the window ...
    ("2026-11-02T00:10:00Z", "u1", "login", "a1"),  # ... that this event continues (gap 20m)
    ("2026-11-02T09:00:00Z", "u1", "login", "a1"),  # new session (gap 8h50)
    ("2026-11-02T09:10:00Z", "u1", "report", "a1"),  # same session: 10 minutes long
    ("2026-11-02T10:00:00Z", "u1", "login", "a1"),  # new session (gap 50m), 0 minutes
    ("2026-11-03T09:00:00Z", "u1", "login", "a1"),  # new session, 0 minutes
    ("2026-11-03T09:00:00Z", "u2", "login", "a2"),  # new session, 0 minutes
    ("2026-11-03T09:20:00Z", "u2", "email_opened", "a2"),  # inactive: not activity, not session
    ("2026-11-04T08:00:00Z", "u4", "email_opened", "a2"),  # u4 is never active
    ("2026-11-04T12:00:00Z", "u3", "report", "a2"),  # session of exactly the 30m gap ...
    ("2026-11-04T12:30:00Z", "u3", "report", "a2"),  # ... "gaps of at most session_gap": 30 min
    ("2026-11-06T10:00:00Z", "u5", "login", "a1"),  # after the window
]
WINDOW = {"since": "2026-11-02", "until": "2026-11-05"}


@pytest.fixture(scope="module")
def case(engine: str, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp(engine)
    return engagement(write_events(folder, CASE), INACTIVE, **WINDOW)


def test_dau_mean_averages_complete_days(case) -> None:
    # DAU: 11-02 {u1} = 1, 11-03 {u1, u2} = 2, 11-04 {u3} = 1  ->  (1 + 2 + 1) / 3
    assert case.metrics["engagement.dau_mean"] == pytest.approx(4 / 3)


def test_wau_counts_seven_days_ending_at_until(case) -> None:
    # 10-29 .. 11-04: u1, u2, u3 (u9's 10-20 is too early; u4 only opened an email)
    assert case.metrics["engagement.wau"] == 3


def test_mau_reaches_back_before_since(case) -> None:
    # 10-06 .. 11-04: u9, u1, u2, u3
    assert case.metrics["engagement.mau"] == 4


def test_stickiness_is_mean_of_daily_dau_over_mau30(case) -> None:
    # MAU30: 11-02 {u9, u1} = 2, 11-03 {u9, u1, u2} = 3, 11-04 {u9, u1, u2, u3} = 4
    # mean(1/2, 2/3, 1/4) = (0.5 + 0.666.. + 0.25) / 3
    assert case.metrics["engagement.stickiness"] == pytest.approx((1 / 2 + 2 / 3 + 1 / 4) / 3)


def test_sessions_start_in_window_only(case) -> None:
    # u1: 09:00-09:10, 10:00, 11-03 09:00 (the 00:10 event continues a session begun 11-01) = 3
    # u2: 11-03 09:00 = 1; u3: 12:00-12:30 = 1  ->  5 sessions
    assert case.metrics["engagement.sessions_count"] == 5
    # 5 sessions / 3 active users (u1, u2, u3)
    assert case.metrics["engagement.sessions_per_user"] == pytest.approx(5 / 3)


def test_session_durations(case) -> None:
    # durations [10, 0, 0, 0, 30] minutes: median 0, mean 40 / 5 = 8, per active user 40 / 3
    assert case.metrics["engagement.session_duration_median_minutes"] == 0
    assert case.metrics["engagement.session_duration_mean_minutes"] == pytest.approx(8)
    assert case.metrics["engagement.time_per_user_minutes"] == pytest.approx(40 / 3)


def test_active_accounts(case) -> None:
    # u1 -> a1, u2 -> a2, u3 -> a2 (u4 on a2 is inactive; u9 on a3 is before the window)
    assert case.metrics["engagement.active_accounts_count"] == 2


def test_activity_table_per_day(case) -> None:
    activity = case.tables["activity"]
    assert activity["bucket"].to_list() == [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)]
    assert activity["dau"].to_list() == [1, 2, 1]
    # WAU7: 11-02 {u1} (u1 also on 11-01) = 1, 11-03 {u1, u2} = 2, 11-04 {u1, u2, u3} = 3
    assert activity["wau7"].to_list() == [1, 2, 3]
    assert activity["mau30"].to_list() == [2, 3, 4]
    assert activity["partial"].to_list() == [False, False, False]


def test_account_activity(case) -> None:
    rows = {row["account_id"]: row for row in case.tables["account_activity"].to_dicts()}
    # a1: u1 on 11-02 and 11-03, 3 sessions, 5 window events (00:10, 09:00, 09:10, 10:00, 11-03 09:00)
    assert rows["a1"] == {
        "account_id": "a1",
        "active_users": 1,
        "active_days": 2,
        "sessions": 3,
        "events": 5,
    }
    # a2: u2 (1 login) and u3 (2 reports) on 11-03 and 11-04, one session each
    assert rows["a2"] == {
        "account_id": "a2",
        "active_users": 2,
        "active_days": 2,
        "sessions": 2,
        "events": 3,
    }
    assert "a3" not in rows


def test_feature_adoption_by_event(case) -> None:
    table = {row["feature"]: row for row in case.tables["feature_adoption"].to_dicts()}
    assert set(table) == {"login", "report"}  # email_opened is inactive, not a feature
    # login: u1, u2 of 3 active users; accounts a1, a2 of 2 active accounts
    assert (table["login"]["users"], table["login"]["user_share"]) == (2, pytest.approx(2 / 3))
    assert (table["login"]["accounts"], table["login"]["account_share"]) == (2, 1.0)
    assert table["report"]["users"] == 2  # u1 and u3


def test_feature_mapping_lists_unused_features(tmp_path: Path) -> None:
    params = EngagementParams(
        inactive_events=("email_opened",),
        features={
            "Reporting": ("report",),
            "Access": ("login", "report"),
            "Mobile": ("mobile_open",),
        },
    )
    report = engagement(write_events(tmp_path, CASE), params, **WINDOW)
    table = {row["feature"]: row for row in report.tables["feature_adoption"].to_dicts()}
    assert table["Reporting"]["users"] == 2  # u1, u3
    assert table["Access"]["users"] == 3  # u1, u2 (login) and u3 (report)
    assert (
        table["Mobile"]["users"],
        table["Mobile"]["user_share"],
        table["Mobile"]["accounts"],
    ) == (0, 0.0, 0)


def test_active_days_distribution(case) -> None:
    week = case.tables["active_days_distribution"]
    counts = dict(zip(week["active_days"].to_list(), week["users"].to_list(), strict=True))
    # week of Mon 11-02, window days only: u1 on 2 days, u2 and u3 on 1 day
    assert counts == {1: 2, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0}
    assert week["share"].to_list()[:2] == pytest.approx([2 / 3, 1 / 3])
    assert week["partial"].all()  # the window ends on Thursday


def test_days_without_activity_count_as_zero(tmp_path: Path) -> None:
    rows = [
        ("2026-11-01T12:00:00Z", "u1", "login", "a1"),
        ("2026-11-03T12:00:00Z", "u1", "login", "a1"),
        ("2026-11-03T13:00:00Z", "u2", "login", "a1"),
        ("2026-11-09T12:00:00Z", "u1", "login", "a1"),
    ]
    report = engagement(write_events(tmp_path, rows), since="2026-11-02", until="2026-11-06")
    # DAU over 11-02..11-05 = [0, 2, 0, 0] -> 2 / 4
    assert report.metrics["engagement.dau_mean"] == pytest.approx(0.5)
    # DAU/MAU30 = [0/1, 2/2, 0/2, 0/2] -> 1 / 4
    assert report.metrics["engagement.stickiness"] == pytest.approx(0.25)


def test_partial_days_are_flagged_and_left_out(tmp_path: Path) -> None:
    rows = [
        ("2026-11-02T10:00:00Z", "u1", "login", "a1"),  # data starts mid-day: 11-02 is partial
        ("2026-11-03T10:00:00Z", "u1", "login", "a1"),
        ("2026-11-03T11:00:00Z", "u2", "login", "a1"),
        ("2026-11-04T10:00:00Z", "u1", "login", "a1"),  # data ends mid-day: 11-04 is partial
    ]
    report = engagement(write_events(tmp_path, rows))  # --period all
    assert report.tables["activity"]["partial"].to_list() == [True, False, True]
    assert report.metrics["engagement.dau_mean"] == 2  # only 11-03 is complete
    assert (
        report.window.since is not None
        and report.window.since.isoformat() == "2026-11-02T00:00:00+00:00"
    )


def test_session_id_column_defines_sessions(tmp_path: Path) -> None:
    columns = ("timestamp", "user_id", "event", "account_id", "session_id")
    rows = [
        ("2026-11-01T23:00:00Z", "u1", "login", "a1", "s0"),  # s0 starts before the window
        ("2026-11-02T01:00:00Z", "u1", "login", "a1", "s0"),
        ("2026-11-02T09:00:00Z", "u1", "login", "a1", "s1"),
        ("2026-11-02T11:00:00Z", "u1", "report", "a1", "s1"),  # 2h gap, same session_id: 120 min
        ("2026-11-02T12:00:00Z", "u2", "login", "a1", "s1"),  # same id, other user: own session
        ("2026-11-03T09:00:00Z", "u2", "login", "a1", None),  # no session_id: a gap session
    ]
    report = engagement(
        write_events(tmp_path, rows, columns), since="2026-11-02", until="2026-11-04"
    )
    # sessions starting in the window: (u1, s1) 120 min, (u2, s1) 0 min, and u2's event without
    # a session_id (Amplitude's -1) as a gap session of its own, 0 min: mean 120 / 3
    assert report.metrics["engagement.sessions_count"] == 3
    assert report.metrics["engagement.session_duration_mean_minutes"] == pytest.approx(40)
    assert any(w.code == "missing_value" and w.count == 1 for w in report.warnings)


def test_events_without_session_id_make_gap_sessions(tmp_path: Path) -> None:
    # Amplitude marks "no session" with -1 (read as missing by its preset): those events fall
    # back to gap sessions (30 min), the others keep their session_id
    columns = ("timestamp", "user_id", "event", "account_id", "session_id")
    rows = [
        ("2026-11-02T09:00:00Z", "u1", "login", "a1", None),
        ("2026-11-02T09:20:00Z", "u1", "login", "a1", None),  # 20 min later: same gap session
        ("2026-11-02T10:30:00Z", "u1", "login", "a1", None),  # 70 min later: a new one
        ("2026-11-02T09:10:00Z", "u1", "report", "a1", "s9"),  # its own id session, 0 min
    ]
    report = engagement(
        write_events(tmp_path, rows, columns), since="2026-11-02", until="2026-11-03"
    )
    # gap sessions 09:00-09:20 (20 min) and 10:30 (0 min); id session s9 (0 min)
    assert report.metrics["engagement.sessions_count"] == 3
    assert report.metrics["engagement.session_duration_mean_minutes"] == pytest.approx(20 / 3)


def test_session_gap_parameter(tmp_path: Path) -> None:
    rows = [
        ("2026-11-02T09:00:00Z", "u1", "login", "a1"),
        ("2026-11-02T09:20:00Z", "u1", "login", "a1"),
        ("2026-11-02T09:50:00Z", "u1", "login", "a1"),
    ]
    path = write_events(tmp_path, rows)
    # gaps 20m and 30m: one session with the 30m default, three with a 10m gap
    assert engagement(path).metrics["engagement.sessions_count"] == 1
    short = EngagementParams(session_gap=timedelta(minutes=10))
    assert engagement(path, short).metrics["engagement.sessions_count"] == 3


def test_report_time_zone_moves_day_buckets(tmp_path: Path) -> None:
    rows = [
        ("2026-11-02T22:30:00Z", "u1", "login", "a1"),  # 23:30 in Paris: still 11-02
        ("2026-11-02T23:30:00Z", "u2", "login", "a1"),  # 00:30 on 11-03 in Paris
    ]
    path = write_events(tmp_path, rows)
    utc = engagement(path, since="2026-11-02", until="2026-11-04")
    paris = engagement(path, since="2026-11-02", until="2026-11-04", timezone="Europe/Paris")
    assert utc.tables["activity"]["dau"].to_list() == [2, 0]
    assert paris.tables["activity"]["dau"].to_list() == [1, 1]


def test_week_grain_activity(tmp_path: Path) -> None:
    rows = [(f"2026-11-{d:02d}T10:00:00Z", f"u{d % 3}", "login", "a1") for d in range(2, 16)]
    # one event before and one after the window, so the data's range covers both weeks whole
    rows += [
        ("2026-10-30T10:00:00Z", "u9", "login", "a1"),
        ("2026-11-20T10:00:00Z", "u9", "login", "a1"),
    ]
    report = engagement(
        write_events(tmp_path, rows), since="2026-11-02", until="2026-11-16", grain="week"
    )
    activity = report.tables["activity"]
    assert activity["bucket"].to_list() == [date(2026, 11, 2), date(2026, 11, 9)]
    assert activity["active_users"].to_list() == [3, 3]  # u0, u1, u2 each week
    assert activity["dau_mean"].to_list() == [1.0, 1.0]
    assert activity["partial"].to_list() == [False, False]


def test_no_account_column_gives_null_with_warning(tmp_path: Path) -> None:
    rows = [("2026-11-02T10:00:00Z", "u1", "login")]
    report = engagement(write_events(tmp_path, rows, ("timestamp", "user_id", "event")))
    assert report.metrics["engagement.active_accounts_count"] is None
    assert "account_activity" not in report.tables
    assert any(w.metric == "engagement.active_accounts_count" for w in report.warnings)


def test_duplicate_event_ids_are_dropped_and_counted(tmp_path: Path) -> None:
    columns = ("event_id", "timestamp", "user_id", "event", "account_id")
    rows = [
        ("e1", "2026-11-02T10:00:00Z", "u1", "login", "a1"),
        ("e1", "2026-11-02T10:00:00Z", "u1", "login", "a1"),
        ("e2", "2026-11-02T10:05:00Z", "u1", "report", "a1"),
    ]
    report = engagement(
        write_events(tmp_path, rows, columns), since="2026-11-02", until="2026-11-03"
    )
    assert report.tables["account_activity"]["events"].to_list() == [2]  # 3 rows - 1 duplicate
    assert [w.count for w in report.warnings if w.code == "duplicate_rows"] == [1]


def test_empty_window_gives_nulls_not_zeros(tmp_path: Path) -> None:
    rows = [
        ("2026-10-01T10:00:00Z", "u1", "login", "a1"),
        ("2026-12-01T10:00:00Z", "u1", "login", "a1"),
    ]
    report = engagement(write_events(tmp_path, rows), since="2026-11-02", until="2026-11-03")
    assert report.metrics["engagement.sessions_count"] == 0
    assert report.metrics["engagement.sessions_per_user"] is None
    assert report.metrics["engagement.session_duration_median_minutes"] is None
    assert report.metrics["engagement.dau_mean"] == 0  # one complete day with no one active
    assert report.metrics["engagement.mau"] == 0  # 10-01 is before 10-04, the first of MAU30's days
    assert report.metrics["engagement.stickiness"] is None  # MAU30 = 0 on the only day
    assert {w.metric for w in report.warnings} >= {
        "engagement.sessions_per_user",
        "engagement.stickiness",
    }


def test_rows_outside_window_are_counted_as_read_or_not(tmp_path: Path) -> None:
    report = engagement(write_events(tmp_path, CASE), INACTIVE, **WINDOW)
    by_code = {w.code: w for w in report.warnings}
    # the look-back reaches 29 days before 11-02, to 10-04: 10-20 and 11-01 are read for MAU30
    # and the session running into the window, and the warning says so
    assert by_code["rows_before_window"].count == 2
    assert "MAU30/WAU7" in by_code["rows_before_window"].message
    # 11-06 is after the window: not used at all
    assert by_code["rows_outside_window"].count == 1
    assert report.sources["events"]["rows_in_window"] == len(CASE) - 3


def test_rows_before_the_look_back_are_not_used(tmp_path: Path) -> None:
    rows = [("2026-09-01T10:00:00Z", "u1", "login", "a1"), *CASE]  # 62 days before 11-02
    report = engagement(write_events(tmp_path, rows), INACTIVE, **WINDOW)
    outside = next(w for w in report.warnings if w.code == "rows_outside_window")
    # 09-01 before the look-back's 10-04 and 11-06 after the window
    assert outside.count == 2
    assert "1 before 2026-10-04 00:00" in outside.message


def test_parquet_and_csv_agree(tmp_path: Path) -> None:
    csv = engagement(write_events(tmp_path, CASE), INACTIVE, **WINDOW)
    frame = pl.read_csv(write_events(tmp_path, CASE)).with_columns(
        pl.col("timestamp").str.to_datetime(time_zone="UTC")
    )
    frame.write_parquet(tmp_path / "events.parquet")
    parquet = engagement(tmp_path / "events.parquet", INACTIVE, **WINDOW)
    assert parquet.metrics == csv.metrics


def test_session_account_is_first_events_smallest_tied_account(tmp_path: Path) -> None:
    rows = [
        ("2026-11-02T09:00:00Z", "u1", "login", "b2"),  # u1's session starts with three events
        ("2026-11-02T09:00:00Z", "u1", "login", "a7"),  # at one instant in accounts b2, a7
        ("2026-11-02T09:00:00Z", "u1", "login", None),  # and none: the smallest id, a7, wins
        ("2026-11-02T09:05:00Z", "u1", "report", "a1"),  # later events do not change it
        ("2026-11-02T11:00:00Z", "u1", "login", "b2"),  # a new session (gap 1h55), in b2
    ]
    report = engagement(write_events(tmp_path, rows), since="2026-11-02", until="2026-11-03")
    sessions = dict(
        zip(*report.tables["account_activity"].select("account_id", "sessions"), strict=True)
    )
    assert sessions == {"a7": 1, "b2": 1, "a1": 0}


def test_more_than_64_events_are_each_a_feature(tmp_path: Path) -> None:
    # 70 event names: past the 64 feature bits; u1 does all of them, u2 only e0 and e69
    rows = [("2026-11-02T10:00:00Z", "u1", f"e{i}", "a1") for i in range(70)]
    rows += [
        ("2026-11-02T11:00:00Z", "u2", "e0", "a2"),
        ("2026-11-02T11:01:00Z", "u2", "e69", "a2"),
    ]
    report = engagement(write_events(tmp_path, rows), since="2026-11-02", until="2026-11-03")
    table = {row["feature"]: row for row in report.tables["feature_adoption"].to_dicts()}
    assert len(table) == 70
    assert (table["e0"]["users"], table["e0"]["accounts"]) == (2, 2)  # u1 and u2, a1 and a2
    assert (table["e69"]["users"], table["e1"]["users"]) == (2, 1)


def test_feature_accounts_are_null_without_account_column(tmp_path: Path) -> None:
    rows = [("2026-11-02T10:00:00Z", "u1", "login")]
    report = engagement(write_events(tmp_path, rows, ("timestamp", "user_id", "event")))
    row = report.tables["feature_adoption"].row(0, named=True)
    assert (row["users"], row["accounts"], row["account_share"]) == (1, None, None)
