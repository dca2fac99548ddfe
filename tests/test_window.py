"""The window grammar: --since/--until, every --period form, --as-of, time zones, week start."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from csmetrics.core.errors import ConfigError, InputError
from csmetrics.core.window import Window, build_window

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
        ("2025", "2025-01-01", "2026-01-01", "2025"),  # a calendar year, for finance
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


# --- the calendar of a resolved window ----------------------------------------------------------


def _resolved(**options) -> Window:
    spec = build_window(**options)
    return spec.resolved(spec.since, spec.until)


def test_buckets_with_partial_flags() -> None:
    # Window Wed 11-04 .. Wed 11-18 (exclusive), week grain: weeks of Mon 11-02, 11-09, 11-16;
    # the first and last are cut by the window; data observed 11-01 .. 11-30 covers all
    window = _resolved(since="2026-11-04", until="2026-11-18", grain="week")
    observed = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    buckets = window.buckets(observed)
    assert buckets["bucket"].to_list() == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    assert buckets["partial"].to_list() == [True, False, True]
    # data ending on 11-14 at noon makes the middle week partial too
    short = (observed[0], datetime(2026, 11, 14, 12, tzinfo=UTC))
    assert window.buckets(short)["partial"].to_list() == [True, True, True]


def test_month_ends_in_a_time_zone() -> None:
    # Q3 in Paris: ends of July, August, September, each the instant before local midnight
    window = _resolved(period="2026-Q3", timezone="Europe/Paris", as_of=AS_OF)
    ends = window.month_ends()
    assert [month for month, _ in ends] == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    # Paris midnight of 08-01 is 07-31 22:00 UTC (CEST); the last instant is 1 µs before it
    assert ends[0][1] == datetime(2026, 7, 31, 21, 59, 59, 999999, tzinfo=UTC)


def test_month_ends_only_inside_the_window() -> None:
    # 10-15 .. 11-15: only October ends inside it
    window = _resolved(since="2026-10-15", until="2026-11-15")
    assert [month for month, _ in window.month_ends()] == [date(2026, 10, 1)]


def test_previous_window_of_whole_months_is_the_previous_months() -> None:
    october = _resolved(period="2026-10", as_of=AS_OF)
    assert _days(october.previous()) == ("2026-09-01", "2026-10-01")  # 30 days, not 31
    quarter = _resolved(period="2026-Q1", as_of=AS_OF)
    assert _days(quarter.previous()) == ("2025-10-01", "2026-01-01")


def test_previous_window_of_days_has_the_same_length() -> None:
    week = _resolved(period="last-week", as_of=AS_OF)  # 11-09 .. 11-16
    assert _days(week.previous()) == ("2026-11-02", "2026-11-09")


def test_empty_data_cannot_close_an_open_window() -> None:
    with pytest.raises(InputError, match=r"events\.csv: holds no rows"):
        build_window().resolved(None, None, "events.csv")


def test_the_api_takes_date_and_datetime_objects_and_names_its_keywords() -> None:
    import datetime as dt

    import polars as pl

    import csmetrics as cm
    from csmetrics.core.errors import ConfigError

    inputs = cm.load(events=pl.DataFrame({"timestamp": ["2026-10-01T10:00:00Z"],
                                         "user_id": ["u1"], "event": ["a"]}))  # fmt: skip
    # a date is the local midnight; a naive datetime is local time in `timezone`
    report = cm.engagement(inputs, since=dt.date(2026, 10, 1), until=dt.date(2026, 11, 1))
    assert (report.window.since.day, report.window.until.month) == (1, 11)
    paris = cm.engagement(
        inputs, since=dt.datetime(2026, 10, 1), until="2026-11-01", timezone="Europe/Paris"
    )
    assert paris.window.since == dt.datetime(2026, 9, 30, 22, tzinfo=dt.UTC)  # CEST, UTC+2
    as_of = cm.engagement(inputs, period="last-7d", as_of=dt.date(2026, 10, 5)).window
    assert as_of.since == dt.datetime(2026, 9, 28, tzinfo=dt.UTC)
    with pytest.raises(ConfigError, match=r"--grain \(grain=\): expected day, week or month"):
        cm.engagement(inputs, grain="weeks")
