"""Loading one source: files -> raw scan -> canonical, typed columns, all still lazy.

`load_source` maps an export's headers onto the canonical schema (explicit mapping, preset,
canonical name), converts values (values.py) and describes the `staged` frame that one pass over
the files materialises (read.py); quality.py derives the checks and the cleaned rows from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from csmetrics.errors import InputError
from csmetrics.sources.files import describe_files, first_line, resolve_files, scan_raw
from csmetrics.sources.presets import PRESETS
from csmetrics.sources.schema import DEDUP_COLUMN, SCHEMAS
from csmetrics.sources.spec import SourceSpec
from csmetrics.sources.values import convert, detect_layout

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

    def has(self, column: str) -> bool:
        return column in self.columns

    @property
    def label(self) -> str:
        return self.files[0].as_posix() if len(self.files) == 1 else self.spec.path


# --- column mapping --------------------------------------------------------------------------------


def _find_header(wanted: str, schema: pl.Schema) -> tuple[pl.Expr, pl.DataType] | None:
    """The expression reading `wanted`: exact header, case-insensitive, or a dotted nested path."""
    if wanted in schema:
        return pl.col(wanted), schema[wanted]
    lower = {name.lower(): name for name in schema.names()}
    if wanted.lower() in lower:
        name = lower[wanted.lower()]
        return pl.col(name), schema[name]
    if "." in wanted:
        head, rest = wanted.split(".", 1)
        found = _find_header(head, schema)
        if found is not None and isinstance(found[1], pl.Struct):
            inner = pl.Schema({f.name: f.dtype for f in found[1].fields})
            nested = _find_header(rest, inner)
            if nested is not None:
                leaf = nested[0].meta.output_name()
                return found[0].struct.field(leaf), nested[1]
    return None


def _mapping(spec: SourceSpec) -> dict[str, tuple[tuple[str, ...], bool]]:
    """canonical column -> (candidate headers, chosen explicitly by the user)."""
    preset = PRESETS.get(spec.preset) if spec.preset else None
    if spec.preset and preset is None:
        raise InputError(
            f"--preset: unknown preset {spec.preset!r} for {spec.kind} "
            f"(known: {', '.join(n for n, p in PRESETS.items() if p.kind == spec.kind)})"
        )
    if preset is not None and preset.kind != spec.kind:
        raise InputError(f"--preset: {spec.preset!r} is a {preset.kind} preset, not {spec.kind}")
    schema = SCHEMAS[spec.kind]
    unknown = sorted(set(spec.columns) - set(schema))
    if unknown:
        raise InputError(
            f"{spec.kind}: cannot map unknown column {unknown[0]!r} "
            f"(canonical columns: {', '.join(schema)})"
        )
    out: dict[str, tuple[tuple[str, ...], bool]] = {}
    for name in schema:
        if name in spec.columns:
            out[name] = ((spec.columns[name],), True)
        elif preset is not None and name in preset.columns:
            value = preset.columns[name]
            out[name] = ((value,) if isinstance(value, str) else value, False)
        else:
            out[name] = ((name,), False)
    return out


def load_source(
    spec: SourceSpec, needed: Iterable[str] | None = None, *, detect_layouts: bool = True
) -> LoadedSource:
    """The source as a canonical LazyFrame with only the `needed` columns (all when None).

    Required columns are always read. Nothing is collected here.
    """
    if spec.kind not in SCHEMAS:
        raise InputError(f"unknown source kind {spec.kind!r}")
    files, fmt, gz, root = resolve_files(spec)
    try:
        raw = scan_raw(spec, files, fmt, gz, root)
        raw_schema = raw.collect_schema()
    except InputError:
        raise
    except Exception as exc:  # polars raises many types for unreadable files
        raise InputError(
            f"{spec.kind}: {describe_files(files)}: cannot be read as {fmt}: {first_line(exc)}"
        ) from exc
    schema = SCHEMAS[spec.kind]
    wanted = (
        set(schema)
        if needed is None
        else set(needed) | {c for c, col in schema.items() if col.required}
    )
    if DEDUP_COLUMN.get(spec.kind):
        wanted.add(DEDUP_COLUMN[spec.kind])  # type: ignore[arg-type]
    preset = PRESETS.get(spec.preset) if spec.preset else None
    conversions: dict[str, pl.Expr] = {}
    raws: dict[str, pl.Expr] = {}
    headers: dict[str, str] = {}
    dtypes: dict[str, pl.DataType] = {}
    layouts: dict[str, str] = {}
    for name, (candidates, explicit) in _mapping(spec).items():
        if name not in wanted:
            continue
        found = [(c, hit) for c in candidates if (hit := _find_header(c, raw_schema)) is not None]
        if not found:
            if explicit or schema[name].required:
                raise _missing_column(spec, files, name, candidates, explicit, raw_schema)
            continue
        column = schema[name]
        converted = []
        fmt = spec.formats.get(name)
        sniff = detect_layouts and column.kind == "datetime" and not fmt
        for _, (expr, dtype) in found:
            layout = None
            if sniff and dtype == pl.String:
                layout = detect_layout(_sample(raw, expr), spec.source_timezone)
                if layout:
                    layouts[name] = layout
            converted.append(convert(expr, column.kind, dtype, fmt, spec.source_timezone, layout))
        value = converted[0] if len(converted) == 1 else pl.coalesce(*converted)
        raw_value = (
            found[0][1][0]
            if len(found) == 1
            else pl.coalesce(*(e.cast(pl.String) for _, (e, _) in found))
        )
        if preset and name in preset.null_values:
            value = (
                pl.when(raw_value.cast(pl.String).is_in(preset.null_values[name]))
                .then(None)
                .otherwise(value)
            )
        if name == "amount" and _amount_unit(spec) == "cents":
            value = value / 100
        conversions[name] = value.alias(name)
        raws[name] = raw_value
        headers[name] = found[0][0]
        dtypes[name] = found[0][1][1] if len(found) == 1 else pl.String()
    checked = tuple(
        name
        for name in conversions
        if schema[name].kind in ("datetime", "number", "integer", "boolean")
        and dtypes[name] == pl.String  # typed columns (Parquet datetimes) cannot be invalid
    )
    staged_columns = [*conversions.values()]
    staged_columns += [
        (raws[n].is_not_null() & conversions[n].is_null()).alias(f"__invalid__{n}") for n in checked
    ]
    key = DEDUP_COLUMN.get(spec.kind)
    if key and key in conversions:
        # Ids are compared by their 64-bit hash: 3x faster than strings on 20M ids; two distinct
        # ids collide with probability ~n^2/2^65 (1e-5 for 20M rows), which would drop one row.
        staged_columns.append(conversions[key].hash(seed=11).alias("__key"))
    # The dedup key is read to drop repeats; the caller gets it only when it asked for it.
    kept = tuple(c for c in conversions if needed is None or c in needed or schema[c].required)
    staged = raw.select(staged_columns)
    if key and key in conversions and key not in kept:
        staged = staged.drop(key)
    return LoadedSource(
        spec, files, staged, kept, headers, checked, raw, raws, conversions, layouts, needed
    )


def _sample(raw: pl.LazyFrame, expr: pl.Expr, rows: int = 2000) -> pl.Series:
    """The first values of a column: a small read, to choose how to parse the rest."""
    try:
        return raw.select(expr.alias("sample")).head(rows).collect().to_series()
    except Exception:  # a broken file is reported by the main read, with its name
        return pl.Series("sample", [], dtype=pl.String)


def _amount_unit(spec: SourceSpec) -> str:
    preset = PRESETS.get(spec.preset) if spec.preset else None
    return spec.amount_unit or (preset.amount_unit if preset else "units")


def _missing_column(
    spec: SourceSpec,
    files: list[Path],
    name: str,
    candidates: tuple[str, ...],
    explicit: bool,
    raw_schema: pl.Schema,
) -> InputError:
    shown = ", ".join(raw_schema.names()[:20]) + (" ..." if len(raw_schema) > 20 else "")
    looked = " or ".join(repr(c) for c in candidates)
    how = "mapped by you" if explicit else "expected"
    return InputError(
        f"{describe_files(files)}: {spec.kind} column {name!r} not found ({how}: a header named {looked}; "
        f"map it with --map {spec.kind}.{name}=HEADER). Headers: {shown}"
    )
