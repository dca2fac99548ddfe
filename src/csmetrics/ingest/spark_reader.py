"""Reading product events with Spark: any path or URI Spark reads (a file, a glob, a folder,
hive-partitioned or not; `s3a://`, `abfss://`, `hdfs://`), or a Spark DataFrame.

The same contract as the Polars loader (sources/): headers mapped by the same presets and
`--map` options, the same time formats, required values checked, repeated event ids dropped and
the same warnings. What Spark's readers do not do is left to them (CSV quoting, encodings);
messy CSV repairs (preambles, repeated headers, Windows-1252) are the Polars loader's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import reduce
from operator import and_
from typing import Any, NoReturn

import polars as pl
from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.spark.session import from_polars
from csmetrics.core.text import quoted
from csmetrics.ingest.source import Source, empty_column_warnings
from csmetrics.ingest.sources.findings import PLAUSIBLE_START, plausible_end
from csmetrics.ingest.sources.mapping import missing_columns_error, with_detected_preset
from csmetrics.ingest.sources.messy import normalised
from csmetrics.ingest.sources.plan import MappingPlan, mapping_plan
from csmetrics.ingest.sources.quality import quality_warnings
from csmetrics.ingest.sources.schema import DEDUP_COLUMN, SCHEMAS
from csmetrics.ingest.sources.spec import SourceSpec
from csmetrics.ingest.sources.values import (
    EPOCH_END,
    EPOCH_MIN,
    EXPECTED_TIMESTAMP,
    ZERO_TEXT,
    zero_date_instants,
)
from csmetrics.ingest.spark_sources import read_raw

KIND = "events"
KEY = str(DEDUP_COLUMN[KIND])  # event_id
TYPED_TIMES = ("timestamp", "timestamp_ntz", "date")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CANONICAL_DTYPES = {"timestamp": pl.Datetime("us", "UTC")}  # every other events column: text
_ZONE_SUFFIX = r"([zZ]|[+-]\d\d(:?\d\d)?|\s*[A-Za-z]+(/[A-Za-z_]+)*)$"
_EPOCH_TEXT = r"^\s*-?\d+(\.\d+)?\s*$"
_STRFTIME = {"%Y": "yyyy", "%m": "MM", "%d": "dd", "%H": "HH", "%M": "mm", "%S": "ss",
             "%f": "SSSSSS", "%z": "XX", "%b": "MMM", "%y": "yy", "%I": "hh", "%p": "a", "%%": "%"}  # fmt: skip


def load_events(
    spark: SparkSession, spec: SourceSpec, needed: Iterable[str] | None = None
) -> Source:
    """The events as a cleaned canonical Spark frame, with the quality counts and warnings of
    one pass over them."""
    raw, label = read_raw(spark, spec)
    notes: list[DataWarning] = []
    names = raw.columns
    spec = with_detected_preset(spec, pl.Schema(dict.fromkeys(names, pl.String)), notes)
    plan = mapping_plan(spec, needed, lambda h: _header(h, names))
    if plan.missing:
        raise missing_columns_error(
            spec, [], list(plan.missing), pl.Schema(dict.fromkeys(names, pl.String))
        )
    required = [c for c in SCHEMAS[KIND] if c in plan.required]
    values, raws, headers, fallbacks = _planned_values(raw, plan, spec.source_timezone)
    raw_time = raws.get("timestamp", F.lit(None).cast("string"))
    zero = _zero_date(values["timestamp"], raw_time, spec.source_timezone)
    values["timestamp"] = F.when(~zero, values["timestamp"])
    staged = raw.select(
        *(value.alias(n) for n, value in values.items()),
        raw_time.alias("__raw__timestamp"),
        zero.alias("__zero__timestamp"),
    )
    together = [KEY, *plan.key_with]
    if KEY in values:
        staged = staged.withColumn("__key", F.when(F.col(KEY).isNotNull(), F.xxhash64(*together)))
    quality, repeated = _quality_and_repeats(staged, list(values), together)
    if quality["timestamp__invalid"]:
        _raise_unreadable_timestamp(staged, label, headers["timestamp"])
    cleaned = _clean(staged, required, repeated)
    read = list(plan.kept(needed))
    empty = [
        n for n in read if n not in required and quality["rows"] and not quality[f"{n}__values"]
    ]
    kept = [n for n in read if n not in empty]
    frame = pl.DataFrame(schema={n: CANONICAL_DTYPES.get(n, pl.String) for n in kept})
    kept_headers = {n: h for n, h in headers.items() if n in kept}
    warnings = [
        *notes,
        *quality_warnings(KIND, headers, kept, quality),
        *empty_column_warnings(KIND, empty, headers),
    ]
    return Source(
        kind=KIND,
        frame=frame,
        label=label,
        paths=(label,),
        rows=int(quality["rows"]),
        first=quality["first"],
        last=quality["last"],
        headers=kept_headers,
        quality=quality,
        warnings=tuple(warnings),
        preset=spec.preset,
        fallbacks={n: f for n, f in fallbacks.items() if n in kept},
        # kept where Spark can (memory, else its local disk): every output, window and family
        # computed on these inputs reads them, and re-reading would parse the files again
        spark=cleaned.select(*kept).persist(StorageLevel.MEMORY_AND_DISK),
    )


def _quality_and_repeats(
    staged: DataFrame, names: list[str], together: list[str]
) -> tuple[dict[str, Any], DataFrame | None]:
    """The quality counts of one pass, and the repeated keys (None without an event_id)."""
    quality = _quality(staged, names)
    quality["duplicates_by"] = None
    if KEY not in names:
        return quality, None
    others = together[1:]
    quality["duplicates_by"] = KEY + (f" (with {', '.join(others)})" if others else "")
    repeated, quality["duplicates"] = _repeated_keys(staged)
    quality["without_key"] = quality[f"{KEY}__missing"]  # never repeats of one another
    return quality, repeated


def _raise_unreadable_timestamp(staged: DataFrame, label: str, header: str) -> NoReturn:
    """The input error naming the first timestamp text that did not parse."""
    sample = staged.filter(
        F.col("__raw__timestamp").isNotNull()
        & F.col("timestamp").isNull()
        & ~F.col("__zero__timestamp")
    )
    value = sample.select("__raw__timestamp").limit(1).collect()[0][0]
    raise InputError(
        f"{label}: events column {header!r} (timestamp): cannot read {quoted(value)}; "
        f"expected {EXPECTED_TIMESTAMP}"
    )


def _planned_values(
    raw: DataFrame, plan: MappingPlan, source_tz: str
) -> tuple[dict[str, Column], dict[str, Column], dict[str, str], dict[str, tuple[str, ...]]]:
    """Per planned column: its canonical value, its raw text (to show a bad value), the header it
    is read from and the later headers that fill its gaps."""
    values: dict[str, Column] = {}
    raws: dict[str, Column] = {}
    headers: dict[str, str] = {}
    fallbacks: dict[str, tuple[str, ...]] = {}
    dtypes = dict(raw.dtypes)
    for column in plan.columns.values():
        name, found = column.name, column.headers
        present = [_without_nulls(F.col(f"`{h}`"), dtypes[h], column.nulls) for h in found]
        if column.flag is not None:  # a preset's flag: true when its header has a value
            values[name] = present[0].isNotNull()
            headers[name] = f"{column.flag} (has a value)"
            continue
        if column.words:
            present = [
                _with_words(c, dtypes[h], column.words) for c, h in zip(present, found, strict=True)
            ]
        if any(dtypes[h] not in TYPED_TIMES for h in found):  # text or numbers can be bad
            raws[name] = F.coalesce(*(c.cast("string") for c in present))
        if name == "timestamp":
            converted = [
                _timestamp(c, dtypes[h], column.format, source_tz)
                for c, h in zip(present, found, strict=True)
            ]
        else:
            converted = [c.cast("string") for c in present]
        values[name] = F.coalesce(*converted) if len(converted) > 1 else converted[0]
        headers[name] = found[0]
        if len(found) > 1:
            fallbacks[name] = tuple(found[1:])
    return values, raws, headers, fallbacks


def _header(wanted: str, names: list[str]) -> str | None:
    if wanted in names:
        return wanted
    lower = {normalised(n): n for n in names}
    return lower.get(normalised(wanted))


def _without_nulls(column: Column, dtype: str, tokens: tuple[str, ...]) -> Column:
    if dtype != "string":
        return column
    text = F.trim(column)
    return F.when((text == "") | text.isin(list(tokens)), None).otherwise(column)


def _with_words(column: Column, dtype: str, words: Mapping[str, str]) -> Column:
    """A preset's words for canonical values, compared without case or stray spaces."""
    if dtype != "string":
        return column
    said = F.lower(F.trim(column))
    mapping = F.create_map(*(F.lit(x) for pair in words.items() for x in pair))
    return F.when(said.isin(list(words)), mapping[said]).otherwise(column)


