"""The Customer Experience Index (metrics.md, voice): a `cxi` survey whose answers each rate one
of four components of an experience (effort, empathy, understanding, efficiency) on a declared
scale. Per component, 100 x (positive - negative) / answers, positive the top boxes and
negative the bottom ones of the scale (CUTS); `voice.cxi` is the mean of the four, null when a
component has no answers. The same expressions give the headline and each `--by` row."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

COMPONENTS = ("effort", "empathy", "understanding", "efficiency")


@dataclass(frozen=True)
class Cut:
    """A scale's range and its boxes: positive at or above `positive`, negative at or below
    `negative`."""

    low: int
    high: int
    positive: int
    negative: int


# 1-5: top two (4-5) minus bottom two (1-2); 1-7: top two (6-7) minus bottom two (1-2);
# 0-10: as NPS, 9-10 minus 0-6
CUTS = {"1-5": Cut(1, 5, 4, 2), "1-7": Cut(1, 7, 6, 2), "0-10": Cut(0, 10, 9, 6)}
SCORE, COMPONENT = pl.col("score"), pl.col("component")
CXI = pl.col("survey") == "cxi"


def counted(scale: str) -> pl.Expr:
    """A CX index answer within the declared scale, to a known component."""
    cut = CUTS[scale]
    return CXI & SCORE.is_between(cut.low, cut.high) & COMPONENT.is_in(list(COMPONENTS))


def component_index(scale: str, component: str) -> pl.Expr:
    """100 x (positive - negative) / answers of one component; null without answers."""
    cut = CUTS[scale]
    answers = SCORE.filter(counted(scale) & (component == COMPONENT))
    net = (answers >= cut.positive).sum().cast(pl.Int64) - (answers <= cut.negative).sum()
    return pl.when(answers.len() > 0).then(100 * net / answers.len())


def cxi_measures(scale: str, prefix: str = "voice.") -> list[pl.Expr]:
    """Each component's index and their mean (null when one is: the index needs all four)."""
    parts = [component_index(scale, c).alias(f"{prefix}cxi_{c}") for c in COMPONENTS]
    mean = sum((component_index(scale, c) for c in COMPONENTS), pl.lit(0.0)) / len(COMPONENTS)
    return [mean.alias(f"{prefix}cxi"), *parts]


def component_counts(answers: pl.LazyFrame, scale: str) -> pl.LazyFrame:
    """Per component answered: answers, positive and negative (the cxi_components table's)."""
    cut = CUTS[scale]
    kept = answers.filter(counted(scale))
    return kept.group_by("component").agg(
        pl.len().alias("answers"),
        (cut.positive <= SCORE).sum().alias("positive"),
        (cut.negative >= SCORE).sum().alias("negative"),
    )


def dropped_counts(answers: pl.LazyFrame, scale: str) -> pl.LazyFrame:
    """CX index answers left out: outside the declared scale, or to an unknown component."""
    cut = CUTS[scale]
    cxi = answers.filter(CXI)
    return cxi.select(
        (~SCORE.is_between(cut.low, cut.high)).sum().alias("outside_scale"),
        (~COMPONENT.is_in(list(COMPONENTS))).fill_null(True).sum().alias("unknown_component"),
    )


def components_table(counts: pl.DataFrame) -> pl.DataFrame:
    """One row per component, all four (0 answers: a null index)."""
    every = pl.DataFrame({"component": list(COMPONENTS)})
    table = every.join(counts, on="component", how="left").with_columns(
        pl.col("answers", "positive", "negative").fill_null(0).cast(pl.Int64)
    )
    index = 100 * (pl.col("positive") - pl.col("negative")) / pl.col("answers")
    return table.with_columns(index=pl.when(pl.col("answers") > 0).then(index))
