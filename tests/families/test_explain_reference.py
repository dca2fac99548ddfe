"""explain's per-segment values and weights agree with an independent DuckDB implementation."""

from __future__ import annotations

from pathlib import Path

import pytest

import csmetrics as cm
from tests.families.explain_reference_duckdb import first_contact_by_channel, stickiness_by
from tests.families.reference import bounds

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def inputs() -> cm.Inputs:
    return cm.load(config=SAMPLE / "csmetrics.toml")


def _ours(
    why: cm.Explanation, column: str, previous: bool
) -> dict[object, tuple[float | None, float]]:
    value, weight = ("previous_value", "previous_weight") if previous else ("value", "weight")
    return {r[column]: (r[value], r[weight]) for r in why.segments.to_dicts() if r[weight]}


def _same(ours: dict, theirs: dict) -> None:
    assert ours.keys() == theirs.keys()
    for segment, (value, weight) in theirs.items():
        assert ours[segment] == pytest.approx((value, weight), rel=1e-9, abs=1e-12), segment


@pytest.mark.parametrize("column", ["segment", "plan"])
def test_stickiness_by_an_accounts_column(inputs: cm.Inputs, column: str) -> None:
    why = cm.explain(inputs, "engagement.stickiness", column, period="2026-10")
    for window, previous in ((why.window, False), (why.previous_window, True)):
        theirs = stickiness_by(
            str(SAMPLE / "events.csv"),
            str(SAMPLE / "accounts.csv"),
            column,
            *bounds(window.since.date().isoformat(), window.until.date().isoformat()),
            ("email_opened",),
        )
        _same(_ours(why, column, previous), theirs)


def test_first_contact_resolution_by_channel(inputs: cm.Inputs) -> None:
    why = cm.explain(inputs, "support.first_contact_resolution_rate", "channel", period="2026-10")
    for window, previous in ((why.window, False), (why.previous_window, True)):
        theirs = first_contact_by_channel(
            str(SAMPLE / "tickets.csv"),
            *bounds(window.since.date().isoformat(), window.until.date().isoformat()),
        )
        _same(_ours(why, "channel", previous), theirs)
