"""The change of a metric between two windows, split by segment (metrics.md, "Why it changed").

Window 0 is the previous window, window 1 the window. For a ratio metric M = sum_i w_i r_i (w_i
the segment's share of the denominator, r_i its own ratio), segment i contributes

    w_i1 r_i1 - w_i0 r_i0 = rate effect + mix effect,
    rate effect = (w_i0 + w_i1) / 2 * (r_i1 - r_i0)   (its own ratio moved)
    mix effect  = (r_i0 + r_i1) / 2 * (w_i1 - w_i0)   (its share of the denominator moved)

a symmetric shift-share whose contributions add up exactly to M1 - M0 (a segment absent from a
window has w = 0 and r = 0 there). An additive metric's segment contributes its own change; a
quantile does not decompose, so each segment shows its own value and its share of the units.

Every function takes the per-segment sums of one window (the `by` columns, the measure columns
of families/explainer.py, and UNITS) and returns small eager frames: the heavy work is the plan's.
"""

from __future__ import annotations

import polars as pl

from csmetrics.families.explainer import AMOUNT, DENOMINATOR, NUMERATOR, OBSERVATION, Kind

UNITS = "__units"
SEGMENT_COLUMNS = (
    "value",
    "previous_value",
    "weight",
    "previous_weight",
    "rate_effect",
    "mix_effect",
    "contribution",
    "units",
    "previous_units",
)


def total_of(kind: Kind, totals: pl.DataFrame) -> float | None:
    """The metric over the whole window from its one-row totals (null with an empty
    denominator, or no observation for a quantile)."""
    row = totals.row(0, named=True) if totals.height else {}
    if kind == "ratio":
        denominator = row.get(DENOMINATOR) or 0
        return row[NUMERATOR] / denominator if denominator else None
    if kind == "additive":
        return float(row.get(AMOUNT) or 0)
    value = row.get(OBSERVATION)
    return None if value is None else float(value)


def decompose(
    kind: Kind, by: list[str], current: pl.DataFrame, previous: pl.DataFrame
) -> pl.DataFrame:
    """One row per segment seen in either window (the `null` segment included): its value in
    each window, its weight, its effects and contribution, sorted by the absolute contribution
    (a quantile's segments by their share of the units)."""
    joined = _paired(by, current, previous)
    if kind == "ratio":
        segments = _ratio(joined)
    elif kind == "additive":
        segments = _additive(joined)
    else:
        segments = _quantile(joined)
    segments = segments.with_columns(
        pl.col("units").fill_null(0), pl.col("previous_units").fill_null(0)
    )
    order = pl.col("weight" if kind == "quantile" else "contribution").abs()
    text = [pl.col(column).cast(pl.String) for column in by]
    ranked = segments.sort([order, *text], descending=[True, *([False] * len(by))], nulls_last=True)
    return ranked.select(*by, *SEGMENT_COLUMNS)


def _paired(by: list[str], current: pl.DataFrame, previous: pl.DataFrame) -> pl.DataFrame:
    """Both windows' sums side by side (suffix `_0` for the previous window), a segment's rows
    joined even when its value is null."""
    measures = [c for c in current.columns if c not in by]
    before = previous.rename({c: f"{c}_0" for c in measures})
    after = current.rename({c: f"{c}_1" for c in measures})
    if not by:
        return pl.concat([after, before], how="horizontal")
    return after.join(before, on=by, how="full", coalesce=True, nulls_equal=True)


def _share(part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    return pl.when(whole != 0).then(part / whole)


def _ratio(joined: pl.DataFrame) -> pl.DataFrame:
    num = {w: pl.col(f"{NUMERATOR}_{w}").fill_null(0) for w in "01"}
    den = {w: pl.col(f"{DENOMINATOR}_{w}").fill_null(0) for w in "01"}
    total = {w: den[w].sum() for w in "01"}
    # for the effects, a segment without a denominator in a window has w = 0 and r = 0 there
    weight = {w: _share(den[w], total[w]) for w in "01"}
    ratio = {w: _share(num[w], den[w]) for w in "01"}
    both = (total["0"] != 0) & (total["1"] != 0)
    w0, w1 = weight["0"].fill_null(0), weight["1"].fill_null(0)
    r0, r1 = ratio["0"].fill_null(0), ratio["1"].fill_null(0)
    return joined.with_columns(
        value=ratio["1"],
        previous_value=ratio["0"],
        weight=weight["1"],
        previous_weight=weight["0"],
        rate_effect=pl.when(both).then((w0 + w1) / 2 * (r1 - r0)),
        mix_effect=pl.when(both).then((r0 + r1) / 2 * (w1 - w0)),
        # w1 r1 - w0 r0 is num1 / D1 - num0 / D0: exact to the last bit of each term
        contribution=pl.when(both).then(num["1"] / total["1"] - num["0"] / total["0"]),
        units=pl.col(f"{UNITS}_1"),
        previous_units=pl.col(f"{UNITS}_0"),
    )


def _additive(joined: pl.DataFrame) -> pl.DataFrame:
    amount = {w: pl.col(f"{AMOUNT}_{w}").fill_null(0).cast(pl.Float64) for w in "01"}
    return joined.with_columns(
        value=amount["1"],
        previous_value=amount["0"],
        weight=_share(amount["1"], amount["1"].sum()),
        previous_weight=_share(amount["0"], amount["0"].sum()),
        rate_effect=pl.lit(None, pl.Float64),
        mix_effect=pl.lit(None, pl.Float64),
        contribution=amount["1"] - amount["0"],
        units=pl.col(f"{UNITS}_1"),
        previous_units=pl.col(f"{UNITS}_0"),
    )


def _quantile(joined: pl.DataFrame) -> pl.DataFrame:
    units = {w: pl.col(f"{UNITS}_{w}").fill_null(0) for w in "01"}
    return joined.with_columns(
        value=pl.col(f"{OBSERVATION}_1").cast(pl.Float64),
        previous_value=pl.col(f"{OBSERVATION}_0").cast(pl.Float64),
        weight=_share(units["1"], units["1"].sum()),
        previous_weight=_share(units["0"], units["0"].sum()),
        rate_effect=pl.lit(None, pl.Float64),
        mix_effect=pl.lit(None, pl.Float64),
        contribution=pl.lit(None, pl.Float64),
        units=units["1"],
        previous_units=units["0"],
    )
