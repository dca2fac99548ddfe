"""A mean that does not depend on row order (issue 21, item 7): Polars sums floats in the order
the rows arrive, which a join or a group-by does not fix, so the last bits of a mean changed
between runs of the same command. Each value is rounded once to a fixed decimal (12 places,
far below any unit shown) and summed as an exact decimal, so every run, on any number of
threads, gives the same float."""

from __future__ import annotations

import polars as pl

PLACES = 12
EXACT = pl.Decimal(38, PLACES)  # 26 integer digits: any duration in hours, any score


def exact_mean(values: pl.Expr) -> pl.Expr:
    """The mean of `values` (null when there are none), independent of row order."""
    total = values.cast(EXACT).sum().cast(pl.Float64)
    count = values.count()
    return pl.when(count > 0).then(total / count)
