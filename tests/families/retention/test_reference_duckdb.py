"""Retention's headline metrics and every cohort cell agree with an independent DuckDB SQL
implementation."""

from __future__ import annotations

import polars as pl
import pytest

import csmetrics as cm
from tests.families.reference import WINDOWS, bounds, same
from tests.families.retention.reference_duckdb import retention_reference


@pytest.mark.parametrize(("since", "until"), [*WINDOWS, ("2026-09-07", "2026-10-05")])
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_retention_matches_duckdb(sample_events, fmt: str, since: str, until: str) -> None:
    path = sample_events[fmt]
    report = cm.retention(
        cm.load(events=str(path)),
        periods=6,
        inactive_events=["email_opened"],
        since=since,
        until=until,
        grain="week",
    )
    theirs, cells = retention_reference(
        str(path), *bounds(since, until), inactive=("email_opened",)
    )
    for key, value in theirs.items():
        same(report.metrics[key], value, key)
    table = report.tables["cohorts"].filter(pl.col("offset") > 0, pl.col("users").is_not_null())
    assert table.height > 0
    for cohort, offset, users in table.select("cohort", "offset", "users").rows():
        assert users == cells.get((cohort, offset), 0), (cohort, offset)
