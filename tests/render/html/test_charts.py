"""Every chart draws the report's own numbers: its data are rows of one report table (the rows
its filter keeps, columns renamed), and the waterfall's bars span exactly the movements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.json_values import table_records
from csmetrics.render.html.business import waterfall_bars
from csmetrics.render.html.gallery import charts_of
from csmetrics.render.html.vega import svg_of

FAMILIES = ("onboarding", "engagement", "retention", "support", "voice", "revenue", "health")


def _charts(bundle: cm.Bundle, family: str) -> list:
    report = bundle.current[family]
    return charts_of(family, report.tables, report.currency)


@pytest.mark.parametrize("family", FAMILIES)
def test_each_chart_draws_rows_of_its_table(sample_bundle: cm.Bundle, family: str) -> None:
    report = sample_bundle.current[family]
    charts = _charts(sample_bundle, family)
    assert charts, f"{family} has no chart"
    for chart in charts:
        if chart.id == "revenue-waterfall":
            continue  # placed from the movements: test_waterfall_*
        table = report.tables[chart.table]
        rows = table if chart.where is None else table.filter(chart.where)
        expected = table_records(rows.select(pl.col(c).alias(n) for c, n in chart.columns.items()))
        assert chart.values == expected, chart.id
        assert chart.values, f"{chart.id} draws nothing"


def test_the_charts_of_the_issue_are_there(sample_bundle: cm.Bundle) -> None:
    ids = {chart.id for family in FAMILIES for chart in _charts(sample_bundle, family)}
    assert {
        "engagement-active-users", "engagement-stickiness", "retention-cohorts",
        "retention-lifecycle", "onboarding-funnel", "support-backlog",
        "support-first-response", "voice-nps-trend", "voice-nps-scores",
        "revenue-waterfall", "revenue-mrr-by-plan", "health-bands",
        "onboarding-time-to-value", "support-first-response-distribution",
    } <= ids  # fmt: skip


def test_waterfall_bars_by_hand() -> None:
    # starting 100, +20 new, +5 reactivation, +10 expansion, -8 contraction, -7 churn:
    # 100 -> 120 -> 125 -> 135 -> 127 -> 120 = ending
    row = {"starting": Decimal("100"), "new": Decimal("20"), "reactivation": Decimal("5"),
           "expansion": Decimal("10"), "contraction": Decimal("8"), "churn": Decimal("7"),
           "ending": Decimal("120")}  # fmt: skip
    spans = [(b["step"], b["low"], b["high"], b["amount"]) for b in waterfall_bars(row)]
    assert spans == [
        ("starting", 0.0, 100.0, 100.0),
        ("new", 100.0, 120.0, 20.0),
        ("reactivation", 120.0, 125.0, 5.0),
        ("expansion", 125.0, 135.0, 10.0),
        ("contraction", 127.0, 135.0, 8.0),
        ("churn", 120.0, 127.0, 7.0),
        ("ending", 0.0, 120.0, 120.0),
    ]


def test_waterfall_amounts_are_the_months_movements(sample_bundle: cm.Bundle) -> None:
    report = sample_bundle.current["revenue"]
    last = report.tables["mrr_movements"].sort("month").row(-1, named=True)
    (chart,) = [c for c in _charts(sample_bundle, "revenue") if c.id == "revenue-waterfall"]
    amounts = {bar["step"]: bar["amount"] for bar in chart.values}
    assert amounts == {step: float(last[step]) for step in amounts}
    bars = {bar["step"]: bar for bar in chart.values}
    # the movements carry the starting level to the ending one
    assert bars["churn"]["low"] == pytest.approx(float(last["ending"]))


def test_health_band_counts_are_the_family_metrics(sample_bundle: cm.Bundle) -> None:
    report = sample_bundle.current["health"]
    (chart,) = [c for c in _charts(sample_bundle, "health") if c.id == "health-bands"]
    bands = [row["band"] for row in chart.values]  # Vega-Lite counts these rows per band
    assert bands.count("red") == report.metrics["health.red_accounts_count"]
    assert bands.count("yellow") == report.metrics["health.yellow_accounts_count"]
    assert len(bands) == report.tables["health"].height


def test_an_empty_table_has_no_chart() -> None:
    empty = pl.DataFrame(schema={"bucket": pl.Date, "created": pl.Int64, "solved": pl.Int64,
                                 "backlog": pl.Int64, "partial": pl.Boolean})  # fmt: skip
    assert charts_of("support", {"volume": empty}, None) == []


def test_mrr_trend_needs_two_months() -> None:
    def movements(months: int) -> pl.DataFrame:
        steps = ("starting", "new", "expansion", "contraction", "churn", "reactivation", "ending")
        return pl.DataFrame(
            {"month": [date(2026, m, 1) for m in range(1, months + 1)]}
            | {s: [10.0 * m for m in range(1, months + 1)] for s in steps}
        )

    assert [c.id for c in charts_of("revenue", {"mrr_movements": movements(1)}, "EUR")] == [
        "revenue-waterfall"
    ]
    two = charts_of("revenue", {"mrr_movements": movements(2)}, "EUR")
    assert [c.id for c in two] == ["revenue-mrr-trend", "revenue-waterfall"]
    assert two[0].values == [
        {"month": "2026-01-01", "MRR": 10.0},
        {"month": "2026-02-01", "MRR": 20.0},
    ]


def test_svg_is_an_image_named_by_its_text_alternative() -> None:
    svg = svg_of(
        {"mark": "bar", "data": {"values": [{"a": "x", "b": 1}]},
         "encoding": {"x": {"field": "a", "type": "nominal"},
                      "y": {"field": "b", "type": "quantitative"}}},
        'Bars of <b> & "c"',
    )  # fmt: skip
    assert svg.startswith("<svg ") and 'role="img"' in svg and 'class="marks chart"' in svg
    assert "<title>Bars of &lt;b&gt; &amp; &quot;c&quot;</title>" in svg
    assert ' width="' not in svg.split(">", 1)[0]  # scaled by CSS through its viewBox
    assert "role-mark" in svg  # Vega drew marks


def test_a_missing_amount_is_said_as_missing_not_zero() -> None:
    aging = pl.DataFrame(
        {"bucket": ["current", "1-30"], "invoices": [1, None], "amount": [10.0, None]}
    )
    (chart,) = charts_of("revenue", {"ar_aging": aging}, "EUR")
    assert chart.alt.endswith("current: €10.00; 1-30: n/a")
