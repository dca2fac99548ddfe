"""Checking and cleaning a staged source: missing and unreadable values, repeated ids.

Everything here reads the staged frame (already in memory), never the files; only the error
path goes back to the files, to show a bad value and the file it is in.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.text import quoted
from csmetrics.ingest.sources.canonical import LoadedSource, unreadable
from csmetrics.ingest.sources.dominant import dominant_values
from csmetrics.ingest.sources.files import head_text, resolve_files, sniff_delimiter
from csmetrics.ingest.sources.findings import (
    dominant_value_warnings,
    implausible_range,
    implausible_times,
    minor_units_hint,
    observed_range,
    time_value_warnings,
)
from csmetrics.ingest.sources.presets import PRESETS
from csmetrics.ingest.sources.rules import apply_rules, normalised, rules_for
from csmetrics.ingest.sources.schema import DEDUP_COLUMN, KEY_SEED, SCHEMAS, TIME_COLUMN
from csmetrics.ingest.sources.values import (
    AMBIGUOUS_DATE,
    COMMA_NUMBER,
    DOT_NUMBER,
    EXPECTED_TIMESTAMP,
    MONEY_PLACES,
    ZONE_ABBREVIATION,
    number_problem,
)
from csmetrics.ingest.sources.wide import long_columns, long_rows


def repeated_keys(staged: pl.LazyFrame) -> pl.LazyFrame | None:
    """The dedup keys that more than one row has (None: the source has no key).

    Sorting the 64-bit keys alone and comparing neighbours is 3x faster than a hash-based
    is_first_distinct on 20M rows; repeated keys are few, so the result is small.
    """
    if "__key" not in staged.collect_schema():
        return None
    key = pl.col("__key")
    present = staged.select(key).filter(key.is_not_null())  # a missing id is never a repeat
    return present.select(key.sort()).filter(key == key.shift(1)).unique()


# Sources whose repeated rows are versions of one record, the latest last: a help-desk history
# export lists a ticket once per change, so its last row is the ticket as it is now.
KEEP_LAST = ("tickets",)


def repeated_rows(staged: pl.LazyFrame, keys: pl.Series, kind: str = "") -> pl.LazyFrame:
    """Numbers of the rows whose key (one of the repeated `keys`) another row also has, but the
    one kept: the first in the file, or the last for KEEP_LAST kinds. Only the few rows holding
    such a key are numbered and ordered."""
    key = pl.col("__key")
    holders = staged.select(key, pl.int_range(pl.len(), dtype=pl.UInt32).alias("__row")).filter(
        key.is_in(keys.implode())
    )
    kept = key.is_last_distinct() if kind in KEEP_LAST else key.is_first_distinct()
    return holders.sort("__row").filter(~kept).select("__row")


def clean_frame(
    source: LoadedSource, staged: pl.LazyFrame, repeated: pl.Series | None
) -> pl.LazyFrame:
    """Rows with every required value, each id once, only the columns asked for."""
    schema = SCHEMAS[source.spec.kind]
    frame = staged
    if repeated is not None and repeated.len():
        # Rows repeating an id are copies of one record; the first copy stays.
        row = pl.int_range(pl.len(), dtype=pl.UInt32)
        frame = frame.filter(~row.is_in(repeated.implode()))
    columns = long_columns(source.columns)
    frame = long_rows(frame)  # a wide CX index export: one row per answer from here on
    required = [n for n in columns if schema[n].required]
    frame = frame.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in required))
    return apply_rules(source.spec.kind, frame, columns).select(columns)


def quality_frame(source: LoadedSource, staged: pl.LazyFrame) -> pl.LazyFrame:
    """One row: rows, missing and invalid values per column, observed time range, and (without a
    dedup key) exact duplicate rows; with a key, duplicates are the `repeated_rows`."""
    spec, schema = source.spec, SCHEMAS[source.spec.kind]
    names = staged.collect_schema().names()
    aggs: list[pl.Expr] = [pl.len().alias("rows")]
    for name in source.headers:
        if name not in names:  # the dedup key, when only its hash was kept
            continue
        invalid = pl.col(f"__invalid__{name}").sum() if name in source.checked else pl.lit(0)
        aggs.append((pl.col(name).null_count() - invalid).alias(f"{name}__missing"))
        aggs.append(invalid.alias(f"{name}__invalid"))
    time_column = TIME_COLUMN.get(spec.kind)
    if time_column and time_column in names:
        aggs += observed_range(pl.col(time_column))
    for name in source.zero_dates:
        aggs.append(pl.col(f"__zero__{name}").sum().alias(f"{name}__zero"))
        aggs += implausible_times(pl.col(name), name)
    # the value rules are counted on the rows as cleaning sees them (a wide CX index export's
    # answers one per row), so the counts are of what it drops
    answers = long_rows(staged)
    answer_names = answers.collect_schema().names()
    rule_counts = [
        rule.hits.fill_null(False).sum().alias(f"rule__{rule.code}")
        for rule in rules_for(spec.kind, answer_names)
    ]
    if "__key" in names:
        preset = PRESETS.get(spec.preset) if spec.preset else None
        others = preset.dedup_with if preset else ()
        together = str(DEDUP_COLUMN[spec.kind]) + (f" (with {', '.join(others)})" if others else "")
        aggs.append(pl.lit(together).alias("duplicates_by"))
        aggs.append(pl.col("__key").null_count().alias("without_key"))
    else:
        # counted among the rows cleaning keeps (every required value present), so a row
        # dropped for a missing id is not also counted as a repeat
        canonical = [n for n in names if n in schema]
        complete = pl.all_horizontal(
            [pl.col(n).is_not_null() for n in canonical if schema[n].required] or [pl.lit(True)]
        )
        rows = pl.struct(*canonical).hash(seed=7).filter(complete)
        aggs.append((complete.sum() - rows.n_unique()).alias("duplicates"))
        aggs.append(pl.lit(None, pl.String).alias("duplicates_by"))
    if answers is staged or not rule_counts:  # the usual case: one pass
        return staged.with_columns(normalised(spec.kind, names)).select(*aggs, *rule_counts)
    counted = staged.with_columns(normalised(spec.kind, names)).select(aggs)
    ruled = answers.with_columns(normalised(spec.kind, answer_names)).select(rule_counts)
    return pl.concat([counted, ruled], how="horizontal")


def assess(
    sources: Mapping[str, LoadedSource], staged: Mapping[str, pl.LazyFrame]
) -> tuple[dict[str, dict[str, Any]], dict[str, pl.Series | None]]:
    """Each source's quality row (as a dict) and its repeated rows, from the staged frames.

    The repeated keys are collected first: most exports have none, and then the rows are never
    numbered; otherwise finding their rows is a lookup in a small set.
    """
    kinds = list(sources)
    frames: list[pl.LazyFrame] = []
    for kind in kinds:
        frames.append(quality_frame(sources[kind], staged[kind]))
        keys = repeated_keys(staged[kind])
        frames.append(pl.LazyFrame() if keys is None else keys)
    collected = pl.collect_all(frames)
    qualities: dict[str, dict[str, Any]] = {}
    repeats: dict[str, pl.Series | None] = {}
    for index, kind in enumerate(kinds):
        quality = collected[2 * index].row(0, named=True)
        keys_found = collected[2 * index + 1]
        if "__key" not in keys_found.columns:
            repeats[kind] = None
        elif keys_found.height == 0:
            repeats[kind] = pl.Series("__row", [], dtype=pl.UInt32)
        else:
            rows = repeated_rows(staged[kind], keys_found["__key"], kind).collect()
            repeats[kind] = rows["__row"]
        if repeats[kind] is not None:
            quality["duplicates"] = repeats[kind].len()  # type: ignore[union-attr]
        quality.update(dominant_values(sources[kind], staged[kind], quality["rows"], KEY_SEED))
        qualities[kind] = quality
    return qualities, repeats


def _bad_value(source: LoadedSource, name: str) -> tuple[str | None, str | None]:
    """The first unreadable value of a column, and the first day/month-ambiguous one (error path)."""
    raw, value = source.raws[name], source.conversions[name]
    text = raw.cast(pl.String)
    invalid = unreadable(
        raw, value, SCHEMAS[source.spec.kind][name].kind, source.zero_dates.get(name)
    )
    row = (
        source.raw.select(
            text.filter(invalid).first().alias("sample"),
            text.filter(invalid & text.str.contains(AMBIGUOUS_DATE)).first().alias("ambiguous"),
        )
        .collect()
        .row(0)
    )
    return row[0], row[1]


def check_quality(source: LoadedSource, quality: dict[str, Any]) -> list[DataWarning]:
    """Input errors for values that cannot be read; warnings for rows dropped or duplicated."""
    kind, schema = source.spec.kind, SCHEMAS[source.spec.kind]
    warnings: list[DataWarning] = list(source.notes)
    for name in source.headers:
        header = source.headers[name]
        if (quality.get(f"{name}__invalid") or 0) > 0:
            sample, ambiguous = _bad_value(source, name)
            where = _where(source, name, ambiguous or sample)
            if ambiguous is not None and not source.spec.formats.get(name):
                raise InputError(
                    f"{where}: {kind} column {header!r} ({name}): {quoted(ambiguous)} has an ambiguous "
                    f'day/month order; give its format, e.g. formats = {{ {name} = "%d-%m-%Y %H:%M" }} '
                    f"under [sources.{kind}]"
                )
            column_kind = schema[name].kind
            problem = number_problem(sample or "") if column_kind in NUMERIC_KINDS else None
            expected = _expected(column_kind, sample, source.spec.formats.get(name))
            why = f": {problem}" if problem else f"; expected {expected}"
            raise InputError(
                f"{where}: {kind} column {header!r} ({name}): cannot read {quoted(sample)}{why}"
            )
    for name, zero in source.zero_dates.items():
        if quality.get(f"{name}__zero"):
            text = source.raws[name].cast(pl.String)
            sample = source.raw.select(text.filter(zero).first()).collect().item()
            quality[f"{name}__zero_sample"] = sample
    warnings += minor_units_hint(source)
    columns = long_columns(source.columns)  # the value rules apply to the cleaned rows
    return warnings + quality_warnings(kind, source.headers, columns, quality)


# Why rows that repeat another in every mapped column are kept: nothing tells copies apart.
NO_KEY = {
    "events": "there is no event_id to tell a copy from a second event at the same instant",
    "billing": "invoice lines carry no line id: an invoice may bill the same item twice",
    "surveys": "answers carry no id: two respondents may answer alike at the same instant",
    "tickets": "there is no ticket_id to tell them apart",
    "accounts": "there is no account_id to tell them apart",
    "subscriptions": "there is no subscription_id to tell them apart",
}


def quality_warnings(
    kind: str, headers: Mapping[str, str], columns: Collection[str], quality: Mapping[str, Any]
) -> list[DataWarning]:
    """Warnings for rows dropped or duplicated, rule hits and an implausible time range, from a
    source's quality counts (whichever engine counted them)."""
    schema = SCHEMAS[kind]
    warnings: list[DataWarning] = []
    for name, header in headers.items():
        missing = quality.get(f"{name}__missing") or 0
        if missing and schema[name].required:
            warnings.append(
                DataWarning(
                    "missing_value",
                    f"{kind}: {missing} rows without {name} (column {header!r}) were dropped",
                    count=int(missing),
                    source=kind,
                )
            )
    duplicates = int(quality.get("duplicates") or 0)
    if duplicates:
        by = quality.get("duplicates_by")
        kept = "the last row of each is kept (its latest version)" if kind in KEEP_LAST else ""
        message = (
            f"{kind}: {duplicates:,} rows repeat another row's {by} and were dropped"
            + (f"; {kept}" if kept else "")
            if by
            else f"{kind}: {duplicates:,} rows repeat another row in every mapped column; "
            f"kept, as {NO_KEY[kind]}"
        )
        warnings.append(DataWarning("duplicate_rows", message, count=duplicates, source=kind))
    for rule in rules_for(kind, columns):
        count = int(quality.get(f"rule__{rule.code}") or 0)
        if count:
            message = f"{kind}: " + rule.message.format(count=count)
            warnings.append(DataWarning(rule.code, message, count=count, source=kind))
    warnings.extend(implausible_range(kind, quality))
    warnings.extend(time_value_warnings(kind, headers, quality))
    warnings.extend(dominant_value_warnings(kind, headers, quality))
    return warnings


