"""Time values of real exports (issue 20, item 1): spreadsheet zero dates read as missing and
counted, implausible times in every time column, and ticket statuses that contradict
solved_at."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.errors import ConfigError, InputError

HEADER = (
    "Id,Requester id,Status,Via,Created at,Solved at,Replies,Reopens,First reply time in minutes\n"
)


def _zendesk(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "zendesk.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return path


def _codes(report: cm.Report) -> dict[str, str]:
    return {w.code: w.message for w in report.warnings}


def test_zendesk_zero_dates_are_missing_and_counted(tmp_path: Path) -> None:
    path = _zendesk(
        tmp_path,
        [
            "1,9001,Solved,Email,2026-10-02 09:00:00,2026-10-02 12:00:00,1,0,30",
            "2,9002,Open,Email,2026-10-03 10:00:00,1900-01-01 00:00:00,1,0,60",
            "3,9003,Pending,Email,2026-10-04 10:00:00,1900-01-01 00:00:00,0,0,",
            "4,9004,Closed,Chat,2026-10-05 14:00:00,2026-10-06 14:00:00,3,1,15",
            "5,9005,New,Web form,2026-10-07 08:00:00,0000-00-00 00:00:00,0,0,",
            "6,9006,Solved,Email,2026-10-08 09:00:00,2026-10-08 10:00:00,1,0,20",
            "7,9007,Open,Email,2026-10-09 09:00:00,2026-10-09 15:00:00,1,0,10",
            "8,9008,Solved,Email,2026-10-10 09:00:00,,2,0,5",
        ],
    )
    report = cm.support(cm.load(tickets=path), period="2026-10")
    m = report.metrics
    # 8 created; solved before Nov 1: tickets 1, 4, 6, 7 (the zero dates of 2, 3, 5 are no
    # solve, and 8 has none) -> 4; backlog: 2, 3, 5, 8 -> 4
    assert m["support.tickets_created_count"] == 8
    assert m["support.tickets_solved_count"] == 4
    assert m["support.backlog_count"] == 4
    # FCR: solved with <= 1 reply and no reopen: 1, 6, 7 of 1, 4, 6, 7 -> 3 / 4
    assert m["support.first_contact_resolution_rate"] == 3 / 4
    codes = _codes(report)
    # 1900-01-01 twice and 0000-00-00 once, named with the column and a value
    assert "3 values such as '1900-01-01 00:00:00'" in codes["zero_dates"]
    assert "'Solved at' (solved_at)" in codes["zero_dates"]
    # ticket 7 is Open with a solved_at; ticket 8 Solved without one
    assert codes["unsolved_status_with_solved_at"].startswith("tickets: 1 tickets have")
    assert codes["solved_status_without_solved_at"].startswith("tickets: 1 tickets have")


def test_zero_dates_of_every_spelling(tmp_path: Path) -> None:
    # Excel's day 0 (1899-12-30), day 1 (1899-12-31 or 1900-01-01), MySQL's 0000-00-00, with
    # or without a midnight time; 1900-01-01 12:00 is a time (an implausible one), not a zero
    values = ["1899-12-30", "1899-12-31 00:00", "1900-01-01T00:00:00Z", "0000-00-00",
              "1900-01-01 12:00:00", "2026-10-02 12:00:00"]  # fmt: skip
    rows = [
        f"{i},900{i},Solved,Email,2026-10-02 09:00:00,{value},1,0,30"
        for i, value in enumerate(values, start=1)
    ]
    inputs = cm.load(tickets=_zendesk(tmp_path, rows))
    solved = inputs["tickets"].sort("ticket_id")["solved_at"]
    assert solved.null_count() == 4
    assert solved[4] is not None and solved[4].year == 1900
    codes = {w.code: w for w in inputs.warnings}
    assert codes["zero_dates"].count == 4
    # the one 1900 noon is outside 2000..next year: a warning on solved_at, not on created_at
    assert codes["implausible_times"].count == 1
    assert "'Solved at' (solved_at)" in codes["implausible_times"].message
    assert "from 1900-01-01 to 1900-01-01" in codes["implausible_times"].message


def test_zero_dates_in_a_parquet_datetime_column(tmp_path: Path) -> None:
    # a typed column (Parquet) holding the spreadsheet zero as a real datetime
    frame = pl.DataFrame(
        {
            "ticket_id": ["a", "b"],
            "created_at": ["2026-10-02T09:00:00Z", "2026-10-03T09:00:00Z"],
            "solved_at": ["1899-12-30T00:00:00", "2026-10-03T10:00:00"],
        }
    ).with_columns(
        pl.col("created_at").str.to_datetime(time_zone="UTC"),
        pl.col("solved_at").str.to_datetime(),
    )
    path = tmp_path / "tickets.parquet"
    frame.write_parquet(path)
    inputs = cm.load(tickets=path)
    assert inputs["tickets"].sort("ticket_id")["solved_at"].null_count() == 1
    assert [w.count for w in inputs.warnings if w.code == "zero_dates"] == [1]


def test_a_required_time_holding_a_zero_date_drops_its_row(tmp_path: Path) -> None:
    rows = [
        "1,9001,Open,Email,1900-01-01 00:00:00,,0,0,",
        "2,9002,Open,Email,2026-10-03 10:00:00,,0,0,",
    ]
    inputs = cm.load(tickets=_zendesk(tmp_path, rows))
    assert inputs["tickets"]["ticket_id"].to_list() == ["2"]
    codes = {w.code for w in inputs.warnings}
    assert {"zero_dates", "missing_value"} <= codes


def _events(tmp_path: Path, *values: str) -> Path:
    path = tmp_path / "events.csv"
    rows = "".join(f"{value},u{i},login\n" for i, value in enumerate(values))
    path.write_text("timestamp,user_id,event\n" + rows)
    return path


def test_zones_written_inside_values(tmp_path: Path) -> None:
    # REES46's trailing UTC, GMT, an hour-only offset and +0530: each the instant it says
    path = _events(
        tmp_path,
        "2019-10-01 00:00:00 UTC",
        "2019-10-01 00:00:00 GMT",
        "2019-10-01T00:00:00+00",
        "2019-10-01 05:30:00-05",  # 10:30 UTC
        "2019-10-01T05:30:00+0530",  # 00:00 UTC
        "2019-10-01T05:30:00+05:30",  # 00:00 UTC
    )
    times = cm.load(events=path)["events"].sort("timestamp")["timestamp"].to_list()
    hours = [(t.day, t.hour, t.minute) for t in times]
    assert hours == [(1, 0, 0)] * 5 + [(1, 10, 30)]


def test_a_zone_abbreviation_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = _events(tmp_path, "2019-10-01 00:00:00 MSK")
    with pytest.raises(InputError, match="zone abbreviation 'MSK', which is ambiguous") as error:
        cm.load(events=path)
    assert "source_timezone" in str(error.value) and "+03:00" in str(error.value)


def test_percent_capital_z_in_formats_is_refused(tmp_path: Path) -> None:
    path = _events(tmp_path, "01/10/2019 00:00 MSK")
    with pytest.raises(ConfigError, match=r"%Z .* is ambiguous"):
        cm.load(events=path, options={"events": {"formats": {"timestamp": "%d/%m/%Y %H:%M %Z"}}})


def test_a_failing_format_is_named_in_the_error(tmp_path: Path) -> None:
    path = _events(tmp_path, "01/10/2019 00:00", "2019-10-02 00:00")
    with pytest.raises(InputError, match="expected the format '%d/%m/%Y %H:%M' given in formats"):
        cm.load(events=path, options={"events": {"formats": {"timestamp": "%d/%m/%Y %H:%M"}}})


@pytest.mark.usefixtures("engine")
@pytest.mark.parametrize("stray", ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z"])
def test_a_stray_year_9999_or_0001_is_warned_and_left_out_of_the_window(
    tmp_path: Path, stray: str
) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "timestamp,user_id,event\n"
        "2026-11-02T10:00:00Z,u1,login\n2026-11-03T10:00:00Z,u2,login\n"
        f"{stray},u3,login\n"
    )
    report = cm.engagement(cm.load(events=str(path)))  # --period all: the data's range
    # the window is the plausible days 11-02 .. 11-04, not 0001 or 9999
    assert (report.window.since.date().isoformat(), report.window.until.date().isoformat()) == (
        "2026-11-02",
        "2026-11-04",
    )
    assert report.metrics["engagement.active_users"] == 2  # u1, u2; u3's stray time is out
    (warning,) = [w for w in report.warnings if w.code == "implausible_times"]
    assert f"from {stray[:10]} to {stray[:10]}" in warning.message
