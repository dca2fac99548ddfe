"""Account health (metrics.md): per account, seven components (frequency, breadth, depth, trend
from the events; support, sentiment and billing when tickets, surveys and billing are given)
scored 0-100 between configurable bad and good values, a weighted score over the components
the account has data for, a band, and the two weakest components as reasons."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Family, FamilyResult, Frames, Lookback, RunContext
from csmetrics.families.health.components import (
    billing_components,
    billing_defaults,
    event_components,
    event_stage,
    line_columns,
    sentiment_components,
    support_components,
)
from csmetrics.families.health.contract import FRAMES, STAGE_FRAMES
from csmetrics.families.health.metrics import METRICS, TABLES
from csmetrics.families.health.params import (
    COMPONENTS,
    SETTINGS,
    HealthParams,
    needed_columns,
    parameters,
    params_from_config,
)
from csmetrics.families.health.score import scored
from csmetrics.families.shared.exact import exact_mean

EVENT_COMPONENTS = ("frequency", "breadth", "depth", "trend")
# the source each further component needs, with an account_id column
SOURCE_OF = {"support": "tickets", "sentiment": "surveys", "billing": "billing"}
ACCOUNT_COLUMNS = ("name", "segment", "owner")
BAND_ORDER = {"red": 0, "yellow": 1, "green": 2}


def lookback(window: Window, params: HealthParams) -> Lookback:
    return Lookback(
        None,
        "active users in the previous window (trend) and the account's most active users in "
        "earlier windows (breadth without seats)",
        others={
            "tickets": "tickets still open at the window's end (stale ones weigh on support)",
            "surveys": "each respondent's latest NPS answer",
            "billing": "MRR at the window's start and invoices still unpaid at its end",
            "subscriptions": "MRR at the window's start",
        },
    )


# Beyond account_id, the columns a component cannot do without (any one of them).
NEEDS_ONE_OF = {"support": ("solved_at", "resolution_minutes")}
NEEDS_TEXT = {
    n: f"{SOURCE_OF[n]} with account_id" + "".join(f" and {' or '.join(c)}" for c in [cols])
    for n, cols in NEEDS_ONE_OF.items()
}


def available_components(columns: Columns) -> tuple[str, ...]:
    # billing's lines may come from a subscriptions export instead (revenue/subscriptions.py)
    of = {**SOURCE_OF, "billing": "billing" if "billing" in columns else "subscriptions"}
    extra = [
        name
        for name, kind in of.items()
        if kind in columns
        and "account_id" in columns[kind]
        and (name not in NEEDS_ONE_OF or any(c in columns[kind] for c in NEEDS_ONE_OF[name]))
    ]
    return tuple(n for n in COMPONENTS if n in (*EVENT_COMPONENTS, *extra))


def plan(
    frames: Frames, columns: Columns, window: Window, params: HealthParams
) -> dict[str, pl.LazyFrame]:
    table = event_components(frames)
    ids = [table.select("account_id")]
    currency: str | None = None
    if "accounts" in frames:
        present = columns["accounts"]
        info = frames["accounts"].select(
            pl.col("account_id").cast(pl.String),
            *(pl.col(n).cast(pl.String) for n in ACCOUNT_COLUMNS if n in present),
            *([pl.col("seats").cast(pl.Int64)] if "seats" in present else []),
        )
        ids.append(info.select("account_id"))
    components = available_components(columns)
    if "support" in components:
        support = support_components(frames["tickets"], columns, window)
    if "sentiment" in components:
        sentiment = sentiment_components(frames["surveys"], window)
    if "billing" in components:
        billing, currency = billing_components(frames, columns, window, params)
        ids.append(
            billing.filter((pl.col("mrr") > 0) | (pl.col("mrr_start") > 0)).select("account_id")
        )
    every = pl.concat(ids).unique()
    joined = every.join(table, on="account_id", how="left")
    counts = ("active_users", "previous_active_users", "user_days", "previous_user_days",
              "features_used", "previous_features_used")  # fmt: skip
    joined = joined.with_columns(pl.col(counts).fill_null(0)).with_columns(
        pl.col("features_all", "previous_features_all").fill_null(pl.col("features_all").max())
    )
    if "accounts" in frames:
        joined = joined.join(info, on="account_id", how="left")
    if "seats" not in joined.collect_schema():
        joined = joined.with_columns(pl.lit(None, pl.Int64).alias("seats"))
    if "support" in components:
        joined = joined.join(support, on="account_id", how="left").with_columns(
            pl.col("tickets", "stale_tickets").fill_null(0)
        )
    if "sentiment" in components:
        joined = joined.join(sentiment, on="account_id", how="left")
    if "billing" in components:
        joined = joined.join(billing, on="account_id", how="left").with_columns(
            pl.col("mrr_start", "mrr").fill_null(0.0)
        )
    if params.owner and "accounts" in frames and "owner" in columns["accounts"]:
        joined = joined.filter(pl.col("owner") == params.owner)
    return {
        "accounts": joined,
        "currency": pl.LazyFrame({"currency": [currency]}, schema={"currency": pl.String}),
    }


def assemble(
    results: Mapping[str, pl.DataFrame], ctx: RunContext, params: HealthParams
) -> FamilyResult:
    components = available_components(ctx.columns)
    billed = "billing" in components
    # a total order (account ids are unique), so sums below never depend on the input's order
    table = scored(results["accounts"], components, params).sort(
        pl.col("band").replace_strict(BAND_ORDER, default=3, return_dtype=pl.Int8),
        *([pl.col("mrr")] if billed else []),
        pl.col("score"),
        pl.col("account_id"),
        descending=[False, *([True] if billed else []), False, False],
        nulls_last=True,
    )
    bands = table["band"]
    metrics: dict[str, float | None] = {
        "health.red_accounts_count": float((bands == "red").sum()),
        "health.yellow_accounts_count": float((bands == "yellow").sum()),
        "health.mrr_at_risk": float(table.filter(pl.col("band") == "red")["mrr"].sum())
        if billed
        else None,
        "health.score_mean": table.select(exact_mean(pl.col("score"))).item(),
    }
    warnings = _null_reasons(metrics, components, ctx, params)
    shown = [
        "account_id",
        *(n for n in ACCOUNT_COLUMNS if n in table.columns),
        "score",
        "band",
        *(x for n in components for x in (n, f"{n}_score")),
        "components",
        "reasons",
        *(["mrr"] if billed else []),
    ]
    ordered = table.select(shown)
    if params.band:
        ordered = ordered.filter(pl.col("band") == params.band)
    return FamilyResult(
        metrics, {"health": ordered}, warnings, currency=results["currency"]["currency"][0]
    )


def _null_reasons(
    metrics: Mapping[str, float | None],
    components: tuple[str, ...],
    ctx: RunContext,
    params: HealthParams,
) -> list[DataWarning]:
    """Components left out and why, an owner filter without owners, and null metrics."""
    warnings: list[DataWarning] = []
    left_out = [n for n in COMPONENTS if n not in components]
    if left_out:
        needs = ", ".join(
            f"{n} ({NEEDS_TEXT.get(n, SOURCE_OF[n] + ' with account_id')})" for n in left_out
        )
        warnings.append(
            DataWarning(
                "components_left_out",
                f"health: left out {needs}; the weights of the others were renormalised",
            )
        )
    if "billing" in components:
        warnings += billing_defaults(line_columns(ctx.columns))
    if params.owner and "owner" not in ctx.columns.get("accounts", ()):
        warnings.append(
            DataWarning("owner_unknown", "--owner needs an accounts source with an owner column")
        )
    if metrics["health.score_mean"] is None:
        warnings.append(
            DataWarning("empty_denominator", "no account has a score", "health.score_mean")
        )
    if metrics["health.mrr_at_risk"] is None:
        warnings.append(
            DataWarning(
                "no_billing", "no billing lines with account_id given", "health.mrr_at_risk"
            )
        )
    return warnings


FAMILY: Family[HealthParams] = Family(
    name="health",
    summary="Account health scores (default: the 30 days before the window's end), bands, reasons.",
    example=("csmetrics health --config csmetrics.toml --band red --owner 'Ana Ruiz'"),
    required=("events",),
    optional=("tickets", "surveys", "billing", "subscriptions", "accounts"),
    needed_columns=needed_columns,
    plan=plan,
    assemble=assemble,
    parameters=parameters,
    lookback=lookback,
    stages=(event_stage,),
    configure=params_from_config,
    settings=SETTINGS,
    metrics=METRICS,
    tables=TABLES,
    frames=FRAMES,
    stage_frames=STAGE_FRAMES,
    default_days=30,
    required_columns={"events": ("account_id",)},
    inherits={"engagement": ("inactive_events", "features"), "revenue": ("currency", "fx_rates")},
)

__all__ = ["FAMILY", "HealthParams", "params_from_config"]