NUMERIC_KINDS = ("number", "minutes", "money", "integer")


def _expected(kind: str, sample: str | None, fmt: str | None = None) -> str:
    """What a column of `kind` expects (the `formats` entry when there is one), and why
    `sample` is not it."""
    if kind == "datetime" and fmt:
        return f"the format {fmt!r} given in formats"
    zone = re.search(ZONE_ABBREVIATION, sample or "") if kind == "datetime" else None
    if zone and zone.group(1).upper() not in ("UTC", "GMT", "Z"):
        return (
            f"a time without the zone abbreviation {zone.group(1)!r}, which is ambiguous "
            "(several zones share most abbreviations): write UTC offsets (+03:00), or drop "
            'the abbreviation and set source_timezone = "Europe/Moscow" (an IANA name)'
        )
    if kind == "datetime":
        return EXPECTED_TIMESTAMP
    if kind == "integer":
        return "a whole number (a fraction is never rounded)"
    if kind == "rating":
        return "a rating of 1-5, good or bad (offered/unoffered: not rated)"
    if kind == "boolean":
        return "true/false, yes/no or 1/0"
    text = (sample or "").strip()
    if re.fullmatch(DOT_NUMBER, text) or re.fullmatch(COMMA_NUMBER, text):
        return (
            "one decimal convention per column, but the column mixes decimal points and "
            'decimal commas; say which with decimal = "." or decimal = "," in the mapping'
        )
    if kind == "minutes":
        return "a duration: a number such as 95.5, or H:MM:SS such as 1:35:30"
    if kind == "money":
        return f"an amount such as 49.90 or 1.234,56 (at most {MONEY_PLACES} decimal places)"
    return "a number such as 49.90 or 1.234,56"


