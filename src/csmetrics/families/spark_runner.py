"""A family's frames computed on Spark: its Spark plan (PLANS) run on the events Spark holds and
the small sources as Spark frames; the results come back as Polars frames cast to the types the
family's contract declares (its contract.py), for the family's own `assemble`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import polars as pl
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from csmetrics.core.errors import InputError
from csmetrics.core.spark.frames import SparkFrames
from csmetrics.core.spark.session import to_polars, utc
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Family
from csmetrics.families.contract import check_frames, typed
from csmetrics.families.engagement import spark as engagement
from csmetrics.families.health import spark as health
from csmetrics.families.onboarding import spark as onboarding
from csmetrics.families.retention import spark as retention
from csmetrics.families.revenue import spark as revenue
from csmetrics.ingest.inputs import Inputs
from csmetrics.ingest.source import Source

SparkPlan = Callable[[SparkFrames, Columns, Window, Any], dict[str, DataFrame]]
# families whose whole plan runs on Spark
PLANS: dict[str, SparkPlan] = {
    "engagement": engagement.plan,
    "onboarding": onboarding.plan,
    "retention": retention.plan,
}
# families whose first stage (their one pass over the events) runs on Spark, the rest on Polars
FIRST_STAGES: dict[str, SparkPlan] = {
    "health": health.event_stage,
    "revenue": revenue.event_stage,
}
PolarsResults = Callable[[Mapping[str, pl.LazyFrame], int], dict[str, pl.DataFrame]]


def compute_on_spark(
    family: Family[Any],
    inputs: Inputs,
    kinds: list[str],
    columns: Columns,
    window: Window,
    params: Any,
    polars_results: PolarsResults,
) -> dict[str, pl.DataFrame]:
    """The family's collected frames with its event part computed by Spark.

    `polars_results(frames, skip)` runs the family's Polars stages (after the first `skip`)
    and plan on `frames`. Spark's frames are cast to the declared types; a categorical column
    takes the categories loading gave the column of that name (the run's ids, as on Polars).
    """
    categories = _categories(inputs, kinds)
    if family.name in PLANS:
        results = _collect(PLANS[family.name], inputs, kinds, columns, window, params)
        check_frames(family.name, results, family.frames, strict_types=False)
        return typed(results, family.frames, categories)
    if family.name in FIRST_STAGES:
        made = _collect(FIRST_STAGES[family.name], inputs, kinds, columns, window, params)
        check_frames(family.name, made, family.stage_frames, strict_types=False)
        stage = typed(made, family.stage_frames, categories)
        small = {kind: inputs.sources[kind].frame.lazy() for kind in kinds if kind != "events"}
        return polars_results({**small, **{n: f.lazy() for n, f in stage.items()}}, 1)
    raise InputError(
        f"{family.name} has no Spark engine: run it with --engine polars "
        "(engagement, onboarding, retention and health run on Spark)"
    )


def _collect(
    plan: SparkPlan,
    inputs: Inputs,
    kinds: list[str],
    columns: Columns,
    window: Window,
    params: Any,
) -> dict[str, pl.DataFrame]:
    events = inputs.sources["events"]
    spark = events.spark.sparkSession
    with utc(spark):
        frames = SparkFrames(
            spark,
            {
                kind: source.spark if source.spark is not None else source.frame
                for kind, source in ((k, inputs.sources[k]) for k in kinds)
            },
        )
        try:
            planned = plan(frames, columns, window, params)
            if not planned:
                return {}
            # one Spark job per frame, submitted together: each is small, and a job's fixed
            # cost (planning, scheduling, shuffle set-up) overlaps with the others'
            with ThreadPoolExecutor(max_workers=len(planned)) as pool:
                collected = pool.map(to_polars, planned.values())
                return dict(zip(planned, collected, strict=True))
        finally:
            frames.release()


def _categories(inputs: Inputs, kinds: list[str]) -> dict[str, pl.DataType]:
    """The categorical dtype loading gave each column name (one set of categories a run)."""
    return {
        column: dtype
        for kind in kinds
        for column, dtype in inputs.sources[kind].frame.schema.items()
        if isinstance(dtype, pl.Categorical)
    }


def window_counts(
    source: Source, column: str, first_read: datetime | None, window: Window
) -> dict[str, int]:
    """describe_source's counts of a source Spark holds, in one pass."""
    ts = F.col(column)
    unused = ts < F.lit(first_read) if first_read is not None else F.lit(False)
    frame = source.spark
    with utc(frame.sparkSession):
        row = frame.agg(
            F.count(F.lit(1)).alias("rows_used"),
            F.count_if(unused).alias("unused_before"),
            F.count_if((ts < F.lit(window.since)) & ~unused).alias("lookback"),
            F.count_if(ts >= F.lit(window.until)).alias("after"),
        ).collect()[0]
    return {key: int(value) for key, value in row.asDict().items()}
