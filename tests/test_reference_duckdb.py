"""Every engagement headline metric agrees with an independent DuckDB SQL implementation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bench.reference import engagement_reference

from csmetrics.families.engagement import EngagementParams
from csmetrics.sample import SampleOptions, write_sample
from tests.helpers import engagement

WINDOWS = [
    ("2026-09-01", "2026-10-01"),  # a month, with MAU30 reaching into August
    ("2026-10-12", "2026-10-19"),  # a week
    ("2026-08-15", "2026-10-31"),  # window ending on the data's last (partial) day
]


@pytest.fixture(scope="module")
def sample_events(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sample")
    out = {}
    for fmt in ("parquet", "csv"):
        target = folder / fmt
        write_sample(target, SampleOptions(seed=11, accounts=25, months=4, events_format=fmt))
        out[fmt] = target / f"events.{fmt}"
    return out


@pytest.mark.parametrize(("since", "until"), WINDOWS)
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_engagement_matches_duckdb(sample_events, fmt: str, since: str, until: str) -> None:
    path = sample_events[fmt]
    params = EngagementParams(inactive_events=("email_opened",))
    ours = engagement(path, params, since=since, until=until).metrics
    bounds = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in (since, until)]
    theirs = engagement_reference(str(path), *bounds, inactive=("email_opened",))
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
