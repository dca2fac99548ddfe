"""Loading one source: files -> raw scan -> canonical, typed columns, all still lazy.

`load_source` maps an export's headers onto the canonical schema (explicit mapping, preset,
canonical name), converts values (values.py) and describes the `staged` frame that one pass over
the files materialises (read.py); quality.py derives the checks and the cleaned rows from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from csmetrics.diagnostics import DataWarning
from csmetrics.errors import InputError
from csmetrics.sources.files import (
    describe_files,
    first_line,
    format_of,
    resolve_files,
    scan_raw,
)
from csmetrics.sources.messy import normalised
from csmetrics.sources.presets import PRESETS
from csmetrics.sources.schema import DEDUP_COLUMN, DEDUP_ONLY, SCHEMAS
from csmetrics.sources.spec import SourceSpec
from csmetrics.sources.values import UNRATED_WORDS, convert, detect_layout

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


# --- column mapping --------------------------------------------------------------------------------


def _find_header(wanted: str, schema: pl.Schema) -> tuple[pl.Expr, pl.DataType] | None:
    """The expression reading `wanted`: exact header, case-insensitive, or a dotted nested path."""
    if wanted in schema:
        return pl.col(wanted), schema[wanted]
    # headers re-typed by people: other case, stray spaces
    lower = {normalised(name): name for name in schema.names()}
    if normalised(wanted) in lower:
        name = lower[normalised(wanted)]
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


def _resolves(headers: Iterable[str], schema: pl.Schema) -> bool:
    return any(_find_header(h, schema) is not None for h in headers)


def detect_preset(kind: str, schema: pl.Schema) -> str | None:
    """The known export layout a file's headers match: every required column found under the
    preset's own headers, and the most columns found; None when the canonical names already
    give every required column, or no preset fits."""
    required = [name for name, column in SCHEMAS[kind].items() if column.required]
    if all(_resolves((name,), schema) for name in required):
        return None
    best, found_most = None, 0
    for name, preset in PRESETS.items():
        if preset.kind != kind:
            continue
        own = {c: (h,) if isinstance(h, str) else tuple(h) for c, h in preset.columns.items()}
        if not all(c in own and _resolves(own[c], schema) for c in required):
            continue
        found = sum(_resolves(headers, schema) for headers in own.values())
        if found > found_most:
            best, found_most = name, found
    return best


def _with_detected_preset(
    spec: SourceSpec, schema: pl.Schema, notes: list[DataWarning]
) -> SourceSpec:
    """With `preset = "auto"` (the default when no mapping is given), the preset whose layout
    the headers match, said in a note."""
    automatic = spec.preset == "auto" or (spec.preset is None and not spec.columns)
    if not automatic:
        return spec
    found = detect_preset(spec.kind, schema)
    if found is not None:
        notes.append(
            DataWarning(
                "preset_detected",
                f"{spec.kind}: the headers match the {found} export layout; read with "
                f"--preset {spec.kind}={found}",
                source=spec.kind,
            )
        )
    return replace(spec, preset=found)


def _mapping(spec: SourceSpec) -> dict[str, tuple[tuple[str, ...], bool]]:
    """canonical column -> (candidate headers, chosen explicitly by the user)."""
    if spec.preset == "auto":
        # before the headers are known: every layout's names (for finding the header line)
        return _every_layout(spec)
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
        elif preset is not None and name in preset.ignore:
            out[name] = ((), False)
        elif preset is not None and name in preset.columns:
            value = preset.columns[name]
            headers = (value,) if isinstance(value, str) else tuple(value)
            # the canonical name is the last fallback: API exports often use it (Zendesk's
            # created_at, Chargebee's currency) where the preset names the CSV header
            out[name] = ((*headers, name) if name not in headers else headers, False)
        else:
            out[name] = ((name,), False)
    return out


def _every_layout(spec: SourceSpec) -> dict[str, tuple[tuple[str, ...], bool]]:
    out: dict[str, tuple[tuple[str, ...], bool]] = {}
    for name in SCHEMAS[spec.kind]:
        headers = [name]
        for preset in PRESETS.values():
            if preset.kind == spec.kind and name in preset.columns:
                value = preset.columns[name]
                headers += [value] if isinstance(value, str) else list(value)
        out[name] = (tuple(dict.fromkeys(headers)), False)
    return out


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
    spec = _with_detected_preset(spec, raw_schema, notes)
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
    for name, (candidates, explicit) in _mapping(spec).items():
        if name not in wanted:
            continue
        if name == "survey" and spec.survey:
            conversions[name] = pl.lit(spec.survey, pl.String).alias(name)
            headers[name] = f"--survey {spec.survey}"
            continue
        flag = preset.flags.get(name) if preset is not None and not explicit else None
        if flag is not None and (hit := _find_header(flag, raw_schema)) is not None:
            present = _without_nulls(hit[0], hit[1], spec.null_values, blank=True)
            conversions[name] = present.is_not_null().alias(name)
            headers[name] = f"{flag} (has a value)"
            continue
        found = [(c, hit) for c in candidates if (hit := _find_header(c, raw_schema)) is not None]
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
        raise _missing_columns(spec, files, missing, raw_schema)
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
    layout = _every_layout(spec) if automatic else _mapping(spec)
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


def _missing_columns(
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
