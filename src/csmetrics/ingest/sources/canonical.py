"""Loading one source: files -> raw scan -> canonical, typed columns, all still lazy.

`load_source` maps an export's headers onto the canonical schema (explicit mapping, preset,
canonical name), converts values (values.py) and describes the `staged` frame that one pass over
the files materialises (read.py); quality.py derives the checks and the cleaned rows from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.ingest.sources.files import (
    describe_files,
    first_line,
    format_of,
    resolve_files,
    scan_raw,
)
from csmetrics.ingest.sources.mapping import (
    column_mapping,
    every_layout,
    find_header,
    with_detected_preset,
)
from csmetrics.ingest.sources.messy import normalised
from csmetrics.ingest.sources.presets import PRESETS
from csmetrics.ingest.sources.schema import DEDUP_COLUMN, DEDUP_ONLY, SCHEMAS
from csmetrics.ingest.sources.spec import SourceSpec
from csmetrics.ingest.sources.values import UNRATED_WORDS, convert, detect_layout

__all__ = ["LoadedSource", "SourceSpec", "load_source"]


@dataclass
class LoadedSource:
    """A source ready to read: `staged` is what one pass over the files materialises.

    `staged` holds the canonical columns read, a 64-bit hash of the dedup key (`__key`) and, for
    typed columns read from text, a flag per row whose value could not be converted
    (`__invalid__<column>`). `quality_frame` and `clean_frame` derive everything else from it,
    so the files are scanned once.
    """

    spec: SourceSpec
    files: list[Path]
    staged: pl.LazyFrame
    columns: tuple[str, ...]  # canonical columns `clean_frame` returns
    headers: dict[str, str]  # canonical column -> the header it was read from (all read)
    checked: tuple[str, ...]  # columns with an __invalid__ flag
    raw: pl.LazyFrame  # for error messages only: finding a bad value and its file
    raws: dict[str, pl.Expr]
    conversions: dict[str, pl.Expr]
    layouts: dict[str, str]  # timestamp columns read with one layout found in a sample
    needed: Iterable[str] | None
    notes: list[DataWarning] = field(default_factory=list)  # how the files were read
    # canonical column -> the headers read where the first is empty (Amplitude's device_id)
    fallbacks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    careful: bool = False  # CSV read by the thorough reader (sources/messy.py)

    @property
    def is_csv(self) -> bool:
        if not self.files:
            return False
        if self.spec.format_in:
            return self.spec.format_in == "csv"
        return all((format_of(f) or ("",))[0] == "csv" for f in self.files)

    def has(self, column: str) -> bool:
        return column in self.columns

    @property
    def label(self) -> str:
        return self.files[0].as_posix() if len(self.files) == 1 else self.spec.label


def load_source(
    spec: SourceSpec,
    needed: Iterable[str] | None = None,
    *,
    detect_layouts: bool = True,
    careful: bool = False,
) -> LoadedSource:
    """The source as a canonical LazyFrame with only the `needed` columns (all when None).

    Required columns are always read; a column read only to find repeated rows (DEDUP_ONLY) is
    dropped afterwards unless `needed` names it. Nothing is collected here.
    """
    if spec.kind not in SCHEMAS:
        raise InputError(f"unknown source kind {spec.kind!r}")
    files, raw, notes = _scan(spec, careful)
    raw_schema = raw.collect_schema()
    spec = with_detected_preset(spec, raw_schema, notes)
    schema = SCHEMAS[spec.kind]
    required = {c for c, col in schema.items() if col.required}
    wanted = set(schema) if needed is None else set(needed) | required
    key = DEDUP_COLUMN.get(spec.kind)
    if key:
        wanted.add(key)
    preset = PRESETS.get(spec.preset) if spec.preset else None
    conversions: dict[str, pl.Expr] = {}
    raws: dict[str, pl.Expr] = {}
    headers: dict[str, str] = {}
    fallbacks: dict[str, tuple[str, ...]] = {}
    dtypes: dict[str, pl.DataType] = {}
    layouts: dict[str, str] = {}
    missing: list[tuple[str, tuple[str, ...], bool]] = []
    for name, (candidates, explicit) in column_mapping(spec).items():
        if name not in wanted:
            continue
        if name == "survey" and spec.survey:
            conversions[name] = pl.lit(spec.survey, pl.String).alias(name)
            headers[name] = f"--survey {spec.survey}"
            continue
        flag = preset.flags.get(name) if preset is not None and not explicit else None
        if flag is not None and (hit := find_header(flag, raw_schema)) is not None:
            present = _without_nulls(hit[0], hit[1], spec.null_values, blank=True)
            conversions[name] = present.is_not_null().alias(name)
            headers[name] = f"{flag} (has a value)"
            continue
        found = [(c, hit) for c in candidates if (hit := find_header(c, raw_schema)) is not None]
        if not found:
            if explicit or name in required:
                missing.append((name, candidates, explicit))
            continue
        column = schema[name]
        nulls = (*spec.null_values, *(preset.null_values.get(name, ()) if preset else ()))
        fmt = spec.formats.get(name)
        sniff = detect_layouts and column.kind == "datetime" and not fmt
        converted = []
        words = preset.words.get(name, {}) if preset is not None and not explicit else {}
        for _, (expr, dtype) in found:
            value = _without_nulls(expr, dtype, nulls, blank=files == [] or _not_csv(files))
            if words and dtype == pl.String:
                said = value.str.strip_chars().str.to_lowercase()
                value = pl.when(said.is_in(list(words))).then(said.replace(words)).otherwise(value)
            layout = None
            if sniff and dtype == pl.String:
                layout = detect_layout(_sample(raw, value), spec.source_timezone)
                if layout:
                    layouts[name] = layout
            converted.append(
                convert(
                    value,
                    column.kind,
                    dtype,
                    fmt,
                    spec.source_timezone,
                    layout,
                    decimal=spec.decimal,
                    cents=column.kind == "money" and _amount_unit(spec) == "cents",
                )
            )
        raw_value = (
            _without_nulls(found[0][1][0], found[0][1][1], nulls, blank=True)
            if len(found) == 1
            else pl.coalesce(
                *(
                    _without_nulls(e.cast(pl.String), pl.String(), nulls, True)
                    for _, (e, _) in found
                )
            )
        )
        value = converted[0] if len(converted) == 1 else pl.coalesce(*converted)
        conversions[name] = value.alias(name)
        raws[name] = raw_value
        headers[name] = found[0][0]
        if len(found) > 1:
            fallbacks[name] = tuple(header for header, _ in found[1:])
        dtypes[name] = found[0][1][1] if len(found) == 1 else pl.String()
    if missing:
        raise missing_columns_error(spec, files, missing, raw_schema)
    checked = tuple(name for name in raws if _can_be_invalid(schema[name].kind, dtypes[name]))
    staged_columns = [*conversions.values()]
    staged_columns += [
        unreadable(raws[n], conversions[n], schema[n].kind).alias(f"__invalid__{n}")
        for n in checked
    ]
    if key and key in conversions:
        # Ids are compared by their 64-bit hash: 3x faster than strings on 20M ids; two distinct
        # ids collide with probability ~n^2/2^65 (1e-5 for 20M rows), which would drop one row.
        # A missing id is no id: its row is never a repeat.
        together = [
            conversions[c] for c in (preset.dedup_with if preset else ()) if c in conversions
        ]
        identity = pl.struct(conversions[key], *together) if together else conversions[key]
        hashed = pl.when(conversions[key].is_not_null()).then(identity.hash(seed=11))
        staged_columns.append(hashed.alias("__key"))
    dedup_only = set(DEDUP_ONLY.get(spec.kind, ())) - set(needed or ())
    kept = tuple(c for c in conversions if (needed is None or c in wanted) and c not in dedup_only)
    staged = raw.select(staged_columns)
    dropped = [c for c in conversions if c not in kept]
    if dropped:
        staged = staged.drop(dropped)
    return LoadedSource(
        spec,
        files,
        staged,
        kept,
        headers,
        checked,
        raw,
        raws,
        conversions,
        layouts,
        needed,
        notes=notes,
        fallbacks=fallbacks,
        careful=careful,
    )


def _scan(spec: SourceSpec, careful: bool) -> tuple[list[Path], pl.LazyFrame, list[DataWarning]]:
    """The files, their raw scan and notes on how they were read; an in-memory frame has no
    files. `careful`: read CSV files with the thorough reader (sources/messy.py)."""
    if spec.data is not None:
        return [], spec.data, []
    files, fmt, gz, root = resolve_files(spec)
    automatic = spec.preset in (None, "auto") and not spec.columns
    layout = every_layout(spec) if automatic else column_mapping(spec)
    expected = {normalised(c) for candidates, _ in layout.values() for c in candidates}
    try:
        raw, notes = scan_raw(spec, files, fmt, gz, root, expected, careful)
        raw.collect_schema()
    except InputError:
        raise
    except Exception as exc:  # polars raises many types for unreadable files
        raise InputError(
            f"{spec.kind}: {describe_files(files)}: cannot be read as {fmt}: {first_line(exc)}"
        ) from exc
    return files, raw, notes


def _not_csv(files: list[Path]) -> bool:
    """CSV reads empty cells as missing already; other formats may hold empty strings."""
    return any(format_of(f) not in (("csv", False), ("csv", True)) for f in files)


def _without_nulls(
    expr: pl.Expr, dtype: pl.DataType, tokens: tuple[str, ...], blank: bool
) -> pl.Expr:
    """The column with the `null_values` tokens, and (`blank`) empty strings, as missing."""
    checks = []
    if tokens:
        checks.append(expr.cast(pl.String).is_in(list(tokens)))
    if blank and dtype == pl.String:
        checks.append(expr.str.len_bytes() == 0)
    if not checks:
        return expr
    return pl.when(~pl.any_horizontal(checks)).then(expr)


def unreadable(raw: pl.Expr, value: pl.Expr, kind: str) -> pl.Expr:
    """Rows with a value present in the file that did not convert."""
    unread = raw.is_not_null() & value.is_null()
    if kind == "rating":  # "offered", "unoffered": a state, not an unreadable rating
        words = raw.cast(pl.String).str.strip_chars().str.to_lowercase()
        return unread & ~words.is_in(list(UNRATED_WORDS))
    return unread


def _can_be_invalid(kind: str, dtype: pl.DataType) -> bool:
    """Whether a present value of this column can fail to convert (and so needs a flag)."""
    if kind == "datetime":
        return dtype == pl.String or dtype.is_numeric()  # epoch numbers out of range
    if kind in ("number", "money", "boolean", "rating"):
        return dtype == pl.String
    if kind == "integer":
        return dtype == pl.String or dtype.is_float()  # fractions
    return False


def _sample(raw: pl.LazyFrame, expr: pl.Expr, rows: int = 2000) -> pl.Series:
    """The first values of a column: a small read, to choose how to parse the rest."""
    try:
        return raw.select(expr.alias("sample")).head(rows).collect().to_series()
    except Exception:  # a broken file is reported by the main read, with its name
        return pl.Series("sample", [], dtype=pl.String)


def _amount_unit(spec: SourceSpec) -> str:
    preset = PRESETS.get(spec.preset) if spec.preset else None
    return spec.amount_unit or (preset.amount_unit if preset else "units")


def missing_columns_error(
    spec: SourceSpec,
    files: list[Path],
    missing: list[tuple[str, tuple[str, ...], bool]],
    raw_schema: pl.Schema,
) -> InputError:
    """One error listing every missing column, the headers found and the --map lines to add."""
    shown = ", ".join(raw_schema.names()[:20]) + (" ..." if len(raw_schema) > 20 else "")
    where = describe_files(files) if files else spec.label
    parts = []
    for name, candidates, explicit in missing:
        looked = " or ".join(repr(c) for c in candidates)
        how = "mapped by you to" if explicit else "expected"
        parts.append(f"{name!r} ({how} {looked})")
    fixes = " ".join(f"--map {spec.kind}.{name}=HEADER" for name, _, _ in missing)
    if any(name == "survey" for name, _, _ in missing):
        fixes += " (or, for an export of one survey kind, --survey nps|csat|ces)"
    noun = "column" if len(missing) == 1 else "columns"
    return InputError(
        f"{where}: {spec.kind} {noun} not found: {', '.join(parts)}; map with {fixes}. "
        f"Headers: {shown}"
    )
