"""Onboarding (metrics.md): signups, activation, time to value, days to onboard, the funnel.

`activation` follows each window signup to its activation and first value; `funnel` follows
entities through the ordered steps. Both read only the few events they name, after one pass
that finds every entity's signup (families/signups.py).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Family, FamilyResult, Frames, Lookback, RunContext
from csmetrics.families.onboarding.activation import (
    by_cohort,
    signup_progress,
    summary,
    with_outcomes,
)
from csmetrics.families.onboarding.contract import FRAMES
from csmetrics.families.onboarding.explain import EXPLAINERS, shared
from csmetrics.families.onboarding.funnel import funnel_counts, funnel_steps, funnel_table
from csmetrics.families.onboarding.metrics import METRICS, TABLES
from csmetrics.families.onboarding.params import (
    SETTINGS,
    OnboardingParams,
    needed_columns,
    parameters,
    params_from_config,
)
from csmetrics.families.shared.signups import (
    entity_events,
    missing_account_rows,
    missing_account_warning,
    signups,
)
from csmetrics.families.shared.waits import distribution_table, plan_counts


def lookback(window: Window, params: OnboardingParams) -> Lookback:
    """Signups are first events: every earlier row is read to know who signed up before."""
    return Lookback(
        None,
        "finding each user's signup (their first event), so that earlier signups are not "
        "counted as new",
    )


def plan(
    frames: Frames, columns: Columns, window: Window, params: OnboardingParams
) -> dict[str, pl.LazyFrame]:
    events = entity_events(frames, columns, window, params.level).select(
        "entity", "event", "timestamp"
    )
    signed = signups(events, params.signup_event, frames, columns, window, params.level)
    outcomes = with_outcomes(
        signup_progress(events, signed, window, params), window, params
    ).cache()
    planned = {
        "summary": summary(outcomes),
        "cohorts": by_cohort(outcomes, window),
        "value_counts": plan_counts(outcomes, "hours_to_value"),
    }
    if params.steps:
        planned["funnel"] = funnel_counts(
            funnel_steps(events, window, params.steps, params.conversion_window)
        )
    missing = missing_account_rows(frames, columns, params.level)
    if missing is not None:
        planned["missing_account"] = missing
    return planned


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def assemble(
    results: Mapping[str, pl.DataFrame], ctx: RunContext, params: OnboardingParams
) -> FamilyResult:
    row = results["summary"].row(0, named=True)
    signups_count, decided = int(row["signups"]), int(row["decided"])
    has_activation, has_value = bool(params.activation_events), params.value is not None
    metrics: dict[str, float | None] = {
        "onboarding.signups_count": float(signups_count),
        "onboarding.activation_rate": _share(row["activated_decided"], decided)
        if has_activation
        else None,
        "onboarding.time_to_value_median_hours": row["ttv_median"] if has_value else None,
        "onboarding.time_to_value_p90_hours": row["ttv_p90"] if has_value else None,
        "onboarding.reached_value_share": _share(row["reached_value"], signups_count)
        if has_value
        else None,
        "onboarding.days_to_onboard_mean": row["dto_mean"] if has_activation else None,
        "onboarding.days_to_onboard_median": row["dto_median"] if has_activation else None,
    }
    tables: dict[str, pl.DataFrame] = {
        "activation_by_cohort": cohort_table(results["cohorts"], has_activation)
    }
    if has_value:
        tables["time_to_value_distribution"] = distribution_table(
            results["value_counts"], "signups"
        )
    if params.steps:
        funnel = funnel_table(results["funnel"], params.steps)
        tables["funnel"] = funnel
        entered = int(funnel["users"][0])
        metrics["onboarding.funnel_conversion_rate"] = _share(int(funnel["users"][-1]), entered)
    else:
        metrics["onboarding.funnel_conversion_rate"] = None
    warnings = _warnings(metrics, params, signups_count, decided)
    if "missing_account" in results:
        warnings += missing_account_warning(int(results["missing_account"]["n"][0]), "onboarding")
    return FamilyResult(metrics, tables, warnings)


def cohort_table(cohorts: pl.DataFrame, has_activation: bool = True) -> pl.DataFrame:
    """Signups per cohort; without activation events configured, nobody can be activated or
    pending, so those columns are null (not 0 and 0%) like the metrics."""
    decided = pl.col("signups") - pl.col("pending")
    known = pl.lit(has_activation)
    return cohorts.sort("cohort").select(
        "cohort",
        pl.col("signups").cast(pl.Int64),
        pl.when(known).then(pl.col("activated").cast(pl.Int64)).alias("activated"),
        pl.when(known).then(pl.col("pending").cast(pl.Int64)).alias("pending"),
        pl.when(known & (decided > 0)).then(pl.col("activated") / decided).alias("activation_rate"),
    )


def _warnings(
    metrics: Mapping[str, float | None], params: OnboardingParams, signups: int, decided: int
) -> list[DataWarning]:
    out: list[DataWarning] = []

    def null(metric: str, code: str, why: str) -> None:
        if metrics.get(metric) is None:
            out.append(DataWarning(code, why, metric))

    if not params.activation_events:
        why = (
            "no activation events configured (--activation-event or [onboarding] activation_events)"
        )
        for metric in ("activation_rate", "days_to_onboard_mean", "days_to_onboard_median"):
            null(f"onboarding.{metric}", "not_configured", why)
    elif not decided:
        null(
            "onboarding.activation_rate",
            "empty_denominator",
            "no window signup's activation window has elapsed by the window's end (all pending)",
        )
    if params.value is None:
        for metric in (
            "time_to_value_median_hours",
            "time_to_value_p90_hours",
            "reached_value_share",
        ):
            null(f"onboarding.{metric}", "not_configured", "no value event configured")
    elif not signups:
        null("onboarding.reached_value_share", "empty_denominator", "no signups in the window")
    for metric in ("time_to_value_median_hours", "time_to_value_p90_hours"):
        null(
            f"onboarding.{metric}", "empty_denominator", "no window signup reached the value event"
        )
    for metric in ("days_to_onboard_mean", "days_to_onboard_median"):
        null(f"onboarding.{metric}", "empty_denominator", "no window signup was activated")
    if not params.steps:
        null(
            "onboarding.funnel_conversion_rate",
            "not_configured",
            "no funnel steps configured (--step)",
        )
    else:
        null(
            "onboarding.funnel_conversion_rate",
            "empty_denominator",
            "nobody entered the funnel in the window",
        )
    return _first_per_metric(out)


def _first_per_metric(warnings: list[DataWarning]) -> list[DataWarning]:
    seen: set[str | None] = set()
    kept = []
    for warning in warnings:
        if warning.metric not in seen:
            seen.add(warning.metric)
            kept.append(warning)
    return kept


FAMILY: Family[OnboardingParams] = Family(
    name="onboarding",
    summary="Signups, activation, time to value, days to onboard and the funnel.",
    example=(
        "csmetrics onboarding --events events.parquet --activation-event "
        "created_project --activation-event invited_user --step signed_up --step created_project"
    ),
    required=("events",),
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
    explain_shared=shared,
)

__all__ = ["FAMILY", "OnboardingParams", "params_from_config"]
