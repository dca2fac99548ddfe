"""A headline's history (families/history.py) over the earlier windows is the family's own
value in each of them, computed in one pass; windows before the data are not history."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import csmetrics as cm
from csmetrics.families.catalogue import FAMILIES
from csmetrics.families.history import earlier_windows, family_history

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "csmetrics.toml"


@pytest.fixture(scope="module")
def inputs() -> cm.Inputs:
    return cm.load(config=SAMPLE)


@pytest.mark.parametrize("name", ["engagement", "onboarding", "support", "voice", "revenue"])
@pytest.mark.parametrize("period", ["2026-W42", "2026-10"])
def test_history_is_the_family_in_each_window(inputs: cm.Inputs, name: str, period: str) -> None:
    family = FAMILIES[name]
    config = inputs.config
    assert config is not None
    params = family.params(config.family, config.base)
    window = cm.compute_family(name, inputs, None, {"period": period}).window
    history = family_history(family, inputs, window, params)
    assert set(history) == set(family.explainers)
    checked = 0
    for metric, found in history.items():
        for earlier, value in found.values[-3:]:  # the three windows before the window
            bounds = {"since": earlier.since, "until": earlier.until}
            expected = cm.compute_family(name, inputs, None, bounds).metrics[metric]
            assert (value is None) == (expected is None), (metric, earlier.name)
            if value is not None:
                assert math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-9), (
                    metric,
                    earlier.name,
                )
            checked += 1
    assert checked


def test_windows_before_the_data_are_left_out(inputs: cm.Inputs) -> None:
    # the sample's events start 2026-05-01: of the 12 months before 2026-10, May to September
    family = FAMILIES["engagement"]
    window = cm.engagement(inputs, period="2026-10").window
    config = inputs.config
    assert config is not None
    history = family_history(family, inputs, window, family.params(config.family, config.base))
    labels = [w.name for w, _ in history["engagement.stickiness"].values]
    assert labels == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
    assert len(earlier_windows(window)) == 12
