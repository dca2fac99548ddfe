"""Vendor-computed durations (issue 20, item 3): Zendesk's calendar and business-hours minutes
feed the matching metric, and the report says which it read."""

from __future__ import annotations

from pathlib import Path

import pytest

import csmetrics as cm

HEADER = (
    "Id,Requester id,Status,Via,Created at,Solved at,Replies,"
    "First reply time in minutes,First reply time in minutes within business hours\n"
)
ROWS = [
    "1,9001,Solved,Email,2026-10-02 09:00:00,2026-10-02 12:00:00,1,30,30",
    # Saturday 10:00, answered Monday 11:00: 2,940 calendar minutes, 120 in business hours
    "2,9002,Open,Email,2026-10-03 10:00:00,,1,2940,120",
    "3,9003,Closed,Chat,2026-10-05 14:00:00,2026-10-06 14:00:00,1,15,15",
]
HOURS = "mon-fri 09:00-17:00"


def _tickets(tmp_path: Path, header: str = HEADER, rows: list[str] = ROWS) -> object:
    path = tmp_path / "zendesk.csv"
    path.write_text(header + "\n".join(rows) + "\n")
    return cm.load(tickets=path)


def _notes(report: cm.Report) -> list[str]:
    return [w.message for w in report.warnings if w.code == "duration_source"]


def test_calendar_minutes_without_business_hours(tmp_path: Path) -> None:
    report = cm.support(_tickets(tmp_path), period="2026-10")
    # hours 0.5, 49, 0.25: median 0.5, mean 49.75 / 3
    assert report.metrics["support.first_response_median_hours"] == 0.5
    assert report.metrics["support.first_response_mean_hours"] == pytest.approx(49.75 / 3)
    assert _notes(report) == [
        "support: first response times are the export's first_response_minutes (calendar time)"
    ]


def test_the_help_desks_business_minutes_with_business_hours(tmp_path: Path) -> None:
    report = cm.support(_tickets(tmp_path), period="2026-10", business_hours=HOURS)
    # hours 0.5, 2, 0.25: mean 2.75 / 3 (the help desk's own business hours)
    assert report.metrics["support.first_response_mean_hours"] == pytest.approx(2.75 / 3)
    assert _notes(report) == [
        "support: first response times are the export's first_response_business_minutes (the "
        "help desk's own business hours, not --business-hours)"
    ]
    # resolution comes from the timestamps, in --business-hours: no note for it
    assert report.metrics["support.resolution_median_hours"] is not None


def test_only_business_minutes_and_no_business_hours_is_null_with_the_way_out(
    tmp_path: Path,
) -> None:
    header = HEADER.replace("First reply time in minutes,", "")
    rows = [",".join(r.split(",")[:7] + r.split(",")[8:]) for r in ROWS]
    report = cm.support(_tickets(tmp_path, header, rows), period="2026-10")
    assert report.metrics["support.first_response_median_hours"] is None
    assert report.metrics["support.unanswered_share"] is None  # not 1.0
    (reason,) = [w for w in report.warnings if w.metric == "support.unanswered_share"]
    assert "pass --business-hours" in reason.message
    # with business hours the same file reads: mean 2.75 / 3
    hours = cm.support(_tickets(tmp_path, header, rows), period="2026-10", business_hours=HOURS)
    assert hours.metrics["support.first_response_mean_hours"] == pytest.approx(2.75 / 3)


FRESHDESK = (
    "Ticket ID,Status,Source,Created time,Resolved time,Initial response time,"
    "First response time (in hrs),Resolution time (in hrs)\n"
)
FRESHDESK_ROWS = [
    "201,Resolved,Email,2026-10-02 09:00:00,2026-10-02 12:00:00,2026-10-02 09:30:00,00:30:00,03:00:00",
    # Saturday 10:00, answered Monday 11:00: 49 calendar hours, 2 within Freshdesk's business hours
    "202,Open,Portal,2026-10-03 10:00:00,,2026-10-05 11:00:00,02:00:00,",
    # hours past 24 and seconds: 1:00:30 is 60.5 minutes; 25:30:00 is 1,530 minutes
    "203,Closed,Chat,2026-10-05 14:00:00,2026-10-06 15:30:00,2026-10-05 15:00:30,01:00:30,25:30:00",
]


def _freshdesk(
    tmp_path: Path, drop: tuple[str, ...] = (), rows: list[str] = FRESHDESK_ROWS
) -> object:
    header = FRESHDESK.strip().split(",")
    kept = [i for i, h in enumerate(header) if h not in drop]
    lines = [header, *(r.split(",") for r in rows)]
    path = tmp_path / "freshdesk.csv"
    path.write_text("\n".join(",".join(line[i] for i in kept) for line in lines) + "\n")
    return cm.load(tickets=path)


def test_freshdesk_clock_durations_when_the_timestamps_are_not_exported(tmp_path: Path) -> None:
    tickets = _freshdesk(tmp_path, drop=("Resolved time", "Initial response time"))
    business = cm.support(tickets, period="2026-10", business_hours=HOURS)
    # first response minutes 30, 120, 60.5: mean 210.5 / 3 minutes
    assert business.metrics["support.first_response_mean_hours"] == pytest.approx(210.5 / 3 / 60)
    # resolution minutes 180 and 1,530 (202 is open): median (3 + 25.5) / 2 = 14.25 hours
    assert business.metrics["support.resolution_median_hours"] == pytest.approx(14.25)
    assert [n.split(" are ")[1] for n in _notes(business)] == [
        "the export's first_response_business_minutes (the help desk's own business hours, "
        "not --business-hours)",
        "the export's resolution_business_minutes (the help desk's own business hours, "
        "not --business-hours)",
    ]
    # Freshdesk's hours are business time: without --business-hours nothing reads as calendar
    calendar = cm.support(tickets, period="2026-10")
    assert calendar.metrics["support.first_response_median_hours"] is None


def test_freshdesk_timestamps_win_over_its_durations(tmp_path: Path) -> None:
    business = cm.support(_freshdesk(tmp_path), period="2026-10", business_hours=HOURS)
    # resolution in mon-fri 09:00-17:00 from the timestamps: 201: 3 h; 203: Mon 14:00-17:00
    # and Tue 09:00-15:30 = 9.5 h; median (3 + 9.5) / 2 = 6.25
    assert business.metrics["support.resolution_median_hours"] == pytest.approx(6.25)
    assert _notes(business) == []


def test_a_plain_number_in_an_hours_column_is_hours(tmp_path: Path) -> None:
    rows = [r.replace("00:30:00", "0.5").replace("02:00:00", "2") for r in FRESHDESK_ROWS]
    tickets = _freshdesk(tmp_path, drop=("Initial response time",), rows=rows)
    business = cm.support(tickets, period="2026-10", business_hours=HOURS)
    # 0.5 h = 30 min, 2 h = 120 min, 1:00:30 = 60.5 min: the same mean as the clock text
    assert business.metrics["support.first_response_mean_hours"] == pytest.approx(210.5 / 3 / 60)


def test_an_unreadable_duration_is_one_line_naming_the_value(tmp_path: Path) -> None:
    rows = [FRESHDESK_ROWS[0].replace("00:30:00", "half an hour"), *FRESHDESK_ROWS[1:]]
    with pytest.raises(cm.InputError) as error:
        cm.support(_freshdesk(tmp_path, rows=rows), period="2026-10", business_hours=HOURS)
    assert "half an hour" in str(error.value) and "\n" not in str(error.value)
