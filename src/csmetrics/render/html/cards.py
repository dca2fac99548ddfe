"""The headline cards: each metric's value with its unit, the previous window's value, the
change judged better or worse in a symbol and a word (render/units.py, as on the terminal),
and a sparkline of the metric's trend where one of the report's tables holds it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from csmetrics.core.json_values import table_records
from csmetrics.render.anomalies import band_note, usual_range
from csmetrics.render.html.vega import PALETTE
from csmetrics.render.units import change, format_value, verdict

if TYPE_CHECKING:
    from csmetrics.results.bands import Band
    from csmetrics.results.report import Report

# metric -> (table, column) of its series over the window's buckets; a filter where the table
# holds several series (retention: the offset)
TRENDS: dict[str, tuple[str, str, pl.Expr | None]] = {
    "engagement.dau_mean": ("activity", "dau", None),
    "engagement.wau": ("activity", "wau7", None),
    "engagement.mau": ("activity", "mau30", None),
    "engagement.stickiness": ("activity", "stickiness", None),
    "onboarding.signups_count": ("activation_by_cohort", "signups", None),
    "onboarding.activation_rate": ("activation_by_cohort", "activation_rate", None),
    "retention.period_1_rate": ("cohorts", "rate", pl.col("offset") == 1),
    "retention.period_4_rate": ("cohorts", "rate", pl.col("offset") == 4),
    "support.tickets_created_count": ("volume", "created", None),
    "support.tickets_solved_count": ("volume", "solved", None),
    "support.backlog_count": ("volume", "backlog", None),
    "support.first_response_median_hours": ("response_times", "first_response_median_hours", None),
    "support.first_response_p90_hours": ("response_times", "first_response_p90_hours", None),
    "support.resolution_median_hours": ("response_times", "resolution_median_hours", None),
    "support.resolution_p90_hours": ("response_times", "resolution_p90_hours", None),
    "voice.nps": ("nps_trend", "nps", None),
    "voice.nps_responses_count": ("nps_trend", "responses", None),
    "revenue.mrr": ("mrr_movements", "ending", None),
    "revenue.paying_accounts_count": ("mrr_movements", "ending_accounts", None),
}


@dataclass(frozen=True)
class Card:
    metric: str
    title: str
    definition: str
    value: str
    previous: str | None  # None: no previous window (a family command)
    change: str
    verdict: str  # "▲ better", "▼ worse", "▲ up", "= same" or ""
    tone: str  # better, worse or neutral: the CSS class (the words say it without colour)
    trend: list[dict[str, Any]] | None  # the sparkline's rows, from the trend's table
    usual: str = ""  # the anomaly band's range ("€5,191.78 to €7,274.57"), when there is one
    flag: str = ""  # why the value is outside it, when it is


def cards_of(
    report: Report, previous: Report | None, bands: Mapping[str, Band] | None = None
) -> list[Card]:
    out = []
    for key, value in report.metrics.items():
        info = report.metric_info(key)
        band = (bands or {}).get(key)
        before = None if previous is None else previous.metrics.get(key)
        judged, colour = verdict(value, before, info.direction)
        tone = {"green": "better", "red": "worse"}.get(colour, "neutral")
        out.append(
            Card(
                metric=key,
                title=info.title,
                definition=info.definition,
                value=format_value(value, info.unit, report.currency),
                previous=None
                if previous is None
                else format_value(before, info.unit, report.currency),
                change=change(value, before, info.unit),
                verdict=judged,
                tone=tone,
                trend=trend_of(report, key),
                usual="" if band is None else usual_range(band, info.unit, report.currency),
                flag=band_note(band, info, report.currency) if band and band.flagged else "",
            )
        )
    return out


def trend_of(report: Report, metric: str) -> list[dict[str, Any]] | None:
    """The metric's series as rows `{x, y}` of its trend table; None without two points."""
    if metric not in TRENDS:
        return None
    table, column, where = TRENDS[metric]
    frame = report.tables.get(table)
    if frame is None or column not in frame.columns:
        return None
    rows = frame if where is None else frame.filter(where)
    x = rows.columns[0]  # every trend table's first column is its bucket, cohort or month
    series = rows.select(pl.col(x).alias("x"), pl.col(column).alias("y")).drop_nulls("y")
    return table_records(series) if series.height >= 2 else None


def sparkline_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "width": 120,
        "height": 28,
        "padding": 2,
        "data": {"values": rows},
        "mark": {"type": "line", "strokeWidth": 1.5, "color": PALETTE[0]},
        "encoding": {
            "x": {"field": "x", "type": "ordinal", "sort": None, "axis": None},
            "y": {
                "field": "y",
                "type": "quantitative",
                "axis": None,
                "scale": {"zero": False},
            },
        },
    }
