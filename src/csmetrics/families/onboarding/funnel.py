"""The ordered funnel (metrics.md, onboarding.funnel_conversion_rate).

An entity enters at its first step-1 event in the window (t1); step k is reached at its first
step-k event at or after the moment step k-1 was reached; every step counts only before
t1 + conversion_window (and before `until`: the events are cut there). One join per step, each
on that step's events alone.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from csmetrics.core.window import Window
from csmetrics.families.onboarding.activation import HOURS


def funnel_steps(
    events: pl.LazyFrame, window: Window, steps: tuple[str, ...], conversion: timedelta
) -> pl.LazyFrame:
    """(step, position, entity, reached_at, from_previous_hours) for every step reached."""
    first = (
        events.filter((pl.col("event") == steps[0]) & (pl.col("timestamp") >= window.since))
        .group_by("entity")
        .agg(pl.col("timestamp").min().alias("t1"))
        .with_columns(at=pl.col("t1"), previous=pl.col("t1"))
    )
    reached = [first]
    for name in steps[1:]:
        before = reached[-1].select("entity", "t1", pl.col("at").alias("previous"))
        candidates = (
            events.filter(pl.col("event") == name)
            .select("entity", "timestamp")
            .join(before, on="entity")
            .filter(
                (pl.col("timestamp") >= pl.col("previous"))
                & (pl.col("timestamp") < pl.col("t1") + conversion)
            )
        )
        reached.append(
            candidates.group_by("entity").agg(
                pl.col("t1").first(),
                pl.col("timestamp").min().alias("at"),
                pl.col("previous").first(),
            )
        )
    hours = (pl.col("at") - pl.col("previous")).dt.total_microseconds() / HOURS
    return pl.concat(
        [
            frame.select(
                pl.lit(name).alias("step"),
                pl.lit(position, pl.Int32).alias("position"),
                "entity",
                pl.col("at").alias("reached_at"),
                hours.alias("from_previous_hours"),
            )
            for position, (name, frame) in enumerate(zip(steps, reached, strict=True), start=1)
        ]
    )


def funnel_counts(reached: pl.LazyFrame) -> pl.LazyFrame:
    """Per step: entities reaching it and the median hours from the previous step."""
    return reached.group_by("position", "step").agg(
        pl.len().alias("users"),
        pl.col("from_previous_hours").median().alias("median_time_from_previous_hours"),
    )


def funnel_table(counts: pl.DataFrame, steps: tuple[str, ...]) -> pl.DataFrame:
    """The `funnel` table: every step (0 when nobody reached it), conversions and drop-off."""
    grid = pl.DataFrame(
        {"position": list(range(1, len(steps) + 1)), "step": list(steps)},
        schema={"position": pl.Int32, "step": pl.String},
    )
    table = (
        grid.join(counts.drop("step"), on="position", how="left")
        .with_columns(pl.col("users").fill_null(0).cast(pl.Int64))
        .sort("position")
    )
    previous = pl.col("users").shift(1)
    start = pl.col("users").first()
    return table.select(
        "step",
        "users",
        pl.when(previous > 0).then(pl.col("users") / previous).alias("conversion_from_previous"),
        pl.when(start > 0).then(pl.col("users") / start).alias("conversion_from_start"),
        (previous - pl.col("users")).fill_null(0).alias("drop_off"),
        pl.when(pl.col("position") > 1)
        .then(pl.col("median_time_from_previous_hours"))
        .alias("median_time_from_previous_hours"),
    )
