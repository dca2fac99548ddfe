"""The window grammar: --since/--until, every --period form, --as-of, time zones, week start."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from csmetrics.errors import ConfigError
from csmetrics.window import build_window

AS_OF = "2026-11-18T15:30:00Z"  # a Wednesday


def _days(window) -> tuple[str, str]:
    return window.since.date().isoformat(), window.until.date().isoformat()


@pytest.mark.parametrize(
    ("period", "since", "until", "label"),
    [
        ("last-week", "2026-11-09", "2026-11-16", "2026-W46"),
        ("last-month", "2026-10-01", "2026-11-01", "2026-10"),
        ("last-quarter", "2026-07-01", "2026-10-01", "2026-Q3"),
        ("last-7d", "2026-11-11", "2026-11-18", None),  # the 7 whole days before today
        ("last-30d", "2026-10-19", "2026-11-18", None),
        ("last-90d", "2026-08-20", "2026-11-18", None),
        ("2026-02", "2026-02-01", "2026-03-01", "2026-02"),
        ("2026-W01", "2025-12-29", "2026-01-05", "2026-W01"),  # ISO week 1 starts in December
        ("2026-Q4", "2026-10-01", "2027-01-01", "2026-Q4"),
    ],
)
def test_periods(period: str, since: str, until: str, label: str | None) -> None:
    window = build_window(period=period, as_of=AS_OF)
    assert _days(window) == (since, until)
    if label:
        assert window.name == label


def test_this_week_and_month_end_at_as_of() -> None:
    week = build_window(period="this-week", as_of=AS_OF)
    assert week.since == datetime(2026, 11, 16, tzinfo=UTC)
    assert week.until == datetime(2026, 11, 18, 15, 30, tzinfo=UTC)
    month = build_window(period="this-month", as_of=AS_OF)
    assert month.since == datetime(2026, 11, 1, tzinfo=UTC) and month.until == week.until


def test_sunday_weeks() -> None:
    window = build_window(period="last-week", as_of=AS_OF, week_start="sunday")
    assert _days(window) == ("2026-11-08", "2026-11-15")  # Sun 8 .. Sat 14


def test_dates_are_local_midnights_in_the_report_time_zone() -> None:
    window = build_window(since="2026-07-01", until="2026-07-02", timezone="Europe/Paris")
    # Paris is UTC+2 in July: its midnight is 22:00 UTC the day before
    assert window.since == datetime(2026, 6, 30, 22, tzinfo=UTC)
    assert window.until == datetime(2026, 7, 1, 22, tzinfo=UTC)


def test_relative_periods_use_the_as_of_day_in_the_report_zone() -> None:
    # 23:30 UTC on Sunday 11-15 is already Monday 11-16 in Tokyo
    window = build_window(period="last-week", as_of="2026-11-15T23:30:00Z", timezone="Asia/Tokyo")
    assert window.since == datetime(2026, 11, 8, 15, tzinfo=UTC)  # Tokyo's Mon 11-09 midnight


def test_all_is_open_until_the_data_closes_it() -> None:
    window = build_window()
    assert window.since is None and window.until is None
    resolved = window.resolved(
        datetime(2026, 11, 2, 9, tzinfo=UTC), datetime(2026, 11, 4, 23, tzinfo=UTC)
    )
    assert _days(resolved) == ("2026-11-02", "2026-11-05")
    assert resolved.name == "2026-11-02_2026-11-04"


def test_since_only_keeps_until_open() -> None:
    window = build_window(since="2026-11-02")
    assert window.since == datetime(2026, 11, 2, tzinfo=UTC) and window.until is None


def test_iso_datetimes_with_offsets() -> None:
    window = build_window(since="2026-11-02T09:00:00+01:00", until="2026-11-03T00:00:00Z")
    assert window.since == datetime(2026, 11, 2, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"period": "fortnight"}, "--period"),
        ({"period": "2026-13"}, "no month 13"),
        ({"period": "2026-W60"}, "not an ISO week"),
        ({"period": "last-week", "since": "2026-11-01"}, "cannot be combined"),
        ({"since": "2026-11-05", "until": "2026-11-01"}, "must be after"),
        ({"since": "05/11/2026"}, "--since"),
        ({"timezone": "Mars/Olympus"}, "--timezone"),
        ({"week_start": "friday"}, "--week-start"),
        ({"grain": "hour"}, "--grain"),
    ],
)
def test_bad_windows_are_config_errors(options: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_window(as_of=AS_OF, **options)


def test_as_of_date_only() -> None:
    window = build_window(period="last-month", as_of="2026-01-15")
    assert (window.since.date(), window.until.date()) == (date(2025, 12, 1), date(2026, 1, 1))
