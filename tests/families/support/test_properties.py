"""Invariants of support over generated tickets (hypothesis): business time never exceeds
calendar time, medians lie between the smallest and largest duration, shares are fractions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import csmetrics as cm
from csmetrics.families.support.business_hours import HOUR_US, parse_business_hours

START = datetime(2026, 10, 20, tzinfo=UTC)
TICKETS = st.lists(
    st.tuples(
        st.integers(0, 40 * 24 * 4),  # created, quarter hours after START
        st.one_of(st.none(), st.integers(-8, 14 * 24 * 4)),  # reply after creation (may be < 0)
        st.one_of(st.none(), st.integers(0, 20 * 24 * 4)),  # solve after creation
    ),
    min_size=1,
    max_size=40,
)
WINDOW = {"since": "2026-11-01", "until": "2026-11-25"}


def _frame(rows) -> pl.DataFrame:
    def at(base: int, offset: int | None) -> datetime | None:
        return None if offset is None else START + timedelta(minutes=15 * (base + offset))

    moment = pl.Datetime("us", "UTC")
    return pl.DataFrame(
        {
            "ticket_id": [f"t{i}" for i in range(len(rows))],
            "created_at": [START + timedelta(minutes=15 * c) for c, _, _ in rows],
            "first_response_at": [at(c, r) for c, r, _ in rows],
            "solved_at": [at(c, s) for c, _, s in rows],
        },
        schema={
            "ticket_id": pl.String,
            "created_at": moment,
            "first_response_at": moment,
            "solved_at": moment,
        },
    )


@given(TICKETS, st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"]))
def test_business_time_never_exceeds_calendar_time(rows, timezone) -> None:
    frame = _frame(rows).drop_nulls("first_response_at")
    hours = parse_business_hours("mon-fri 09:00-17:00, sat 10:00-12:00")
    got = frame.select(
        business=hours.between(pl.col("created_at"), pl.col("first_response_at"), timezone)
        / HOUR_US,
        calendar=(pl.col("first_response_at") - pl.col("created_at")).dt.total_microseconds()
        / HOUR_US,
    ).filter(pl.col("calendar") >= 0)
    assert (got["business"] >= 0).all()
    assert (got["business"] <= got["calendar"] + 1e-9).all()


@given(TICKETS, st.booleans())
def test_medians_between_extremes_and_shares_are_fractions(rows, business) -> None:
    options = {"business_hours": "mon-fri 09:00-17:00"} if business else {}
    report = cm.support(cm.load(tickets=_frame(rows)), sla_first_response="4h", **WINDOW, **options)
    metrics = report.metrics
    for name in ("first_response", "resolution"):
        median, p90 = (metrics[f"support.{name}_{k}_hours"] for k in ("median", "p90"))
        if median is not None:
            # every duration is >= 0, and the median is at most the 90th percentile
            assert p90 is not None and 0 <= median <= p90 + 1e-9
    for key, value in metrics.items():
        if key.endswith(("_share", "_rate")) and value is not None:
            assert 0 <= value <= 1, key
