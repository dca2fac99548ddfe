"""Charts of the business families' tables: support, voice, revenue and health."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from csmetrics.render.html.charts import (
    DAY_AXIS,
    PALETTE,
    Builder,
    Chart,
    bars,
    chart,
    distribution,
    lines,
    span,
)
from csmetrics.render.units import MISSING, money

# health bands: vermillion, orange and bluish green (Okabe & Ito), named on the axis too
BANDS = {"red": PALETTE[3], "yellow": PALETTE[1], "green": PALETTE[2]}
# the waterfall's steps, in the terminal's order (render/waterfall.py): gains, then losses
STEPS = (("new", 1), ("reactivation", 1), ("expansion", 1), ("contraction", -1), ("churn", -1))


def volume(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    over = span(frame, "bucket")
    return [
        chart(
            frame,
            id="support-volume",
            title="Tickets created and solved",
            alt=f"Lines of tickets created and solved per bucket, {over}.",
            table="volume",
            columns={"bucket": "bucket", "created": "created", "solved": "solved"},
            spec=lines(["created", "solved"], "tickets"),
        ),
        chart(
            frame,
            id="support-backlog",
            title="Backlog (open tickets at each bucket's end)",
            alt=f"Line of the open tickets at the end of each bucket, {over}.",
            table="volume",
            columns={"bucket": "bucket", "backlog": "backlog"},
            spec=lines(["backlog"], "open tickets", points=frame.height),
        ),
    ]


def response_times(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    names = {"first_response_median_hours": "median", "first_response_p90_hours": "90th percentile"}
    return [
        chart(
            frame,
            id="support-first-response",
            title="First response time: median and 90th percentile",
            alt="Lines of the median and 90th-percentile hours to a first response of the "
            f"tickets created in each bucket, {span(frame, 'bucket')}.",
            table="response_times",
            columns={"bucket": "bucket", **names},
            spec=lines(list(names.values()), "hours"),
        )
    ]


def first_responses(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    return [
        distribution(
            frame,
            id="support-first-response-distribution",
            title="First response times",
            table="first_response_distribution",
            counted="tickets",
            what="answered tickets, by hours to their first response,",
        )
    ]


def nps_trend(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    """NPS per bucket with its margin of error as a band (Vega-Lite's errorband reads the
    table's margin as it is)."""
    x = {"field": "bucket", "type": "temporal", **DAY_AXIS}
    y = {"field": "NPS", "type": "quantitative", "scale": {"domain": [-100, 100]}}
    spec = {
        "layer": [
            {
                "mark": {"type": "errorband", "color": PALETTE[5], "opacity": 0.3},
                "encoding": {"x": x, "y": y, "yError": {"field": "margin"}},
            },
            {
                "mark": {"type": "line", "point": True, "color": PALETTE[0]},
                "encoding": {"x": x, "y": y},
            },
        ]
    }
    return [
        chart(
            frame,
            id="voice-nps-trend",
            title="NPS with its margin of error",
            alt=f"Line of the NPS per bucket, {span(frame, 'bucket')}, in a band of its "
            "95% margin of error; buckets without answers are left out.",
            table="nps_trend",
            columns={
                "bucket": "bucket",
                "nps": "NPS",
                "margin": "margin",
                "responses": "responses",
            },
            spec=spec,
            where=pl.col("nps").is_not_null(),
        )
    ]


def score_distribution(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    out = []
    for survey in ("nps", "csat", "ces"):
        rows = frame.filter(pl.col("survey") == survey)
        if rows.is_empty():
            continue
        spec: dict[str, Any] = {
            "mark": {"type": "bar", "color": PALETTE[0]},
            "encoding": {
                "x": {"field": "score", "type": "ordinal", "axis": {"labelAngle": 0}},
                "y": {"field": "responses", "type": "quantitative"},
            },
        }
        if survey == "nps":  # detractors 0-6, passives 7-8, promoters 9-10 (metrics.md)
            spec["encoding"]["color"] = {
                "condition": [
                    {"test": "datum.score >= 9", "value": PALETTE[2]},
                    {"test": "datum.score >= 7", "value": "#999999"},
                ],
                "value": PALETTE[3],
            }
        out.append(
            chart(
                frame,
                id=f"voice-{survey}-scores",
                title=f"{survey.upper()} scores",
                alt=f"Bars of the {survey.upper()} answers per score: "
                + ", ".join(f"{s:g}: {n}" for s, n in rows.select("score", "responses").rows()),
                table="score_distribution",
                columns={"score": "score", "responses": "responses", "share": "share"},
                spec=spec,
                where=pl.col("survey") == survey,
            )
        )
    return out


def waterfall_bars(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The month's bars: its starting level, each movement from the running level, the
    ending level. `amount` is the table's value; `low`/`high` only place the bar."""
    level = float(row["starting"])
    out = [{"step": "starting", "low": 0.0, "high": level, "amount": level, "kind": "level"}]
    for name, sign in STEPS:
        amount = float(row[name])
        after = level + sign * amount
        kind = "gain" if sign > 0 else "loss"
        out.append(
            {
                "step": name,
                "low": min(level, after),
                "high": max(level, after),
                "amount": amount,
                "kind": kind,
            }
        )
        level = after
    ending = float(row["ending"])
    out.append({"step": "ending", "low": 0.0, "high": ending, "amount": ending, "kind": "level"})
    return out


def mrr_movements(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    ordered = frame.sort("month")
    last = ordered.row(-1, named=True)
    month = last["month"]
    spec = {
        "encoding": {
            "x": {
                "field": "step",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelAngle": -35},
            },
            "y": {"field": "low", "type": "quantitative", "title": currency or "MRR"},
        },
        "layer": [
            {
                "mark": "bar",
                "encoding": {
                    "y2": {"field": "high"},
                    "color": {
                        "field": "kind",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": ["level", "gain", "loss"],
                            "range": [PALETTE[0], PALETTE[2], PALETTE[3]],
                        },
                    },
                },
            },
            {
                "mark": {"type": "text", "dy": -6, "fontSize": 10},
                "encoding": {"y": {"field": "high"}, "text": {"field": "amount", "format": ",.0f"}},
            },
        ],
    }
    waterfall = Chart(
        id="revenue-waterfall",
        title=f"MRR movements, {month:%B %Y}",
        alt=f"Waterfall from the starting MRR of {money(float(last['starting']), currency)} "
        f"through new, reactivation, expansion, contraction and churn to the ending MRR of "
        f"{money(float(last['ending']), currency)}.",
        table="mrr_movements",
        columns={name: name for name in ("month", "starting", *dict(STEPS), "ending")},
        spec=spec,
        values=waterfall_bars(last),
        where=pl.col("month") == month,
    )
    if ordered.height < 2:
        return [waterfall]
    trend = chart(
        frame,
        id="revenue-mrr-trend",
        title="MRR at each month's end",
        alt=f"Line of the ending MRR of each month, {span(frame, 'month')}.",
        table="mrr_movements",
        columns={"month": "month", "ending": "MRR"},
        spec=lines(["MRR"], currency or "MRR", x="month", points=frame.height),
    )
    return [trend, waterfall]


def mrr_by_group(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    group = next(
        c
        for c in frame.columns
        if c not in ("month",)
        and not c.startswith(
            ("starting", "new", "expansion", "contraction", "churn", "reactivation", "ending")
        )
    )
    month: date = frame["month"].max()  # type: ignore[assignment]
    rows = frame.filter(pl.col("month") == month)
    return [
        chart(
            frame,
            id=f"revenue-mrr-by-{group}",
            title=f"MRR by {group}, {month:%B %Y}",
            alt=f"Bars of the ending MRR of each {group}: "
            + "; ".join(
                f"{g}: {money(float(e), currency)}"
                for g, e in rows.select(group, "ending").rows()
                if e is not None
            ),
            table=f"mrr_by_{group}",
            columns={group: group, "ending": "ending MRR"},
            spec=bars(group, "ending MRR", currency or "MRR", ",.0f"),
            where=pl.col("month") == month,
        )
    ]


def ar_aging(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    return [
        chart(
            frame,
            id="revenue-ar-aging",
            title="Unpaid amounts by age",
            alt="Bars of the unpaid amount per age bucket: "
            + "; ".join(
                f"{b}: {MISSING if a is None else money(float(a), currency)}"
                for b, a in frame.select("bucket", "amount").rows()
            ),
            table="ar_aging",
            columns={"bucket": "bucket", "amount": "amount", "invoices": "invoices"},
            spec=bars("bucket", "amount", currency or "amount", ",.0f"),
        )
    ]


def health_bands(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    """Accounts per band: Vega-Lite counts the table's rows of each band (the red and yellow
    counts are also the family's metrics; a test checks they agree)."""
    spec = {
        "encoding": {
            "y": {"field": "band", "type": "nominal", "sort": list(BANDS), "title": None},
            "x": {"aggregate": "count", "type": "quantitative", "title": "accounts"},
        },
        "layer": [
            {
                "mark": "bar",
                "encoding": {
                    "color": {
                        "field": "band",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": list(BANDS), "range": list(BANDS.values())},
                    }
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 11},
                "encoding": {"text": {"aggregate": "count", "type": "quantitative"}},
            },
        ],
    }
    counts = frame.group_by("band").len().sort("band")
    return [
        chart(
            frame,
            id="health-bands",
            title="Accounts by health band",
            alt="Bars of the accounts in each band: "
            + "; ".join(f"{b}: {n}" for b, n in counts.rows()),
            table="health",
            columns={"account_id": "account", "band": "band"},
            spec=spec,
        )
    ]


BUSINESS: dict[str, Builder] = {
    "support.volume": volume,
    "support.response_times": response_times,
    "support.first_response_distribution": first_responses,
    "voice.nps_trend": nps_trend,
    "voice.score_distribution": score_distribution,
    "revenue.mrr_movements": mrr_movements,
    "revenue.mrr_by_plan": mrr_by_group,
    "revenue.ar_aging": ar_aging,
    "health.health": health_bands,
}
