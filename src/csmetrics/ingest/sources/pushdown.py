"""Reading only the rows a run needs from where the data lives. When the window is known before
loading, each source has a span of its time column to read (`SourceSpec.span`, from the
families' look-backs): a Delta table is scanned with that filter on its time column (Polars
skips the files whose statistics in the table's log lie outside it, unopened; an Iceberg
table likewise by its manifests), a database is sent a WHERE clause. Files are always read
whole, as before.

Only a time column the table itself types as a timestamp or a date is filtered: text would
compare as text. The whole table's time range is still found (from the log's statistics, or one
`min`/`max` query), so partial buckets and "the window is outside the data" are judged on the
data, not on the rows read."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.span import Span
from csmetrics.core.timeparts import zone
from csmetrics.ingest.sources.database import Database, fetch_rows, quoted, time_range
from csmetrics.ingest.sources.lake import table_files
from csmetrics.ingest.sources.lake_table import LakeTable, TableFiles
from csmetrics.ingest.sources.mapping import find_header
from csmetrics.ingest.sources.plan import MappingPlan
from csmetrics.ingest.sources.schema import TIME_COLUMN
from csmetrics.ingest.sources.spec import SourceSpec

log = logging.getLogger("csmetrics")

# the engines whose SQL compares a typed literal with a time column (SQLite stores times as text)
SQL_PUSHDOWN = ("postgresql", "duckdb")


@dataclass
class RowsRead:
    """The raw rows to read, and when a span was pushed down: the span and the whole table's
    time range (UTC; None when it has no rows)."""

    raw: pl.LazyFrame
    span: Span | None = None
    first: datetime | None = None
    last: datetime | None = None
    notes: list[DataWarning] = field(default_factory=list)
    files: list[Path] | None = None  # a Delta table's files holding rows of the span


def rows_read(
    spec: SourceSpec,
    raw: pl.LazyFrame,
    schema: pl.Schema,
    plan: MappingPlan,
    database: Database | None,
    table: LakeTable | None,
) -> RowsRead:
    """The rows of a database or lakehouse table in `spec.span` (a database's rows are
    fetched here: `raw` was its columns only); any other source's `raw` as it is."""
    timed = _time_header(spec, schema, plan)
    span = spec.span if spec.span is not None and not spec.span.is_everything else None
    if span is not None and timed is None and (database or table):
        log.info("%s: every row read: no time column the table types as a time", spec.kind)
    if database is not None:
        if span is None or timed is None or database.engine not in SQL_PUSHDOWN:
            return RowsRead(fetch_rows(spec, database, schema.names()))
        header, dtype = timed
        where = _sql_where(header, dtype, span, spec.source_timezone)
        rows = fetch_rows(spec, database, schema.names(), where)
        low, high = time_range(spec, database, header)
        first, last = _utc(low, dtype, spec), _utc(high, dtype, spec)
        return RowsRead(rows, span, first, last, [_note(spec, span, f"{database.shown}")])
    if table is None or span is None or timed is None:
        return RowsRead(raw)
    header, dtype = timed
    files = table_files(spec, table, header)
    if files is None:  # a file without statistics: every file would be opened anyway
        log.info("%s: every row read: %s has no statistics of %s", spec.kind, table.name, header)
        return RowsRead(raw)
    kept = _overlapping(files, span, dtype, spec)
    read = raw.filter(_polars_between(header, dtype, span, spec.source_timezone))
    first, last = _utc(files.low, dtype, spec), _utc(files.high, dtype, spec)
    shown = f"the {table.name} ({len(kept):,} of {len(files.paths):,} files)"
    return RowsRead(read, span, first, last, [_note(spec, span, shown)], kept)


def _time_header(
    spec: SourceSpec, schema: pl.Schema, plan: MappingPlan
) -> tuple[str, pl.DataType] | None:
    """The one header the time column is read from, when the table types it as a time."""
    column = TIME_COLUMN.get(spec.kind)
    if column is None or column not in plan.columns:
        return None
    found = [hit for h in plan.columns[column].headers if (hit := find_header(h, schema))]
    if len(found) != 1:  # later headers fill the first's gaps: a filter on one would drop rows
        return None
    expr, dtype = found[0]
    name = expr.meta.output_name()
    if not isinstance(dtype, pl.Datetime | pl.Date) or name not in schema:
        return None
    return name, dtype


def _bound(instant: datetime, dtype: pl.DataType, source_tz: str, upper: bool) -> Any:
    """The instant as a value of the column's type: in its own zone, as local time of the
    source's zone when it has none, as the local day (rounded outward) for a date."""
    if isinstance(dtype, pl.Date):
        local = instant.astimezone(zone(source_tz))
        day = local.date()
        return day + timedelta(days=1) if upper and local.time() != time(0) else day
    if isinstance(dtype, pl.Datetime) and dtype.time_zone:
        return instant.astimezone(zone(dtype.time_zone))
    return instant.astimezone(zone(source_tz)).replace(tzinfo=None)


def _polars_between(header: str, dtype: pl.DataType, span: Span, source_tz: str) -> pl.Expr:
    column, kept = pl.col(header), pl.lit(True)
    if span.since is not None:
        kept = kept & (column >= _bound(span.since, dtype, source_tz, upper=False))
    if span.until is not None:
        kept = kept & (column < _bound(span.until, dtype, source_tz, upper=True))
    return kept


def _sql_where(header: str, dtype: pl.DataType, span: Span, source_tz: str) -> str:
    cast = (
        "date"
        if isinstance(dtype, pl.Date)
        else "timestamptz"
        if isinstance(dtype, pl.Datetime) and dtype.time_zone
        else "timestamp"
    )
    parts = []
    for instant, operator, upper in ((span.since, ">=", False), (span.until, "<", True)):
        if instant is not None:
            value = _bound(instant, dtype, source_tz, upper)
            parts.append(f"{quoted(header)} {operator} CAST('{value.isoformat()}' AS {cast})")
    return " AND ".join(parts)


def _utc(value: datetime | date | None, dtype: pl.DataType, spec: SourceSpec) -> datetime | None:
    """A value of the time column as a UTC instant (a naive one in the source's zone)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(spec.source_timezone))
    return value.astimezone(UTC)


def _overlapping(files: TableFiles, span: Span, dtype: pl.DataType, spec: SourceSpec) -> list[Path]:
    """The table's files that hold rows in the span, by their statistics (those Polars opens)."""
    kept = []
    for path, low, high in zip(files.paths, files.lows, files.highs, strict=True):
        start, end = _utc(low, dtype, spec), _utc(high, dtype, spec)
        after = span.since is not None and end is not None and end < span.since
        before = span.until is not None and start is not None and start >= span.until
        if not (after or before):
            kept.append(path)
    return kept


def _note(spec: SourceSpec, span: Span, where: str) -> DataWarning:
    since = "the first row" if span.since is None else f"{span.since:%Y-%m-%d %H:%M} UTC"
    until = "the last row" if span.until is None else f"{span.until:%Y-%m-%d %H:%M} UTC"
    return DataWarning(
        "rows_asked",
        f"{spec.kind}: only the rows from {since} to {until} were read from {where}: those "
        "the window and its look-back need",
        source=spec.kind,
    )
