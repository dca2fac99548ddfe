"""Headline cards: the value and change as the terminal writes them, judged better or worse in
words, and a sparkline whose points are the report's own series."""

from __future__ import annotations

import polars as pl

import csmetrics as cm
from csmetrics.core.json_values import table_records
from csmetrics.render.html.cards import TRENDS, cards_of, trend_of
from csmetrics.render.units import change, format_value


def test_cards_show_the_terminal_values(sample_bundle: cm.Bundle) -> None:
    report, previous = sample_bundle.current["revenue"], sample_bundle.previous["revenue"]
    cards = {card.metric: card for card in cards_of(report, previous)}
    assert list(cards) == list(report.metrics)
    mrr = cards["revenue.mrr"]
    now, before = report.metrics["revenue.mrr"], previous.metrics["revenue.mrr"]
    assert mrr.value == format_value(now, "money", "EUR") and mrr.value.startswith("€")
    assert mrr.previous == format_value(before, "money", "EUR")
    assert mrr.change == change(now, before, "money")
    # MRR is better higher: the card says which way in words, not by colour alone
    assert mrr.verdict == ("▲ better" if now > before else "▼ worse")  # type: ignore[operator]
    assert mrr.tone == ("better" if now > before else "worse")  # type: ignore[operator]


def test_a_family_page_has_no_previous(sample_bundle: cm.Bundle) -> None:
    card = cards_of(sample_bundle.current["support"], None)[0]
    assert card.previous is None and card.verdict == "" and card.change == ""


def test_sparklines_are_the_tables_series(sample_bundle: cm.Bundle) -> None:
    report = sample_bundle.current["engagement"]
    rows = trend_of(report, "engagement.dau_mean")
    activity = report.tables["activity"]
    assert rows == table_records(
        activity.select(pl.col("bucket").alias("x"), pl.col("dau").alias("y"))
    )
    retention = sample_bundle.current["retention"]
    period_1 = trend_of(retention, "retention.period_1_rate")
    cohorts = retention.tables["cohorts"].filter(pl.col("offset") == 1).drop_nulls("rate")
    assert period_1 is not None and [r["y"] for r in period_1] == cohorts["rate"].to_list()


def test_every_trend_names_a_column_of_its_table(sample_bundle: cm.Bundle) -> None:
    for metric, (table, column, _) in TRENDS.items():
        report = sample_bundle.current[metric.split(".")[0]]
        assert metric in report.metrics, metric
        assert column in report.tables[table].columns, (metric, table, column)


def test_a_series_of_one_point_has_no_sparkline(sample_bundle: cm.Bundle) -> None:
    # the October report has one month of movements: no MRR sparkline of a single point
    assert sample_bundle.current["revenue"].tables["mrr_movements"].height == 1
    assert trend_of(sample_bundle.current["revenue"], "revenue.mrr") is None