def _timestamp(column: Column, dtype: str, fmt: str | None, source_tz: str) -> Column:
    """values.parse_timestamp for Spark: instants as they are; naive times in `source_tz`;
    epoch numbers by magnitude; ISO 8601 text (or `fmt`)."""
    if dtype == "timestamp":
        return column
    if dtype in ("timestamp_ntz", "date"):
        return F.to_utc_timestamp(column.cast("timestamp_ntz").cast("timestamp"), source_tz)
    if dtype != "string":
        return _epoch(column, source_tz)
    text = F.trim(column)
    if fmt:
        parsed = F.try_to_timestamp(text, F.lit(_java_pattern(fmt)))
        return parsed if "%z" in fmt else _from_local(parsed, source_tz)
    iso = text.try_cast("timestamp")
    naive = ~text.rlike(_ZONE_SUFFIX) | text.rlike(r"^\d{4}-\d\d-\d\d$")
    local = F.when(naive, _from_local(iso, source_tz)).otherwise(iso)
    return F.when(text.rlike(_EPOCH_TEXT), _epoch(text, source_tz)).otherwise(local)


def _zero_date(ts: Column, raw_text: Column, source_tz: str) -> Column:
    """values.zero_date for Spark: a zero date's midnight, or text starting 0000-00-00."""
    micros = zero_date_instants(source_tz).dt.epoch("us").to_list()
    at_zero = F.unix_micros(ts).isin(micros) | raw_text.startswith(ZERO_TEXT)
    return F.coalesce(at_zero, F.lit(False))


