"""The cohort table's cells (metrics.md, Retention): per cohort c and offset k, the entities of
c with a return in bucket c+k (`on`), or in c+k or any later bucket (`on_or_after`).

Cohorts are signup buckets (`first_time`) or, `recurring`, every bucket an entity was active in.
Cells are counted for every cohort (the headline rates read cohorts outside the table too); the
offset 0 cell is the cohort itself.
"""

from __future__ import annotations

import polars as pl

from csmetrics.families.retention.params import RetentionParams


def members(
    buckets: pl.LazyFrame, signed_buckets: pl.LazyFrame, params: RetentionParams
) -> pl.LazyFrame:
    """(entity, cidx): each entity's cohorts."""
    if params.retention_type == "recurring":
        return buckets.select("entity", pl.col("idx").alias("cidx"))
    return signed_buckets


def sizes(cohort_members: pl.LazyFrame) -> pl.LazyFrame:
    return cohort_members.group_by("cidx").agg(pl.len().alias("size"))


def cells(
    buckets: pl.LazyFrame, cohort_members: pl.LazyFrame, params: RetentionParams, offsets: int
) -> pl.LazyFrame:
    """(cidx, offset, users) for offsets 1..`offsets`."""
    if params.retention_mode == "on":
        pairs = cohort_members.join(buckets, on="entity").select(
            "cidx", (pl.col("idx") - pl.col("cidx")).alias("offset")
        )
        return (
            pairs.filter(pl.col("offset").is_between(1, offsets))
            .group_by("cidx", "offset")
            .agg(pl.len().alias("users"))
        )
    # on_or_after: an entity counts for offset k when it has any return at offset k or later
    last = buckets.group_by("entity").agg(pl.col("idx").max().alias("last"))
    reach = cohort_members.join(last, on="entity").select(
        "cidx", (pl.col("last") - pl.col("cidx")).alias("reach")
    )
    wide = reach.group_by("cidx").agg(
        (pl.col("reach") >= k).sum().alias(str(k)) for k in range(1, offsets + 1)
    )
    return wide.unpivot(index="cidx", variable_name="offset", value_name="users").with_columns(
        pl.col("offset").cast(pl.Int32)
    )
