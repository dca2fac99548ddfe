"""Voice of customer (metrics.md): NPS with its margin of error, CSAT and CES from surveys (CSAT
from ticket ratings when no CSAT survey is given), the NPS trend, the score distribution and
breakdowns by a survey or account column. Comments are written only when asked for."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.timeparts import bucket_expr, local_date
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Family, FamilyResult, Frames, Lookback, RunContext
from csmetrics.families.voice.comments import (
    MIN_RESPONDENTS,
    answer_counts,
    commented,
    term_uses,
    terms_table,
)
from csmetrics.families.voice.contract import FRAMES
from csmetrics.families.voice.cxi import (
    component_counts,
    components_table,
    cxi_measures,
    dropped_counts,
)
from csmetrics.families.voice.explain import EXPLAINERS
from csmetrics.families.voice.metrics import METRICS, TABLES
from csmetrics.families.voice.params import (
    SETTINGS,
    VoiceParams,
    needed_columns,
    parameters,
    params_from_config,
)
from csmetrics.families.voice.responses import (
    latest_answers,
    nps_measures,
    scale_measures,
    ticket_csat,
    trend_counts,
)


def lookback(window: Window, params: VoiceParams) -> Lookback:
    return Lookback(window.since, "nothing")


def _with_by(answers: pl.LazyFrame, frames: Frames, columns: Columns, by: str) -> pl.LazyFrame:
    if by in columns.get("surveys", ()):
        return answers.with_columns(pl.col(by).cast(pl.String).alias("by"))
    if by in columns.get("accounts", ()) and "account_id" in columns.get("surveys", ()):
        accounts = frames["accounts"].select(
            pl.col("account_id").cast(pl.String), pl.col(by).cast(pl.String).alias("by")
        )
        return answers.with_columns(pl.col("account_id").cast(pl.String)).join(
            accounts, on="account_id", how="left"
        )
    raise InputError(
        f"--by {by}: not a column of the surveys, nor of an accounts source joined on account_id"
    )


def plan(
    frames: Frames, columns: Columns, window: Window, params: VoiceParams
) -> dict[str, pl.LazyFrame]:
    planned: dict[str, pl.LazyFrame] = {}
    if "tickets" in frames and "satisfaction" in columns.get("tickets", ()):
        planned["tickets"] = ticket_csat(frames["tickets"], window)
    if "surveys" not in frames:
        return planned
    surveys = frames["surveys"]
    if "component" not in columns["surveys"]:  # no CX index answers can name their component
        surveys = surveys.with_columns(component=pl.lit(None, pl.String))
    answers = latest_answers(surveys, window).cache()
    cxi = cxi_measures(params.cxi_scale)
    planned["headline"] = answers.select(*nps_measures(), *scale_measures(), *cxi)
    planned["cxi_counts"] = component_counts(answers, params.cxi_scale)
    planned["cxi_dropped"] = dropped_counts(answers, params.cxi_scale)
    planned["distribution"] = answers.group_by("survey", "score").agg(pl.len().alias("responses"))
    bucket = bucket_expr(
        local_date(pl.col("submitted_at"), window.timezone), window.grain, window.week_start
    )
    per_bucket = latest_answers(surveys.with_columns(bucket=bucket), window, "bucket")
    planned["trend"] = per_bucket.group_by("bucket").agg(trend_counts())
    if params.by:
        trend_by = _with_by(per_bucket, frames, columns, params.by)
        planned["trend_by"] = trend_by.group_by("bucket", "by").agg(trend_counts())
        by = _with_by(answers, frames, columns, params.by)
        planned["by"] = by.group_by("by").agg(
            *(
                e.name.map(lambda n: n.removeprefix("voice."))
                for e in (*nps_measures(), *scale_measures(), *cxi)
            )
        )
    if "comment" in columns["surveys"]:  # terms only: no comment text leaves the family
        grouped = commented(answers)
        planned["term_uses"] = term_uses(grouped)
        planned["term_answers"] = answer_counts(grouped)
    if params.include_comments and "comment" in columns["surveys"]:
        planned["comments"] = answers.filter(pl.col("comment").is_not_null()).select(
            "submitted_at", "survey", "score", "comment"
        )
    return planned


def _trend_table(trend: pl.DataFrame, ctx: RunContext) -> pl.DataFrame:
    """NPS per bucket of the window, every bucket shown (no answers: 0 responses, null NPS)."""
    return (
        ctx.window.buckets(ctx.observed["surveys"])
        .select("bucket", "partial")
        .join(trend, on="bucket", how="left")
        .with_columns(
            pl.col("responses", "promoters", "passives", "detractors").fill_null(0).cast(pl.Int64)
        )
        .sort("bucket")
        .select(
            "bucket",
            "responses",
            "promoters",
            "passives",
            "detractors",
            "nps",
            pl.col("nps_margin_of_error").alias("margin"),
            "partial",
        )
    )


def cxi_warnings(
    components: pl.DataFrame, dropped: pl.DataFrame, params: VoiceParams
) -> list[DataWarning]:
    """Why the CX index is null (a component without answers), and the answers left out."""
    answered = int(components["answers"].sum())
    row = dropped.row(0, named=True)
    out = []
    if row["outside_scale"]:
        out.append(DataWarning(
            "cxi_outside_scale",
            f"{row['outside_scale']} CX index answers outside the declared scale {params.cxi_scale} "
            "(cxi_scale) were left out",
            "voice.cxi",
            int(row["outside_scale"]),
        ))  # fmt: skip
    if row["unknown_component"]:
        out.append(DataWarning(
            "cxi_unknown_component",
            f"{row['unknown_component']} CX index answers without a known component (effort, "
            "empathy, understanding, efficiency) were left out",
            "voice.cxi",
            int(row["unknown_component"]),
        ))  # fmt: skip
    missing = components.filter(pl.col("answers") == 0)["component"].to_list()
    if answered and missing:
        why = (
            f"no CX index answers for {', '.join(missing)} in the window: the index needs all four"
        )
        out.append(DataWarning("cxi_component_missing", why, "voice.cxi"))
        out += [
            DataWarning(
                "empty_denominator", f"no CX index answers for {c} in the window", f"voice.cxi_{c}"
            )
            for c in missing
        ]
    return out


def assemble(
    results: Mapping[str, pl.DataFrame], ctx: RunContext, params: VoiceParams
) -> FamilyResult:
    metrics: dict[str, float | None] = dict.fromkeys(m.id for m in METRICS)
    warnings: list[DataWarning] = []
    tables: dict[str, pl.DataFrame] = {}
    if "headline" in results:
        row = results["headline"].row(0, named=True)
        metrics.update({k: None if v is None else float(v) for k, v in row.items()})
        tables["nps_trend"] = _trend_table(results["trend"], ctx)
        distribution = results["distribution"].with_columns(
            share=pl.col("responses") / pl.col("responses").sum().over("survey")
        )
        tables["score_distribution"] = distribution.sort("survey", "score").with_columns(
            pl.col("responses").cast(pl.Int64)
        )
    if "tickets" in results and metrics["voice.csat_rate"] is None:
        row = results["tickets"].row(0, named=True)
        metrics["voice.csat_rate"] = row["csat_rate"]
        if row["rated"]:
            warnings.append(
                DataWarning(
                    "from_tickets",
                    f"CSAT rate from {row['rated']} rated tickets (no CSAT survey answers)",
                    "voice.csat_rate",
                )
            )
    if params.by and "by" in results:
        tables[f"by_{params.by}"] = results["by"].rename({"by": params.by}).sort(params.by)
        tables[f"nps_trend_by_{params.by}"] = (
            results["trend_by"]
            .rename({"by": params.by, "nps_margin_of_error": "margin"})
            .sort("bucket", params.by)
        )
    if "cxi_counts" in results:
        tables["cxi_components"] = components_table(results["cxi_counts"])
        warnings += cxi_warnings(tables["cxi_components"], results["cxi_dropped"], params)
    if "term_uses" in results:
        tables["comment_terms"] = terms_table(results["term_uses"], results["term_answers"])
        if tables["comment_terms"].height == 0 and results["term_answers"].height:
            warnings.append(
                DataWarning(
                    "few_comment_terms",
                    f"comment terms: no term is used by {MIN_RESPONDENTS} or more of the window's "
                    "low or high answers (the privacy floor), so none is shown",
                )
            )
    if "comments" in results:
        tables["comments"] = results["comments"].sort("submitted_at", descending=True)
    for metric, value in metrics.items():
        if value is None and not any(w.metric == metric for w in warnings):
            kind = metric.split(".")[1].split("_")[0]
            warnings.append(
                DataWarning("empty_denominator", f"no {kind.upper()} answers in the window", metric)
            )
    return FamilyResult(metrics, tables, warnings)


FAMILY: Family[VoiceParams] = Family(
    name="voice",
    summary="NPS with its margin of error, CSAT and CES; the NPS trend and score distribution.",
    example=(
        "csmetrics voice --surveys nps.csv --accounts accounts.csv --by segment --grain month"
    ),
    required=(),
    one_of=("surveys", "tickets"),
    optional=("accounts",),
    needed_columns=needed_columns,
    plan=plan,
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

__all__ = ["FAMILY", "VoiceParams", "params_from_config"]