def _from_local(ts: Column, source_tz: str) -> Column:
    return ts if source_tz == "UTC" else F.to_utc_timestamp(ts, source_tz)


def _epoch(column: Column, source_tz: str) -> Column:
    """values.epoch_to_utc: seconds, milliseconds or microseconds by magnitude; 8 digits are a
    YYYYMMDD date; anything outside 2000..2100 is unreadable."""
    value = column.cast("double")
    size = F.abs(value)
    is_date = (size >= 1e7) & (size < 1e8) & (value == F.floor(value))
    day = F.try_to_timestamp(value.cast("long").cast("string"), F.lit("yyyyMMdd"))
    micros = F.when(size >= 1e14, value).when(size >= 1e11, value * 1e3).otherwise(value * 1e6)
    instant = F.timestamp_micros(F.round(micros, 0).cast("long"))
    plausible = F.when((instant >= F.lit(EPOCH_MIN)) & (instant < F.lit(EPOCH_END)), instant)
    return F.when(is_date, _from_local(day, source_tz)).otherwise(plausible)


def _java_pattern(fmt: str) -> str:
    return re.sub(r"%.", lambda m: _STRFTIME.get(m.group(0), m.group(0)), fmt)


def _quality(staged: DataFrame, names: list[str]) -> dict[str, Any]:
    """One pass: rows, missing and unreadable values, non-empty columns, the time range and,
    without event ids, exact duplicate rows (as the Polars loader: distinct 64-bit hashes)."""
    ts, zero = F.col("timestamp"), F.col("__zero__timestamp")
    invalid = F.col("__raw__timestamp").isNotNull() & ts.isNull() & ~zero
    plausible = (ts >= F.lit(PLAUSIBLE_START)) & (ts < F.lit(plausible_end()))
    outside = F.when(ts.isNotNull() & ~plausible, ts)
    aggs = [
        F.count(outside).alias("timestamp__implausible"),
        F.unix_micros(F.min(outside)).alias("timestamp__implausible_min"),
        F.unix_micros(F.max(outside)).alias("timestamp__implausible_max"),
        F.count(F.lit(1)).alias("rows"),
        F.count_if(invalid).alias("timestamp__invalid"),
        F.count_if(zero).alias("timestamp__zero"),
        F.first(F.when(zero, F.col("__raw__timestamp")), ignorenulls=True).alias(
            "timestamp__zero_sample"
        ),
        # as epoch micros: pyspark turns timestamps into naive datetimes in the process's zone
        # among plausible times, as the Polars loader (sources/findings.py observed_range)
        F.unix_micros(F.coalesce(F.min(F.when(plausible, ts)), F.min(ts))).alias("first"),
        F.unix_micros(F.coalesce(F.max(F.when(plausible, ts)), F.max(ts))).alias("last"),
    ]
    for name in names:
        value = F.col(name)
        aggs.append(F.count_if(value.isNull()).alias(f"{name}__missing"))
        aggs.append(F.count(value).alias(f"{name}__values"))
    if KEY not in names:
        # among the rows cleaning keeps, as the Polars loader counts them
        canonical = [c for c in names if c in SCHEMAS[KIND]]
        required = [c for c in canonical if SCHEMAS[KIND][c].required]
        complete = reduce(and_, (F.col(c).isNotNull() for c in required), F.lit(True))
        distinct = F.count_distinct(F.when(complete, F.xxhash64(*canonical)))
        aggs.append((F.count_if(complete) - distinct).alias("duplicates"))
    row = staged.agg(*aggs).collect()[0].asDict()
    row["timestamp__missing"] = row["timestamp__missing"] - row["timestamp__invalid"]
    for end in ("first", "last", "timestamp__implausible_min", "timestamp__implausible_max"):
        if row[end] is not None:
            row[end] = EPOCH + timedelta(microseconds=row[end])
    return row


