"""Onboarding's headline metrics agree with an independent DuckDB SQL implementation."""

from __future__ import annotations

import pytest

import csmetrics as cm
from tests.families.onboarding.reference_duckdb import onboarding_reference
from tests.families.reference import WINDOWS, bounds, same

ONBOARDING = {
    "activation": ("created_project", "invited_user"),
    "window_days": 7,
    "steps": ("signed_up", "created_project", "invited_user", "connected_integration"),
    "conversion_days": 3,
}


@pytest.mark.parametrize(("since", "until"), WINDOWS)
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_onboarding_matches_duckdb(sample_events, fmt: str, since: str, until: str) -> None:
    path = sample_events[fmt]
    ours = cm.onboarding(
        cm.load(events=str(path)),
        activation_events=ONBOARDING["activation"],
        activation_window="7d",
        steps=ONBOARDING["steps"],
        conversion_window="3d",
        since=since,
        until=until,
    ).metrics
    theirs = onboarding_reference(str(path), *bounds(since, until), **ONBOARDING)
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        same(ours[key], value, key)
