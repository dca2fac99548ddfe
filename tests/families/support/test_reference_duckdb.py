"""Support's headline metrics agree with an independent DuckDB SQL implementation, in calendar
and in business time."""

from __future__ import annotations

import pytest

import csmetrics as cm
from tests.families.reference import WINDOWS, bounds, same
from tests.families.support.reference_duckdb import support_reference


@pytest.mark.parametrize(("since", "until"), WINDOWS)
@pytest.mark.parametrize("business", [False, True])
def test_support_matches_duckdb(sample_events, since: str, until: str, business: bool) -> None:
    path = sample_events["csv"].parent / "tickets.csv"
    options = {"business_hours": "mon-fri 09:00-17:00"} if business else {}
    ours = cm.support(
        cm.load(tickets=str(path)), sla_first_response="4h", since=since, until=until, **options
    ).metrics
    theirs = support_reference(str(path), *bounds(since, until), sla_hours=4, business=business)
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        same(ours[key], value, key)
