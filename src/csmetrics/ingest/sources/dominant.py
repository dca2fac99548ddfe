"""An id that holds most rows (issue 20, item 5): a clickstream whose anonymous users are the
literal `NA` (62% of rows) becomes one huge user. A value holding more than a third of an id
column's rows, in a column that otherwise has many values (or that reads like a placeholder),
is reported with its share and the `null_values` line that would drop it.

Found without grouping every row: the two commonest values of an even sample of about 10,000
rows are the only candidates (a value above a third of the rows is among them with near
certainty), then each candidate's rows are counted exactly.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from csmetrics.ingest.sources.canonical import LoadedSource

ID_COLUMNS = {
    "events": ("user_id", "session_id"),
    "tickets": ("requester_id",),
    "surveys": ("respondent_id",),
}
PLACEHOLDERS = ("na", "n/a", "null", "none", "nil", "unknown", "anonymous", "undefined",
                "(not set)", "not set", "-", "-1", "0")  # fmt: skip
SAMPLE_ROWS = 10_000
MIN_ROWS = 100
MANY_VALUES = 20  # distinct values in the sample for a column to read as ids of many things


def dominant_values(
    source: LoadedSource, staged: pl.LazyFrame, rows: int, seed: int
) -> dict[str, Any]:
    """Quality entries `<column>__dominant` (the value, as text) and `__dominant_rows`."""
    found: dict[str, Any] = {}
    names = staged.collect_schema().names()
    for name in ID_COLUMNS.get(source.spec.kind, ()):
        if name not in names or rows < MIN_ROWS:
            continue
        step = max(rows // SAMPLE_ROWS, 1)
        sample = staged.select(pl.col(name).gather_every(step)).collect().to_series().drop_nulls()
        if sample.is_empty():
            continue
        many = sample.n_unique() >= MANY_VALUES
        for candidate in sample.value_counts(sort=True).head(2)[name].to_list():
            count = staged.select((pl.col(name) == candidate).sum()).collect().item()
            if count * 3 <= rows:
                continue
            hashed = staged.collect_schema()[name] == pl.UInt64
            text = _text_of_hash(source, name, candidate, seed) if hashed else str(candidate)
            if many or str(text).strip().lower() in PLACEHOLDERS:
                found[f"{name}__dominant"] = text
                found[f"{name}__dominant_rows"] = int(count)
                break
    return found


def _text_of_hash(source: LoadedSource, name: str, hashed: int, seed: int) -> str | None:
    """The id text behind a hash loading made: one more read of that column, only when a
    dominant value was found."""
    value = source.conversions[name]
    match = value.is_not_null() & (value.hash(seed=seed) == hashed)
    picked = source.raw.select(value.filter(match).first()).collect()
    return picked.item()
