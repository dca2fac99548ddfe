"""`explain` on the sample data: for every metric it can split, its value in each window is the
family's own headline, and the segments' contributions add up to the change; the mistakes a
user makes (an unknown metric or column) are one-line input errors naming what exists."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.api import explainable_metrics
from csmetrics.api import families as family_declarations

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "csmetrics.toml"
# a column to split by, per source of the units: an accounts column for events and surveys
BY = {"events": "segment", "tickets": "channel", "surveys": "segment", "billing": "plan"}


@pytest.fixture(scope="module")
def inputs() -> cm.Inputs:
    return cm.load(config=SAMPLE)


@pytest.fixture(scope="module")
def reports(inputs: cm.Inputs) -> dict[str, tuple[cm.Report, cm.Report]]:
    """Each family's report of October 2026 and of September, the window before it."""
    out = {}
    for family in family_declarations():
        current = cm.compute_family(family, inputs, None, {"period": "2026-10"})
        previous = cm.compute_family(family, inputs, None, {"period": "2026-09"})
        out[family] = (current, previous)
    return out


def _source(metric: str) -> str:
    from csmetrics.families.explaining import explainer_of

    return explainer_of(metric)[1].source


@pytest.mark.parametrize("metric", list(explainable_metrics()))
def test_explain_agrees_with_the_family(
    metric: str, inputs: cm.Inputs, reports: dict[str, tuple[cm.Report, cm.Report]]
) -> None:
    why = cm.explain(inputs, metric, BY[_source(metric)], period="2026-10")
    current, previous = reports[metric.split(".")[0]]
    assert why.previous_window.name == "2026-09"
    for got, expected in (
        (why.value, current.metrics[metric]),
        (why.previous_value, previous.metrics[metric]),
    ):
        assert (got is None) == (expected is None)
        if got is not None:
            assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)
    if why.kind != "quantile" and why.change is not None:
        total = why.segments["contribution"].sum()
        assert math.isclose(total, why.change, rel_tol=1e-9, abs_tol=1e-9)


def test_several_columns_split_by_their_combinations(inputs: cm.Inputs) -> None:
    why = cm.explain(
        inputs, "support.tickets_created_count", ["channel", "segment"], period="2026-10"
    )
    assert why.by == ("channel", "segment")
    by_channel = cm.explain(inputs, "support.tickets_created_count", "channel", period="2026-10")
    summed = why.segments.group_by("channel").agg(pl.col("value").sum())
    assert dict(summed.iter_rows()) == dict(
        by_channel.segments.select("channel", "value").iter_rows()
    )
    record = why.to_json_dict()["segments"][0]
    assert set(record["segment"]) == {"channel", "segment"}


def test_a_compare_window_replaces_the_previous_one(inputs: cm.Inputs) -> None:
    why = cm.explain(
        inputs,
        "revenue.mrr",
        "plan",
        period="2026-10",
        compare_since="2026-06-01",
        compare_until="2026-07-01",
    )
    june = cm.revenue(inputs, period="2026-06")
    assert why.previous_value == pytest.approx(june.metrics["revenue.mrr"])


def test_an_unknown_metric_names_the_closest(inputs: cm.Inputs) -> None:
    with pytest.raises(cm.InputError, match=r"engagement\.stickiness"):
        cm.explain(inputs, "engagement.stickyness", "segment")


def test_an_unknown_column_names_the_closest(inputs: cm.Inputs) -> None:
    with pytest.raises(cm.InputError, match=r"--by segmnt: no such column .*did you mean segment"):
        cm.explain(inputs, "engagement.stickiness", "segmnt", period="2026-10")


def test_half_a_compare_window_is_a_config_error(inputs: cm.Inputs) -> None:
    with pytest.raises(cm.ConfigError, match="both --compare-since and --compare-until"):
        cm.explain(inputs, "revenue.mrr", "plan", compare_since="2026-06-01")


@pytest.mark.parametrize(
    "metric", ["engagement.stickiness", "engagement.dau_mean", "onboarding.activation_rate"]
)
def test_a_window_not_at_midnight_agrees_too(inputs: cm.Inputs, metric: str) -> None:
    # the shared user days cover whole days: a window ending at noon computes its own
    bounds = {"since": "2026-10-01T12:00:00", "until": "2026-10-20T12:00:00"}
    why = cm.explain(inputs, metric, "segment", **bounds)
    family = metric.split(".")[0]
    assert why.value == pytest.approx(
        cm.compute_family(family, inputs, None, bounds).metrics[metric]
    )
    earlier = {"since": why.previous_window.since, "until": why.previous_window.until}
    expected = cm.compute_family(family, inputs, None, earlier).metrics[metric]
    assert why.previous_value == pytest.approx(expected)
