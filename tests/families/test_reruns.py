"""Reruns are byte-identical (issue 21, item 7): every family's metrics, computed from the
sample's rows in two different orders, are the same floats to the last bit. Means are exact decimal sums (families/shared/exact.py); everything
else is counts, integer sums or order statistics."""

from __future__ import annotations

from pathlib import Path

import polars as pl

import csmetrics as cm

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
KINDS = ("events", "tickets", "billing", "surveys", "accounts")
WINDOW = {"period": "2026-10"}
PARAMS = {"onboarding": {"activation_events": ["created_project"]}}


def _bundle(seed: int | None) -> cm.Bundle:
    frames = {kind: pl.read_csv(SAMPLE / f"{kind}.csv", infer_schema=False) for kind in KINDS}
    if seed is not None:
        frames = {
            kind: frame.sample(fraction=1.0, shuffle=True, seed=seed)
            for kind, frame in frames.items()
        }
    return cm.report(cm.load(**frames), params=PARAMS, **WINDOW)


def test_shuffled_rows_give_the_same_metrics_to_the_last_bit() -> None:
    first, second = _bundle(None), _bundle(7)
    assert first.current.keys() == second.current.keys()
    for family, report in first.current.items():
        other = second.current[family]
        assert report.metrics == other.metrics, family  # ==, not approx
    assert any(
        isinstance(v, float) and not float(v).is_integer()
        for report in first.current.values()
        for v in report.metrics.values()
        if v is not None
    )
