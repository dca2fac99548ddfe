"""The cohort table's extent (issue 20, item 12): the bucket holding `since`, every cohort a
headline reads, never a cohort before the export's first event, null past the horizon; each
headline can be recomputed from the table."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.window import Window, build_window
from csmetrics.families.retention.grid import cohort_grid


def _window(**options: str) -> Window:
    spec = build_window(**options)
    return spec.resolved(spec.since, spec.until)


def test_offsets_and_observability() -> None:
    # Window 11-09 .. 11-23 (two ISO weeks), 2 periods: cohorts from min(since, until - 2
    # weeks) = the week of 11-09 through the week of 11-16; offsets 0..2 each
    window = _window(since="2026-11-09", until="2026-11-23", grain="week")
    horizon = datetime(2026, 11, 25, 12, tzinfo=UTC)  # a Wednesday, inside the week of 11-23
    grid = cohort_grid(window, "week", 2, horizon)
    rows = grid.select("cohort", "offset", "bucket", "observable", "partial").rows()
    assert rows == [
        (date(2026, 11, 9), 0, date(2026, 11, 9), True, False),
        (date(2026, 11, 9), 1, date(2026, 11, 16), True, False),
        (date(2026, 11, 9), 2, date(2026, 11, 23), True, True),  # the horizon is inside it
        (date(2026, 11, 16), 0, date(2026, 11, 16), True, False),
        (date(2026, 11, 16), 1, date(2026, 11, 23), True, True),
        (date(2026, 11, 16), 2, date(2026, 11, 30), False, False),  # after the horizon: null
    ]
    assert not grid["before_window"].any()


def test_reaches_back_periods_before_a_short_window() -> None:
    # November, month grain, 3 periods: cohorts from min(11-01, 12-01 - 3 months = 09-01)
    window = _window(since="2026-11-01", until="2026-12-01", grain="month")
    grid = cohort_grid(window, "month", 3, window.until)
    assert grid["cohort"].unique().sort().to_list() == [
        date(2026, 9, 1),
        date(2026, 10, 1),
        date(2026, 11, 1),
    ]


def test_the_bucket_holding_since_and_the_headlines_cohorts_are_listed() -> None:
    # 2026-Q3 by week: since is Wed 07-01, inside the week of 06-29 (listed, before_window).
    # until - 12 weeks = 07-09, later than since. The first week wholly inside is 07-06; the
    # 4-week headline reads its cohort 4 weeks back, 06-08. The export starts Sat 06-20: the
    # cohorts 06-08 and earlier hold nobody and are not listed; 06-15 holds the first event.
    window = _window(since="2026-07-01", until="2026-10-01", grain="week")
    first_event = datetime(2026, 6, 20, 9, tzinfo=UTC)
    grid = cohort_grid(
        window, "week", 12, window.until, headline_offsets=(1, 4), first_event=first_event
    )
    cohorts = grid.group_by("cohort").agg(pl.col("before_window").first()).sort("cohort")
    assert cohorts.row(0) == (date(2026, 6, 15), True)
    assert cohorts.filter(pl.col("cohort") == date(2026, 6, 29)).row(0) == (
        date(2026, 6, 29),
        True,
    )
    assert cohorts.filter(pl.col("cohort") == date(2026, 7, 6)).row(0) == (date(2026, 7, 6), False)
    # the last cohort is the week holding 09-30 (09-28), the bucket before until
    assert cohorts["cohort"][-1] == date(2026, 9, 28)
    assert set(grid["offset"].unique().to_list()) == set(range(13))


# since Wed 07-01, until Sat 08-01, weekly cohorts. The export ends 08-05: the horizon is until.
ROWS = [
    ("2026-06-10T10:00:00Z", "u2", "login"),  # cohort 06-08
    ("2026-06-30T10:00:00Z", "u1", "login"),  # cohort 06-29 (before since)
    ("2026-07-02T10:00:00Z", "u3", "login"),  # cohort 06-29 too: its week began 06-29
    ("2026-07-06T10:00:00Z", "u2", "login"),  # u2: offset 4
    ("2026-07-07T10:00:00Z", "u1", "login"),  # u1: offset 1
    ("2026-07-08T10:00:00Z", "u4", "login"),  # cohort 07-06
    ("2026-07-14T10:00:00Z", "u4", "login"),  # u4: offset 1
    ("2026-08-05T10:00:00Z", "u5", "login"),  # after until: the horizon only
]
WHOLE_WEEKS = {date(2026, 7, 6), date(2026, 7, 13), date(2026, 7, 20)}  # 07-27 ends after until


@pytest.mark.usefixtures("engine")
def test_every_headline_is_recomputed_from_the_table() -> None:
    events = pl.DataFrame(ROWS, schema=["timestamp", "user_id", "event"], orient="row")
    report = cm.retention(
        cm.load(events=events), since="2026-07-01", until="2026-08-01", grain="week", periods=2
    )
    # period 1: cohorts 06-29 (u1, u3: u1 back), 07-06 (u4: back), 07-13 (none): 2 / 3
    assert report.metrics["retention.period_1_rate"] == pytest.approx(2 / 3)
    # period 4: cohorts 06-08 (u2: back on 07-06), 06-15 and 06-22 (none): 1 / 1
    assert report.metrics["retention.period_4_rate"] == pytest.approx(1.0)
    table = report.tables["cohorts"]
    assert table["cohort"].min() == date(2026, 6, 8)  # the first event's week
    for k in (1, 4):
        read = table.filter(
            pl.col("offset") == k,
            (pl.col("cohort") + pl.duration(days=7 * k)).is_in(list(WHOLE_WEEKS)),
            ~pl.col("partial"),
        )
        recomputed = read["users"].sum() / read["size"].sum()
        assert recomputed == pytest.approx(report.metrics[f"retention.period_{k}_rate"])
    flagged = table.filter(pl.col("offset") == 0).select("cohort", "before_window").rows()
    assert (date(2026, 6, 29), True) in flagged and (date(2026, 7, 6), False) in flagged


@pytest.mark.usefixtures("engine")
def test_a_cohort_after_the_last_event_is_null_not_zero() -> None:
    # the export stops Thu 07-09: the week of 07-13 and later are past the horizon
    rows = [r for r in ROWS if r[0] < "2026-07-10"]
    events = pl.DataFrame(rows, schema=["timestamp", "user_id", "event"], orient="row")
    report = cm.retention(
        cm.load(events=events), since="2026-07-01", until="2026-08-01", grain="week", periods=2
    )
    later = report.tables["cohorts"].filter(pl.col("cohort") >= date(2026, 7, 13))
    assert later.height > 0
    assert later["size"].null_count() == later.height
    assert later["users"].null_count() == later.height
    assert later["rate"].null_count() == later.height
    # the cohort of 07-06 is seen (offset 0 = u4) but its offset 1 is not: null
    july_6 = report.tables["cohorts"].filter(pl.col("cohort") == date(2026, 7, 6))
    assert july_6.select("offset", "users").rows()[:2] == [(0, 1), (1, None)]
