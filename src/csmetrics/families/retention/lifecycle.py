"""Lifecycle per bucket (metrics.md; PostHog's lifecycle): new, returning, resurrecting and
dormant entities, and the counts user churn needs, from the distinct entity-buckets."""

from __future__ import annotations

import polars as pl


def bucket_flows(buckets: pl.LazyFrame, signed_buckets: pl.LazyFrame) -> pl.LazyFrame:
    """Per bucket index: active entities, those also active in the bucket before (and not
    signed up in this one: returning), those not active before but signed up earlier
    (resurrecting), and those also active in the next bucket (`continued`: the complement of
    the next bucket's dormant)."""
    previous = buckets.select("entity", (pl.col("idx") + 1).alias("idx"), prev=pl.lit(True))
    following = buckets.select("entity", (pl.col("idx") - 1).alias("idx"), next=pl.lit(True))
    flagged = (
        buckets.join(previous, on=["entity", "idx"], how="left")
        .join(following, on=["entity", "idx"], how="left")
        .join(signed_buckets, on="entity", how="left")
        .with_columns(pl.col("prev").fill_null(False), pl.col("next").fill_null(False))
    )
    new_here = pl.col("cidx") == pl.col("idx")
    return flagged.group_by("idx").agg(
        pl.len().alias("active"),
        (pl.col("prev") & ~new_here.fill_null(False)).sum().alias("returning"),
        (~pl.col("prev") & (pl.col("cidx") < pl.col("idx")).fill_null(False))
        .sum()
        .alias("resurrecting"),
        pl.col("next").sum().alias("continued"),
    )