def _repeated_keys(staged: DataFrame) -> tuple[DataFrame | None, int]:
    """The event-id hashes more than one row has (kept: read again by the cleaning), and the
    number of rows beyond the first of each."""
    key = F.col("__key")
    counts = staged.filter(key.isNotNull()).groupBy("__key").agg(F.count(F.lit(1)).alias("n"))
    repeated = counts.filter(F.col("n") > 1).persist(StorageLevel.MEMORY_AND_DISK)
    extra = int(repeated.agg(F.sum(F.col("n") - 1)).collect()[0][0] or 0)
    if not extra:
        repeated.unpersist()
        return None, 0
    return repeated.select("__key", F.lit(True).alias("__repeated")), extra


def _clean(staged: DataFrame, required: list[str], repeated: DataFrame | None) -> DataFrame:
    """Rows with every required value; of rows sharing an event id, one (the earliest: Spark
    keeps no file order to take the first by). Only the rows of repeated ids are ordered."""
    frame = staged.drop("__raw__timestamp", "__zero__timestamp")
    if repeated is not None:
        # no broadcast hint: repeated ids are usually few (Spark broadcasts them itself), but an
        # export read twice repeats every id
        flagged = frame.join(repeated, on="__key", how="left")
        order = Window.partitionBy("__key").orderBy("timestamp", "user_id", "event")
        first = (
            flagged.filter(F.col("__repeated"))
            .withColumn("__n", F.row_number().over(order))
            .filter(F.col("__n") == 1)
            .drop("__n")
        )
        frame = flagged.filter(F.col("__repeated").isNull()).unionByName(first)
        frame = frame.drop("__repeated")
    if "__key" in frame.columns:
        frame = frame.drop("__key")
    return frame.filter(reduce(and_, (F.col(c).isNotNull() for c in required)))


def spark_frame_of(spark: SparkSession, source: Source) -> DataFrame:
    """A source the Polars loader read (an in-memory frame) as a Spark frame: ids as text."""
    frame = source.frame.with_columns(
        pl.col(name).cast(pl.String)
        for name, dtype in source.frame.schema.items()
        if name != "timestamp" and dtype != pl.String
    )
    return from_polars(spark, frame)


def as_spark_source(spark: SparkSession, source: Source) -> Source:
    empty = source.frame.clear().with_columns(
        pl.col(n).cast(CANONICAL_DTYPES.get(n, pl.String)) for n in source.frame.columns
    )
    return replace(source, frame=empty, spark=spark_frame_of(spark, source))
