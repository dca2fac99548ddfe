"""One loaded source (`Source`): its cleaned canonical rows and what loading found out about
them. Both readers, Polars's and Spark's, make one; `Inputs` holds them by kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.span import Span


@dataclass(frozen=True)
class Source:
    """One loaded source: its cleaned canonical rows and what loading found out about them."""

    kind: str
    frame: pl.DataFrame
    label: str  # the file, the path or glob as given, or "<kind> (in-memory frame)"
    paths: tuple[str, ...]
    rows: int  # rows read, before cleaning
    first: datetime | None  # observed range of the source's time column
    last: datetime | None
    headers: Mapping[str, str]  # canonical column -> the header it was read from
    quality: Mapping[str, Any]  # counts of loading: missing, invalid, duplicates, rule hits
    warnings: tuple[DataWarning, ...] = ()
    preset: str | None = None  # the export layout it was read as (given or detected)
    fallbacks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # later headers
    # the cleaned rows as a Spark DataFrame (engine="spark"); `frame` is then empty, with the
    # columns and types the rows have
    spark: Any = field(default=None, compare=False, repr=False)
    # the rows asked of a database or lakehouse table, when a known window let only those be
    # read (None: every row); `first` and `last` are still the whole table's range
    read_span: Span | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.frame.columns)

    @property
    def observed(self) -> tuple[datetime | None, datetime | None]:
        return self.first, self.last


def empty_column_warnings(
    kind: str, empty: Iterable[str], headers: Mapping[str, str]
) -> list[DataWarning]:
    return [
        DataWarning(
            "empty_column",
            f"{kind}: column {headers.get(name, name)!r} ({name}) has no value in any row and is "
            "treated as absent",
            source=kind,
        )
        for name in empty
    ]
