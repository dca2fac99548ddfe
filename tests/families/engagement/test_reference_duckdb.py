"""Engagement's headline metrics agree with an independent DuckDB SQL implementation."""

from __future__ import annotations

import pytest

from csmetrics.families.engagement import EngagementParams
from tests.families.engagement.reference_duckdb import engagement_reference
from tests.families.reference import WINDOWS, bounds
from tests.helpers import engagement


@pytest.mark.parametrize(("since", "until"), WINDOWS)
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_engagement_matches_duckdb(sample_events, fmt: str, since: str, until: str) -> None:
    path = sample_events[fmt]
    params = EngagementParams(inactive_events=("email_opened",))
    ours = engagement(path, params, since=since, until=until).metrics
    theirs = engagement_reference(str(path), *bounds(since, until), inactive=("email_opened",))
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
