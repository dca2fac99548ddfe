"""What a family declares to let `explain` split one of its metrics by segment (metrics.md, "Why
it changed"): how the metric decomposes, and a plan that gives, for a window, its units (users,
tickets, answers, accounts, billing lines) with the segment columns attached and the measure
columns the decomposition sums.

- ratio: M = sum(NUMERATOR) / sum(DENOMINATOR); a segment's own ratio is its numerator over its
  denominator and its weight its share of the denominator;
- additive: M = sum(AMOUNT); a segment's contribution is its own change;
- quantile: M is a quantile of OBSERVATION; it does not decompose, each segment's own quantile
  and share of the observations are shown.

A plan may return one row per unit, or rows already summed per segment and some other key
(engagement's stickiness sums per segment and day): the runner sums them per segment, so only
sums may be pre-aggregated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

import polars as pl

from csmetrics.families.base import Frames, RunContext

P = TypeVar("P")
Kind = Literal["ratio", "additive", "quantile"]
NUMERATOR, DENOMINATOR = "__numerator", "__denominator"
AMOUNT, OBSERVATION = "__amount", "__observation"
MEASURES: dict[Kind, tuple[str, ...]] = {
    "ratio": (NUMERATOR, DENOMINATOR),
    "additive": (AMOUNT,),
    "quantile": (OBSERVATION,),
}


@dataclass(frozen=True)
class Segments:
    """The segment columns asked for, and how a plan attaches them to its units: `own` are
    columns of the metric's source, which the plan carries through to its units (reduced to one
    value per unit where a unit has many rows); the others are accounts columns, joined on the
    units' account_id."""

    by: tuple[str, ...]
    own: tuple[str, ...]
    accounts: pl.LazyFrame | None  # account_id and the accounts' columns of `by`, one row each

    @property
    def carry(self) -> tuple[str, ...]:
        """The source columns a plan keeps on its units: the own ones and, to join the
        accounts' ones, account_id."""
        joined = self.accounts is not None and "account_id" not in self.own
        return (*self.own, *(("account_id",) if joined else ()))

    def attach(self, units: pl.LazyFrame) -> pl.LazyFrame:
        """The units with every segment column (a unit whose account is not in the accounts
        source gets nulls: the `null` segment)."""
        if self.accounts is None:
            return units
        keyed = units.with_columns(pl.col("account_id").cast(pl.String).alias("__account"))
        joined = keyed.join(self.accounts, on="__account", how="left")
        return joined.drop("__account", *(["account_id"] if "account_id" not in self.own else []))


# (frames, context, params, segments) -> the units with their segment columns and the columns
# the measures read; the explainers of a family that share one are computed together
Base = Callable[[Frames, RunContext, P, Segments], pl.LazyFrame]


@dataclass(frozen=True)
class Explainer(Generic[P]):
    kind: Kind
    source: str  # the source whose rows make the units: `by` may name its columns
    unit: str  # what a unit is, in words, plural ("active users", "tickets")
    base: Base[P]
    # per unit, MEASURES[kind] in order: (numerator, denominator), (amount,) or (observation,)
    measures: tuple[pl.Expr, ...]
    quantile: float = 0.5  # for kind quantile
    # what a segment's weight is, in words ("share of MAU30"): the sentences say it
    weight: str = "share"
    # params -> why the metric is null whatever the data (a setting it needs is missing), or None
    ready: Callable[[P], str | None] = lambda params: None

    def plan(self, frames: Frames, ctx: RunContext, params: P, segments: Segments) -> pl.LazyFrame:
        """The units with the segment columns and the measures under their MEASURES names."""
        named = [m.alias(name) for m, name in zip(self.measures, MEASURES[self.kind], strict=True)]
        units = self.base(frames, ctx, params, segments).with_columns(named)
        return units.select(*segments.by, *MEASURES[self.kind])


def per_unit_latest(
    frame: pl.LazyFrame, key: str, time: str, columns: tuple[str, ...]
) -> pl.LazyFrame:
    """One row per `key` holding each of `columns` as of the unit's latest row (by `time`; ties
    broken by the value, so the result never depends on row order): how a unit with many rows
    (a user's events) gets one segment."""
    latest = [pl.col(c).sort_by([time, pl.col(c).cast(pl.String)]).last() for c in columns]
    return frame.group_by(key).agg(latest)
