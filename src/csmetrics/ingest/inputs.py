"""Loading, done once: every source read, mapped, checked, cleaned and held in memory.

`load_inputs` returns `Inputs`: the canonical frames with their observed time ranges, profiles
and warnings. Computing a family (`runner.compute`) takes them and never reads a file, so one
load serves any number of families and windows (a report's current and previous window alike).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.engine import Engine, engine_of
from csmetrics.core.span import Span
from csmetrics.core.timeparts import ONE_MICROSECOND
from csmetrics.ingest.config import Config
from csmetrics.ingest.source import Source, empty_column_warnings
from csmetrics.ingest.sources.canonical import LoadedSource
from csmetrics.ingest.sources.quality import check_quality, clean_frame
from csmetrics.ingest.sources.read import load_and_assess
from csmetrics.ingest.sources.schema import SCHEMAS
from csmetrics.ingest.sources.spec import SourceSpec
from csmetrics.ingest.sources.wide import COMPONENT_COLUMNS, wide_columns


@dataclass(frozen=True)
class Inputs:
    """The loaded sources by kind (`events`, `tickets`, `billing`, `surveys`, `accounts`).

    `inputs["events"]` is the canonical events frame. User and session ids of events are held as
    64-bit hashes: metrics only compare them, and hashes are 20x cheaper than text at 20M rows.
    """

    sources: Mapping[str, Source] = field(default_factory=dict)
    # the config the sources were loaded with (`cm.load(config=...)`, the command line): its
    # family tables and window settings apply to every family computed on these inputs
    config: Config | None = field(default=None, compare=False)
    # distinct values of a column, found once per load (`distinct`)
    _distinct: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __getitem__(self, kind: str) -> pl.DataFrame:
        return self.sources[kind].frame

    def distinct(self, kind: str, column: str) -> tuple[str, ...]:
        """The distinct values (as text, sorted) of a loaded column: one pass over it the first
        time (a Spark query for events Spark holds), remembered for every family after."""
        key = f"{kind}.{column}"
        if key not in self._distinct:
            source = self.sources[kind]
            if source.spark is not None:
                rows = source.spark.select(column).distinct().collect()
                found = [str(row[0]) for row in rows if row[0] is not None]
            else:
                # unique values, not a categorical's categories: those also hold every name a
                # query compared the column with
                series = source.frame.get_column(column).drop_nulls().unique()
                found = series.cast(pl.String).to_list()
            self._distinct[key] = tuple(sorted(found))
        return self._distinct[key]

    def __contains__(self, kind: object) -> bool:
        return kind in self.sources

    def __iter__(self) -> Iterator[str]:
        return iter(self.sources)

    @property
    def warnings(self) -> list[DataWarning]:
        return [w for source in self.sources.values() for w in source.warnings]


def load_inputs(
    specs: Mapping[str, SourceSpec],
    needed: Mapping[str, Iterable[str] | None] | None = None,
    engine: Engine | None = None,
) -> Inputs:
    """Read every source once. `needed`: per source, the canonical columns to keep (default
    all; a command computing one family keeps only what that family reads). With the Spark
    engine, the events are read by Spark (an in-memory frame is read here, then handed to it)
    and stay there; the other sources are small and read here."""
    engine = engine or engine_of()
    given = specs["events"].spark_data if "events" in specs else None
    if given is not None and not engine.is_spark:  # a Spark DataFrame stays on its session
        engine = Engine("spark", session=given.sparkSession)
    if engine.is_spark and "events" in specs:
        return _with_events_on_spark(specs, needed, engine)
    requests = {kind: (spec, (needed or {}).get(kind)) for kind, spec in specs.items()}
    loaded, staged, qualities, repeats = load_and_assess(requests)
    warnings = {kind: check_quality(loaded[kind], qualities[kind]) for kind in loaded}
    kinds = list(loaded)
    cleaned = pl.collect_all([clean_frame(loaded[k], staged[k], repeats[k]) for k in kinds])
    del staged  # the staged copies (with ids and flags): free them before anything else runs
    return Inputs(
        {
            kind: _source(loaded[kind], frame, qualities[kind], warnings[kind])
            for kind, frame in zip(kinds, cleaned, strict=True)
        }
    )


def _without_empty_columns(
    kind: str, frame: pl.DataFrame, headers: Mapping[str, str]
) -> tuple[pl.DataFrame, list[DataWarning]]:
    """Optional columns with no value in any row are treated as absent, with a warning: an
    export that has the header but never fills it (Segment without context.groupId, Amplitude's
    session_id of -1 everywhere) must give "unknown", not counts of 0."""
    if frame.height == 0:
        return frame, []
    required = {name for name, column in SCHEMAS[kind].items() if column.required}
    empty = [
        name
        for name in frame.columns
        if name not in required and frame[name].null_count() == frame.height
    ]
    return frame.drop(empty), empty_column_warnings(kind, empty, headers)


def _source(
    loaded: LoadedSource,
    frame: pl.DataFrame,
    quality: dict[str, Any],
    warnings: list[DataWarning],
) -> Source:
    frame, empty = _without_empty_columns(loaded.spec.kind, frame, loaded.headers)
    warnings = [*warnings, *empty]
    return Source(
        kind=loaded.spec.kind,
        frame=frame,
        label=loaded.label,
        paths=tuple(f.as_posix() for f in loaded.files),
        rows=int(quality["rows"]),
        first=_whole_range_end(quality.get("first"), loaded.table_range[0], loaded.read_span, 0),
        last=_whole_range_end(quality.get("last"), loaded.table_range[1], loaded.read_span, 1),
        headers=_headers(loaded.headers, frame.columns),
        quality=quality,
        warnings=tuple(warnings),
        preset=loaded.spec.preset,
        fallbacks={k: v for k, v in loaded.fallbacks.items() if k in frame.columns},
        read_span=loaded.read_span,
    )


# a table's least time outside these is a zero date or an epoch 0, not the data's start
PLAUSIBLE_YEARS = range(1971, 2101)


def _whole_range_end(
    read: datetime | None, table: datetime | None, span: Span | None, end: int
) -> datetime | None:
    """The first (`end` 0) or last (1) time of the whole table, when only a span of it was
    read: the table's own (from its statistics or a min/max query) when it lies beyond the
    rows read; the span's bound instead when that one is not a plausible time (a zero date
    the cleaning reads as missing), since every window and bucket lies inside the span."""
    if span is None or table is None:
        return read
    beyond = read is None or (table < read if end == 0 else table > read)
    if not beyond:
        return read
    if table.year in PLAUSIBLE_YEARS:
        return table
    bound = span[end]
    return bound if end == 0 or bound is None else bound - ONE_MICROSECOND


def _headers(read: Mapping[str, str], columns: list[str]) -> dict[str, str]:
    """Each column's header in the export. A wide CX index export's component columns were
    read (and stay listed) though its rows are long now: its scores come from them."""
    headers = {k: v for k, v in read.items() if k in columns or k in COMPONENT_COLUMNS}
    wide = wide_columns(read)
    if wide:
        headers["score"] = ", ".join(read[c] for c in wide)
        headers["component"] = "(the column of each score)"
    return headers


def _with_events_on_spark(
    specs: Mapping[str, SourceSpec],
    needed: Mapping[str, Iterable[str] | None] | None,
    engine: Engine,
) -> Inputs:
    spark = engine.spark()  # first: says how to install pyspark when it is missing
    from csmetrics.core.spark.session import utc
    from csmetrics.ingest.spark_reader import as_spark_source, load_events

    events_spec = specs["events"]
    in_memory = events_spec.data is not None
    others = {k: s for k, s in specs.items() if k != "events" or in_memory}
    loaded = load_inputs(others, needed, Engine()) if others else Inputs()
    sources = dict(loaded.sources)
    with utc(spark):
        if in_memory:
            sources["events"] = as_spark_source(spark, sources["events"])
        else:
            sources["events"] = load_events(spark, events_spec, (needed or {}).get("events"))
    return Inputs({kind: sources[kind] for kind in specs})
