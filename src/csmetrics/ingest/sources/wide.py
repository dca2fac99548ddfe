"""A CX index survey exported wide (data.md): one row per respondent, one column per component
(`cxi_effort`, `cxi_empathy`, `cxi_understanding`, `cxi_efficiency`, found by those names or
mapped with `--map surveys.cxi_effort=HEADER`), read as the long layout voice reads: one answer
per row with `survey` cxi, its `component` and its `score`.

The component columns are read, checked and counted like any number column (so a bad value is
named by its own header and row); the rows are made long only when the source is cleaned, and
for the value rules' counts, so the two agree."""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

COMPONENT_COLUMNS = {
    f"cxi_{part}": part for part in ("effort", "empathy", "understanding", "efficiency")
}
LONG = ("survey", "component", "score")


def wide_columns(columns: Collection[str]) -> list[str]:
    return [c for c in COMPONENT_COLUMNS if c in columns]


def long_columns(columns: Collection[str]) -> list[str]:
    """The cleaned source's columns: the component columns become survey, component, score."""
    if not wide_columns(columns):
        return list(columns)
    kept = [c for c in columns if c not in COMPONENT_COLUMNS and c not in LONG]
    return [*kept, *LONG]


def long_rows(frame: pl.LazyFrame) -> pl.LazyFrame:
    """One row per answer: each component column's value becomes a cxi row, and a row's own
    score (an NPS asked in the same export) stays a row of its own survey."""
    names = frame.collect_schema().names()
    wide = wide_columns(names)
    if not wide:
        return frame
    carried = [c for c in names if c not in COMPONENT_COLUMNS and c not in LONG]
    answers = (
        frame.select(*carried, *wide)  # the frame's own score would clash with the new one
        .unpivot(on=wide, index=carried, variable_name="component", value_name="score")
        .filter(pl.col("score").is_not_null())
        .with_columns(
            pl.lit("cxi").alias("survey"),
            pl.col("component").str.strip_prefix("cxi_"),
            pl.col("score").cast(pl.Float64),
        )
    )
    parts = [answers.select(*carried, *LONG)]
    if "score" in names:
        own = frame.filter(pl.col("score").is_not_null())
        component = pl.col("component") if "component" in names else pl.lit(None, pl.String)
        parts.insert(
            0,
            own.select(
                *carried,
                pl.col("survey").cast(pl.String),
                component.alias("component"),
                pl.col("score").cast(pl.Float64),
            ),
        )
    return pl.concat(parts, how="vertical_relaxed")