def _where(source: LoadedSource, name: str, value: str | None) -> str:
    """ "FILE, row N": where a bad value first stands (data rows counted from 1 after any header;
    an extra, small query run only on the error path)."""
    if value is None:
        return source.label
    try:
        if len(source.files) <= 1:
            text = source.raws[name].cast(pl.String)
            index = pl.int_range(pl.len()).filter(text == value).first()
            row = source.raw.select(index).collect().item()
            return source.label if row is None else f"{source.label}, row {row + 1}"
        return _file_and_row(source, name, value)
    except Exception:  # the hunt for a better message must never hide the real error
        return source.label


def _file_and_row(source: LoadedSource, name: str, value: str) -> str:
    """The file of a multi-file source holding `value` in the column's header, and its row."""
    header = source.headers[name].split(".")[0]
    files, fmt, gz, _ = resolve_files(source.spec)
    names = [f.as_posix() for f in files]
    if fmt == "parquet":
        frame = pl.scan_parquet(names, include_file_paths="__file", glob=False)
    elif fmt == "csv" and not gz:
        separator = sniff_delimiter(head_text(files[0], gz, source.spec.encoding).splitlines()[0])
        frame = pl.scan_csv(
            names,
            separator=separator,
            infer_schema=False,
            include_file_paths="__file",
            glob=False,
        )
    else:
        return source.label
    hit = (
        frame.select(
            "__file",
            pl.int_range(pl.len()).over("__file").alias("__row"),
            pl.col(header).cast(pl.String).alias("__value"),
        )
        .filter(pl.col("__value") == value)
        .head(1)
        .collect()
    )
    if not hit.height:
        return source.label
    return f"{hit['__file'].item()}, row {hit['__row'].item() + 1}"
