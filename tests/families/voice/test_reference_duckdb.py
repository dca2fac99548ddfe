"""Voice of customer's headline metrics agree with an independent DuckDB SQL implementation."""

from __future__ import annotations

import pytest

import csmetrics as cm
from tests.families.reference import WINDOWS, bounds, same
from tests.families.voice.reference_duckdb import voice_reference


@pytest.mark.parametrize(("since", "until"), WINDOWS)
def test_voice_matches_duckdb(sample_events, since: str, until: str) -> None:
    path = sample_events["csv"].parent / "surveys.csv"
    ours = cm.voice(cm.load(surveys=str(path)), since=since, until=until).metrics
    theirs = voice_reference(str(path), *bounds(since, until))
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        same(ours[key], value, key)
