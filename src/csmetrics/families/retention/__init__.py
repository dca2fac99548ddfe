"""Retention (metrics.md): the cohort table, headline rates in the window, lifecycle, user churn.

Every output derives from the distinct entity-buckets of return events (`buckets`), computed
once, and the signups (families/signups.py): `cohorts` counts the cells, `lifecycle` the flows
between neighbouring buckets; `assemble` lays them on the window's calendar.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csmetrics.core.timeparts import Grain
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Family, FamilyResult, Frames, Lookback, RunContext
from csmetrics.families.retention.assemble import (
    churn_rate,
    cohort_table,
    headline_rates,
    horizon_of,
    lifecycle_table,
)
from csmetrics.families.retention.buckets import (
    entity_buckets,
    return_events,
    signup_buckets,
)
from csmetrics.families.retention.cohorts import cells, members, sizes
from csmetrics.families.retention.contract import FRAMES
from csmetrics.families.retention.lifecycle import bucket_flows
from csmetrics.families.retention.metrics import METRICS, TABLES
from csmetrics.families.retention.params import (
    HEADLINE_OFFSETS,
    SETTINGS,
    RetentionParams,
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


def grain_of(params: RetentionParams) -> Grain:
    return params.cohort_grain or "week"


def lookback(window: Window, params: RetentionParams) -> Lookback:
    return Lookback(
        None,
        "signups and earlier cohorts (whose later buckets fall in the window)",
        after="the horizon (whether the export runs past the window's end)",
    )


def plan(
    frames: Frames, columns: Columns, window: Window, params: RetentionParams
) -> dict[str, pl.LazyFrame]:
    grain = grain_of(params)
    events = entity_events(frames, columns, window, params.level).select(
        "entity", "event", "timestamp"
    )
    signed = signup_buckets(
        signups(events, params.signup_event, frames, columns, window, params.level), window, grain
    ).cache()
    buckets = entity_buckets(return_events(events, params), window, grain).cache()
    cohort_members = members(buckets, signed, params).cache()
    offsets = max(params.periods, *HEADLINE_OFFSETS[grain])
    planned = {
        "sizes": sizes(cohort_members),
        "cells": cells(buckets, cohort_members, params, offsets),
        "flows": bucket_flows(buckets, signed),
        "new": signed.group_by(pl.col("cidx").alias("idx")).agg(pl.len().alias("new")),
    }
    missing = missing_account_rows(frames, columns, params.level)
    if missing is not None:
        planned["missing_account"] = missing
    return planned


def assemble(
    results: Mapping[str, pl.DataFrame], ctx: RunContext, params: RetentionParams
) -> FamilyResult:
    window, observed, grain = ctx.window, ctx.observed["events"], grain_of(params)
    horizon = horizon_of(window, observed)
    sizes_, cells_ = results["sizes"], results["cells"].cast({"offset": pl.Int32})
    metrics, warnings = headline_rates(sizes_, cells_, window, observed, grain, horizon)
    churn, churn_warnings = churn_rate(results["flows"], window, observed, grain)
    metrics["retention.user_churn_rate"] = churn
    warnings += churn_warnings
    if "missing_account" in results:
        warnings += missing_account_warning(int(results["missing_account"]["n"][0]), "retention")
    tables = {
        "cohorts": cohort_table(sizes_, cells_, window, observed, grain, params),
        "lifecycle": lifecycle_table(results["flows"], results["new"], window, observed, grain),
    }
    return FamilyResult(metrics, tables, warnings)


FAMILY: Family[RetentionParams] = Family(
    name="retention",
    summary="Cohort retention table, retention in the window, lifecycle and user churn.",
    example=("csmetrics retention --events events.parquet --cohort-grain week --periods 8"),
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
)

__all__ = ["FAMILY", "RetentionParams", "params_from_config"]
