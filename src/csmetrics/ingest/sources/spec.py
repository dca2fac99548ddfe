"""Where a source is and how to read it: what the config, the command line or a notebook says."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import polars as pl

from csmetrics.core.span import Span


@dataclass(frozen=True)
class SourceSpec:
    """Where a source is and how to read it.

    `path` names a file, a glob or a folder; `data` (instead of a path) is an in-memory frame read
    exactly like a file's rows: the same mapping, value rules and checks.
    """

    kind: str
    path: str = ""
    format_in: str | None = None
    preset: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    amount_unit: str | None = None  # "cents" for minor units; None: the preset's, else units
    encoding: str | None = None
    source_timezone: str = "UTC"
    decimal: str | None = None  # "." or ","; None: each number column decides from its values
    null_values: tuple[str, ...] = ()  # tokens read as missing besides empty cells
    survey: str | None = (
        None  # surveys of one kind without a `survey` column: nps, csat, ces or cxi
    )
    # billing's other files beside the lines in `path`: {"invoices": PATH, "payments": PATH}
    parts: dict[str, str] = field(default_factory=dict)
    max_field_mb: float | None = None  # the longest line read (sources/bounds.py; None: 16)
    origin: str | None = None  # what an in-memory frame was made from (joined billing files)
    # a database source (sources/database.py): its table, or a query, when `path` is a URI or
    # a database file (a URI may say ?table=NAME instead)
    table: str | None = None
    query: str | None = None
    version: int | None = None  # a Delta version or Iceberg snapshot (sources/lake.py)
    # the rows of its time column a run needs (None: all), asked of a database or a lakehouse
    # table alone (sources/pushdown.py); files are read whole
    span: Span | None = None
    data: pl.LazyFrame | None = field(default=None, compare=False, repr=False)
    spark_data: Any = field(default=None, compare=False, repr=False)  # a Spark DataFrame

    @property
    def label(self) -> str:
        if self.spark_data is not None:
            return f"{self.kind} (Spark DataFrame)"
        if self.data is None:
            shown = redacted(self.path) if "://" in self.path else self.path
            return f"{shown} (table {self.table})" if self.table else shown
        return self.origin or f"{self.kind} (in-memory frame)"


def redacted(uri: str) -> str:
    """The URI with its password (if any) as ***."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
