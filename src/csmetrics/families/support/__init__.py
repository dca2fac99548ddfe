"""Support (metrics.md): volume, backlog, first response and resolution times, first-contact
resolution, reopens, SLA breaches and ticket CSAT, with business hours when configured.

`tickets` turns each ticket into facts (answered, solved, durations) once; `measures` aggregates
them into the headline and any `--by` breakdown; `tables` builds the time series.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Family, FamilyResult, Frames, Lookback, RunContext
from csmetrics.families.shared.waits import distribution_table, plan_counts
from csmetrics.families.support.contract import FRAMES
from csmetrics.families.support.durations import duration_notes, null_unusable
from csmetrics.families.support.explain import EXPLAINERS
from csmetrics.families.support.measures import counted_problems, measures
from csmetrics.families.support.metrics import METRICS, RESPONDED, TABLES
from csmetrics.families.support.params import (
    SETTINGS,
    SupportParams,
    needed_columns,
    parameters,
    params_from_config,
)
from csmetrics.families.support.tables import response_times, volume_counts, volume_table
from csmetrics.families.support.tickets import ticket_facts


def lookback(window: Window, params: SupportParams) -> Lookback:
    return Lookback(None, "the backlog (tickets created earlier and still open)")


def ticket_stage(
    frames: Frames, columns: Columns, window: Window, params: SupportParams
) -> dict[str, pl.LazyFrame]:
    """The per-ticket facts, materialised once: every output reads them (a lazy cache would be
    split between readers projecting different columns, redoing the business-time arithmetic)."""
    return {"facts": ticket_facts(frames["tickets"], columns, window, params)}


def plan(
    frames: Frames, columns: Columns, window: Window, params: SupportParams
) -> dict[str, pl.LazyFrame]:
    present = columns["tickets"]
    facts = frames["facts"]
    planned = {
        "headline": facts.select(*measures(present, params), *counted_problems()),
        "response_times": response_times(facts, window),
        # the tickets the first-response median is over (measures.py)
        "response_counts": plan_counts(
            facts.filter(pl.col("in_window") & pl.col("answered")), "response_hours"
        ),
    }
    names = (
        ["created", "solved", "open_at_start"]
        if "solved_at" in present
        else ["created", "open_at_start"]
    )
    planned.update(zip(names, volume_counts(facts, window, "solved_at" in present), strict=True))
    if params.by:
        planned["by"] = facts.group_by("by").agg(measures(present, params))
    return planned


def assemble(
    results: Mapping[str, pl.DataFrame], ctx: RunContext, params: SupportParams
) -> FamilyResult:
    window, observed = ctx.window, ctx.observed["tickets"]
    present = ctx.columns["tickets"]
    headline = results["headline"].row(0, named=True)
    notes, unusable = duration_notes(present, params)
    metrics = null_unusable(
        {k: _number(v) for k, v in headline.items() if k.startswith("support.")}, unusable
    )
    own = _warnings(metrics, headline, present, params)
    warnings = notes + [w for w in own if w.metric not in unusable]
    tables = {
        "volume": volume_table(
            results["created"],
            results.get("solved"),
            int(results["open_at_start"]["open_at_start"][0]),
            window,
            observed,
        ),
        "response_times": window.buckets(observed)
        .select("bucket", "partial")
        .join(results["response_times"], on="bucket", how="left")
        .sort("bucket")
        .select(pl.exclude("partial"), "partial"),
        "first_response_distribution": distribution_table(results["response_counts"], "tickets"),
    }
    responded = {need.split(".", 1)[1] for need in RESPONDED.split("|")}
    if "support.first_response_median_hours" in unusable or not responded & set(present):
        # no response times to count: unknown, not zero tickets in every bucket
        tables["first_response_distribution"] = tables["first_response_distribution"].with_columns(
            pl.lit(None, pl.Int64).alias("tickets"), pl.lit(None, pl.Float64).alias("share")
        )
    if "support.tickets_solved_count" in unusable or not (
        {"solved_at", "resolution_minutes", "resolution_business_minutes"} & set(present)
    ):
        # nothing says when a ticket was solved: no solves and no backlog, rather than none
        # solved and all in the backlog (the headline's reason is families/needs.py's)
        tables["volume"] = tables["volume"].with_columns(
            pl.lit(None, pl.Int64).alias("solved"), pl.lit(None, pl.Int64).alias("backlog")
        )
    if params.by:
        by = results["by"].rename({"by": params.by}).sort(params.by)
        by = by.with_columns(pl.lit(None, pl.Float64).alias(m) for m in sorted(unusable))
        tables[f"by_{params.by}"] = by.rename({c: c.removeprefix("support.") for c in by.columns})
    return FamilyResult(metrics, tables, warnings)


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


NEEDS = {
    "support.first_contact_resolution_rate": "agent_replies",
    "support.reopen_rate": "reopens",
    "support.csat_rate": "satisfaction",
    "support.csat_response_rate": "satisfaction",
}


def _warnings(
    metrics: Mapping[str, float | None],
    counts: Mapping[str, object],
    present: tuple[str, ...],
    params: SupportParams,
) -> list[DataWarning]:
    out: list[DataWarning] = []
    for metric, column in NEEDS.items():
        if column not in present:
            out.append(DataWarning("missing_column", f"tickets have no {column} column", metric))
    if "agent_replies" in present and "reopens" not in present:
        out.append(
            DataWarning(
                "missing_column",
                "tickets have no reopens column: every solved ticket counts as never reopened",
                "support.first_contact_resolution_rate",
            )
        )
    if params.sla_first_response is None:
        out.append(
            DataWarning(
                "not_configured",
                "no first-response SLA configured (--sla-first-response)",
                "support.sla_first_response_breach_rate",
            )
        )
    for kind, metric in (("response", "first_response"), ("resolution", "resolution")):
        count = int(counts[f"negative_{kind}"] or 0)  # type: ignore[call-overload]
        if count:
            out.append(
                DataWarning(
                    "negative_duration",
                    f"{count} tickets have a {kind} before their creation: their duration is "
                    "dropped (the ticket still counts)",
                    f"support.{metric}_median_hours",
                    count=count,
                    source="tickets",
                )
            )
    for metric, value in metrics.items():
        if value is None and not any(w.metric == metric for w in out):
            out.append(DataWarning("empty_denominator", "no tickets to measure it on", metric))
    return out


FAMILY: Family[SupportParams] = Family(
    name="support",
    summary="Volume, backlog, first response and resolution times, FCR, reopens, SLA and CSAT.",
    example=(
        'csmetrics support --tickets tickets.csv --business-hours "mon-fri 09:00-17:00" '
        "--sla-first-response 4h --by channel"
    ),
    required=("tickets",),
    needed_columns=needed_columns,
    plan=plan,
    stages=(ticket_stage,),
    assemble=assemble,
    parameters=parameters,
    lookback=lookback,
    configure=params_from_config,
    settings=SETTINGS,
    metrics=METRICS,
    tables=TABLES,
    frames=FRAMES,
    explainers=EXPLAINERS,
)

__all__ = ["FAMILY", "SupportParams", "params_from_config"]
