"""How long things took, as counts in buckets people read: the distributions of support's first
response times and onboarding's time to value (the HTML page draws them as bars).

The buckets are fixed so that two reports compare: under 1 h, 1 to 4 h, 4 to 24 h, 1 to 3
days, 3 to 7 days, 7 days or more; each includes its lower edge (exactly 4 h is in "4 to 24 h").
`plan_counts` is the lazy part (in the family's plan, computed with the rest);
`distribution_table` turns its counts into the table, every bucket present."""

from __future__ import annotations

import polars as pl

from csmetrics.families.contract import FrameContract

EDGES_HOURS = (1.0, 4.0, 24.0, 72.0, 168.0)
BUCKETS = ("under 1 h", "1 to 4 h", "4 to 24 h", "1 to 3 days", "3 to 7 days", "7 days or more")
COLUMNS = ("bucket", "from_hours", "to_hours")  # then the count column and `share`


# the frame `plan_counts` (and its Spark twin) hands to `assemble`
COUNTS = FrameContract({"position": pl.Int64, "count": pl.Int64})


def bucket_position(hours: pl.Expr) -> pl.Expr:
    """0 for under 1 h ... 5 for 7 days or more: how many edges the value reaches."""
    return pl.sum_horizontal([(hours >= edge).cast(pl.Int64) for edge in EDGES_HOURS])


def plan_counts(frame: pl.LazyFrame, hours: str) -> pl.LazyFrame:
    """(position, count) of the rows with a value in `hours`."""
    return (
        frame.filter(pl.col(hours).is_not_null())
        .group_by(bucket_position(pl.col(hours)).alias("position"))
        .agg(pl.len().cast(pl.Int64).alias("count"))
    )


def distribution_table(counts: pl.DataFrame, counted: str) -> pl.DataFrame:
    """Every bucket with its edges, `counted` (0 where none) and its share of all counted (null
    when nothing was counted)."""
    buckets = pl.DataFrame(
        {
            "position": range(len(BUCKETS)),
            "bucket": BUCKETS,
            "from_hours": (0.0, *EDGES_HOURS),
            "to_hours": (*EDGES_HOURS, None),
        },
        schema={
            "position": pl.Int64,
            "bucket": pl.String,
            "from_hours": pl.Float64,
            "to_hours": pl.Float64,
        },
    )
    found = counts.select(pl.col("position").cast(pl.Int64), pl.col("count").cast(pl.Int64))
    table = buckets.join(found, on="position", how="left").sort("position")
    number = pl.col("count").fill_null(0)
    total = number.sum()
    return table.select(
        *COLUMNS,
        number.alias(counted),
        pl.when(total > 0).then(number / total).alias("share"),
    )
