"""What the DuckDB references of every family share: a connection in UTC and the scans of a
file. Each family's `reference_duckdb.py` is an independent SQL implementation of its metrics,
written from metrics.md, not from csmetrics' code: its tests compare the two on generated data
and `make bench` times both on the same files."""

from __future__ import annotations

import duckdb


def connect(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {threads}")
    return con


def scan_of(path: str) -> str:
    """The events of a Parquet or CSV file as (event_id, ts, user_id, account_id, event)."""
    if path.endswith(".parquet"):
        return f"(SELECT event_id, timestamp AS ts, user_id, account_id, event FROM read_parquet('{path}'))"
    return (
        f"(SELECT event_id, CAST(timestamp AS TIMESTAMPTZ) AS ts, user_id, account_id, event "
        f"FROM read_csv('{path}', all_varchar = true))"
    )


def table_scan(path: str) -> str:
    """Every column of a Parquet or CSV file (CSV as text)."""
    if path.endswith(".parquet"):
        return f"read_parquet('{path}')"
    return f"read_csv('{path}', all_varchar = true)"
