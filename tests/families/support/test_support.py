"""Support on small hand-computed cases, and business hours; arithmetic next to each assert."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm

COLUMNS = [
    "ticket_id",
    "created_at",
    "first_response_at",
    "solved_at",
    "agent_replies",
    "reopens",
    "satisfaction",
    "channel",
]
# Window: November 2026.
CASE = [
    (
        "t1",
        "2026-11-02T10:00:00Z",
        "2026-11-02T12:00:00Z",
        "2026-11-03T10:00:00Z",
        1,
        0,
        "5",
        "email",
    ),
    (
        "t2",
        "2026-11-05T10:00:00Z",
        "2026-11-05T10:30:00Z",
        "2026-11-05T16:00:00Z",
        3,
        1,
        "bad",
        "chat",
    ),
    ("t3", "2026-11-10T10:00:00Z", None, None, 0, 0, None, "email"),  # never answered
    (
        "t4",
        "2026-11-20T10:00:00Z",
        "2026-11-20T09:00:00Z",
        "2026-12-02T10:00:00Z",
        1,
        0,
        None,
        "email",
    ),
    (
        "t5",
        "2026-10-25T10:00:00Z",
        "2026-10-25T11:00:00Z",
        "2026-11-03T10:00:00Z",
        1,
        0,
        None,
        "chat",
    ),
    ("t6", "2026-10-20T10:00:00Z", None, None, 0, 0, None, "chat"),  # old and open
    ("t7", "2026-11-28T10:00:00Z", "2026-11-28T16:00:00Z", None, 1, 0, "Good", "email"),
]
WINDOW = {"since": "2026-11-01", "until": "2026-12-01"}


def tickets(rows: list[tuple], columns: list[str] = COLUMNS) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=columns, orient="row")


def support(rows: list[tuple], columns: list[str] = COLUMNS, **options) -> cm.Report:
    return cm.support(cm.load(tickets=tickets(rows, columns)), **options)


@pytest.fixture
def case() -> cm.Report:
    return support(CASE, sla_first_response="4h", **WINDOW)


def test_volume_counts(case) -> None:
    metrics = case.metrics
    assert metrics["support.tickets_created_count"] == 5  # t1, t2, t3, t4, t7
    assert metrics["support.tickets_solved_count"] == 3  # t1 11-03, t2 11-05, t5 11-03
    # created before 12-01 and not solved before it: t3, t4 (solved 12-02), t6, t7
    assert metrics["support.backlog_count"] == 4


def test_first_response_drops_negative_durations(case) -> None:
    # t1 2 h, t2 0.5 h, t7 6 h; t4 answered before creation: duration dropped
    # median 2, mean 8.5 / 3, p90 = 2 + 0.8 * (6 - 2) = 5.2
    assert case.metrics["support.first_response_median_hours"] == pytest.approx(2)
    assert case.metrics["support.first_response_mean_hours"] == pytest.approx(8.5 / 3)
    assert case.metrics["support.first_response_p90_hours"] == pytest.approx(5.2)
    assert case.metrics["support.unanswered_share"] == pytest.approx(1 / 5)  # t3 (t4 answered)
    negative = [w for w in case.warnings if w.code == "negative_duration"]
    assert [w.count for w in negative] == [1]


def test_first_response_distribution_counts_the_medians_tickets(case) -> None:
    # the window's answered tickets with a duration: t2 0.5 h, t1 2 h, t7 6 h (t4's negative
    # duration dropped, t3 unanswered, t5 created before the window) -> 1, 1, 1 of 3
    table = case.tables["first_response_distribution"]
    assert table.select("bucket", "tickets").rows() == [
        ("under 1 h", 1), ("1 to 4 h", 1), ("4 to 24 h", 1),
        ("1 to 3 days", 0), ("3 to 7 days", 0), ("7 days or more", 0),
    ]  # fmt: skip
    assert table["share"].to_list()[:3] == pytest.approx([1 / 3, 1 / 3, 1 / 3])


def test_resolution_counts_solves_before_until(case) -> None:
    # t1 24 h, t2 6 h (t4 solved after until): median 15, p90 = 6 + 0.9 * 18 = 22.2
    assert case.metrics["support.resolution_median_hours"] == pytest.approx(15)
    assert case.metrics["support.resolution_mean_hours"] == pytest.approx(15)
    assert case.metrics["support.resolution_p90_hours"] == pytest.approx(22.2)


def test_first_contact_resolution_and_reopens(case) -> None:
    # solved window tickets t1 (1 reply, no reopen) and t2 (3 replies, reopened)
    assert case.metrics["support.first_contact_resolution_rate"] == pytest.approx(1 / 2)
    assert case.metrics["support.reopen_rate"] == pytest.approx(1 / 2)


def test_sla_breaches_count_overdue_unanswered(case) -> None:
    # answered: t1 2 h, t2 0.5 h, t4 (no duration), t7 6 h > 4 h; t3 unanswered and overdue
    # breaches t7 and t3 / (t1, t2, t4, t7, t3)
    assert case.metrics["support.sla_first_response_breach_rate"] == pytest.approx(2 / 5)


def test_ticket_csat(case) -> None:
    # rated window tickets: t1 5, t2 bad, t7 Good -> 2 of 3 satisfied; rated solved t1, t2 / 2
    assert case.metrics["support.csat_rate"] == pytest.approx(2 / 3)
    assert case.metrics["support.csat_response_rate"] == 1


def test_breakdown_by_channel() -> None:
    report = support(CASE, by="channel", **WINDOW)
    table = {r["channel"]: r for r in report.tables["by_channel"].to_dicts()}
    assert table["email"]["tickets_created_count"] == 4  # t1, t3, t4, t7
    assert table["chat"]["tickets_created_count"] == 1  # t2
    assert table["chat"]["backlog_count"] == 1  # t6


def test_volume_table_backlog_at_each_bucket_end() -> None:
    report = support(CASE, since="2026-11-01", until="2026-11-08", grain="day")
    rows = {r["bucket"]: r for r in report.tables["volume"].to_dicts()}
    # open at 11-01: t5, t6 = 2; 11-02 +t1 = 3; 11-03 -t1 -t5 = 1; 11-05 +t2 -t2 = 1
    assert rows[date(2026, 11, 2)]["backlog"] == 3
    assert rows[date(2026, 11, 3)]["backlog"] == 1
    assert (rows[date(2026, 11, 5)]["created"], rows[date(2026, 11, 5)]["solved"]) == (1, 1)


def test_precomputed_minutes_when_timestamps_are_absent() -> None:
    rows = [("t1", "2026-11-02T10:00:00Z", 90.0, 600.0), ("t2", "2026-11-02T11:00:00Z", 30.0, None)]
    columns = ["ticket_id", "created_at", "first_response_minutes", "resolution_minutes"]
    report = support(rows, columns, **WINDOW)
    # 90 and 30 minutes -> 1.5 h and 0.5 h: median 1; resolution 600 min = 10 h
    assert report.metrics["support.first_response_median_hours"] == pytest.approx(1)
    assert report.metrics["support.resolution_median_hours"] == pytest.approx(10)


def test_missing_columns_give_nulls_with_reasons() -> None:
    rows = [("t1", "2026-11-02T10:00:00Z", "2026-11-02T12:00:00Z")]
    report = support(rows, ["ticket_id", "created_at", "first_response_at"], **WINDOW)
    assert report.metrics["support.first_contact_resolution_rate"] is None
    codes = {w.metric: w.code for w in report.warnings if w.metric}
    assert codes["support.first_contact_resolution_rate"] == "missing_column"
    assert codes["support.sla_first_response_breach_rate"] == "not_configured"


def test_without_response_times_the_distribution_is_unknown_not_zero() -> None:
    rows = [("t1", "2026-11-02T10:00:00Z", "2026-11-03T10:00:00Z")]
    report = support(rows, ["ticket_id", "created_at", "solved_at"], **WINDOW)
    assert report.metrics["support.first_response_median_hours"] is None
    table = report.tables["first_response_distribution"]
    assert table["tickets"].null_count() == table.height == 6


# --- business hours --------------------------------------------------------------------------

HOURS = "mon-fri 09:00-17:00"


def first_response(created: str, answered: str, **options) -> float | None:
    rows = [("t1", created, answered)]
    report = support(rows, ["ticket_id", "created_at", "first_response_at"], **WINDOW, **options)
    return report.metrics["support.first_response_median_hours"]


def test_friday_evening_to_monday_morning_is_one_business_hour() -> None:
    # Fri 11-06 16:30 -> 17:00 (0.5 h), Mon 11-09 09:00 -> 09:30 (0.5 h)
    assert first_response("2026-11-06T16:30:00Z", "2026-11-09T09:30:00Z", business_hours=HOURS) == 1
    assert first_response("2026-11-06T16:30:00Z", "2026-11-09T09:30:00Z") == 65  # calendar


def test_a_holiday_in_between_is_closed(tmp_path: Path) -> None:
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("# closed\n2026-11-09\n")
    # Mon 11-09 is a holiday: Fri 16:30-17:00 and Tue 11-10 09:00-09:30 = 1 h
    hours = first_response(
        "2026-11-06T16:30:00Z", "2026-11-10T09:30:00Z", business_hours=HOURS, holidays=str(holidays)
    )
    assert hours == pytest.approx(1)
    csv = tmp_path / "holidays.csv"
    csv.write_text("name,date\nSome day,2026-11-09\n")
    assert first_response(
        "2026-11-06T16:30:00Z", "2026-11-10T09:30:00Z", business_hours=HOURS, holidays=str(csv)
    ) == pytest.approx(1)


def test_dst_weekend_in_berlin() -> None:
    # Fri 10-23 16:00 CEST (14:00Z) -> Mon 10-26 10:00 CET (09:00Z), DST ended Sun 10-25:
    # business Fri 16:00-17:00 + Mon 09:00-10:00 = 2 h; calendar 67 h of real time
    options = {"since": "2026-10-01", "until": "2026-11-01", "timezone": "Europe/Berlin"}
    rows = [("t1", "2026-10-23T14:00:00Z", "2026-10-26T09:00:00Z")]
    columns = ["ticket_id", "created_at", "first_response_at"]
    business = cm.support(cm.load(tickets=tickets(rows, columns)), business_hours=HOURS, **options)
    calendar = cm.support(cm.load(tickets=tickets(rows, columns)), **options)
    assert business.metrics["support.first_response_median_hours"] == pytest.approx(2)
    assert calendar.metrics["support.first_response_median_hours"] == pytest.approx(67)


def test_created_out_of_hours_counts_from_the_next_opening() -> None:
    # Sat 11-07 11:00 -> Mon 11-09 08:30: no business time at all (0 is kept, not dropped)
    assert first_response("2026-11-07T11:00:00Z", "2026-11-09T08:30:00Z", business_hours=HOURS) == 0


def test_negative_durations_are_dropped_before_business_time() -> None:
    # answered on Saturday before its Saturday creation: business time would read 0; the
    # negative calendar duration drops it instead (the ticket still counts as answered)
    rows = [("t1", "2026-11-07T11:00:00Z", "2026-11-07T10:00:00Z")]
    report = support(
        rows, ["ticket_id", "created_at", "first_response_at"], business_hours=HOURS, **WINDOW
    )
    assert report.metrics["support.first_response_median_hours"] is None
    assert report.metrics["support.unanswered_share"] == 0
    assert [w.count for w in report.warnings if w.code == "negative_duration"] == [1]


def test_several_ranges_and_days() -> None:
    hours = "mon-thu 08:00-12:00 13:00-18:00, fri 08:00-14:00"
    # Thu 11-05 17:00 -> Fri 11-06 09:00: Thu 17:00-18:00 + Fri 08:00-09:00 = 2 h
    assert first_response("2026-11-05T17:00:00Z", "2026-11-06T09:00:00Z", business_hours=hours) == 2
    # Mon 11-02 11:00 -> 14:00 with lunch 12-13 closed: 2 h
    assert first_response("2026-11-02T11:00:00Z", "2026-11-02T14:00:00Z", business_hours=hours) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("weekdays 9-5", "unknown day"),
        ("mon-fri 17:00-09:00", "run forward"),
        ("mon-fri", "needs days and hours"),
        ("mon 09:00-12:00 11:00-13:00", "overlap"),
    ],
)
def test_bad_business_hours(text: str, message: str) -> None:
    with pytest.raises(cm.ConfigError, match=message):
        support(CASE, business_hours=text, **WINDOW)
