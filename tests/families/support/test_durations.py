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
