"""Loading one source: files -> raw scan -> canonical, typed columns, all still lazy.

`load_source` maps an export's headers onto the canonical schema (explicit mapping, preset,
canonical name), converts values (values.py) and describes the `staged` frame that one pass over
the files materialises (read.py); quality.py derives the checks and the cleaned rows from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.span import Span
from csmetrics.core.text import first_line
from csmetrics.ingest.sources.billing_files import joined_billing
from csmetrics.ingest.sources.database import database_of, fetch_rows, mappable, scan_database
from csmetrics.ingest.sources.every_file import require_in_every_file
from csmetrics.ingest.sources.files import (
    describe_files,
    format_of,
    linked_twice,
    resolve_files,
    scan_raw,
)
from csmetrics.ingest.sources.lake import lake_table, scan_lake
from csmetrics.ingest.sources.lake_table import LakeTable
from csmetrics.ingest.sources.mapping import (
    column_mapping,
    every_layout,
    find_header,
    missing_columns_error,
    spelled_header,
    with_detected_preset,
)
from csmetrics.ingest.sources.messy import normalised
from csmetrics.ingest.sources.plan import ColumnPlan, MappingPlan, mapping_plan
from csmetrics.ingest.sources.presets import PRESETS
from csmetrics.ingest.sources.pushdown import rows_read
from csmetrics.ingest.sources.schema import SCHEMAS, Column
from csmetrics.ingest.sources.spec import SourceSpec
from csmetrics.ingest.sources.values import (
    UNRATED_WORDS,
    convert,
    detect_layout,
    unreadable_type,
    zero_date,
)

__all__ = ["LoadedSource", "SourceSpec", "load_source"]


@dataclass
class LoadedSource:
    """A source ready to read: `staged` is what one pass over the files materialises.

    `staged` holds the canonical columns read, a 64-bit hash of the dedup key (`__key`), for
    typed columns read from text a flag per row whose value could not be converted
    (`__invalid__<column>`), and for time columns a flag per zero date (`__zero__<column>`). `quality_frame` and `clean_frame` derive everything else from it,
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
    # time column -> its rows holding a zero date (read as missing), over `raw`
    zero_dates: dict[str, pl.Expr] = field(default_factory=dict)
    dtypes: dict[str, pl.DataType] = field(default_factory=dict)  # column -> its type in the file
    # the span of rows asked of a database or lakehouse table (None: every row), and the whole
    # table's time range then (sources/pushdown.py)
    read_span: Span | None = None
    table_range: tuple[datetime | None, datetime | None] = (None, None)

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
    joined: list[DataWarning] = []
    if spec.parts:  # billing in several files: the lines joined with invoices and payments
        spec, joined = joined_billing(spec, lambda part: _scan(part, careful)[1])
    files, raw, notes = _scan(spec, careful, needed, deferred=True)
    notes = [*joined, *notes]
    raw_schema = raw.collect_schema()
    spec = with_detected_preset(spec, raw_schema, notes)
    plan = mapping_plan(spec, needed, lambda h: spelled_header(h, raw_schema))
    if plan.missing:
        raise missing_columns_error(spec, files, list(plan.missing), raw_schema)
    rows = rows_read(spec, raw, raw_schema, plan, database_of(spec), _lake_of(spec))
    raw, notes, files = rows.raw, [*notes, *rows.notes], files if rows.files is None else rows.files
    blank = files == [] or _not_csv(files)
    read = _Read(raw, raw_schema, spec, blank, detect_layouts)
    for column in plan.columns.values():
        read.column(column)
    if len(files) > 1 and rows.files is None and _lake_of(spec) is None:  # a table has one schema
        require_in_every_file(spec, files, read.headers, read.fallbacks, read.dtypes)
    conversions, raws = read.conversions, read.raws
    notes += read.notes
    staged_columns, checked = _staged_columns(read, plan, SCHEMAS[spec.kind])
    kept = plan.kept(needed)
    staged = raw.select(staged_columns)
    dropped = [c for c in conversions if c not in kept]
    if dropped:
        staged = staged.drop(dropped)
    return LoadedSource(
        spec,
        files,
        staged,
        kept,
        read.headers,
        checked,
        raw,
        raws,
        conversions,
        read.layouts,
        needed,
        notes=notes,
        fallbacks=read.fallbacks,
        careful=careful,
        zero_dates=read.zero_dates,
        dtypes=read.dtypes,
        read_span=rows.span,
        table_range=(rows.first, rows.last),
    )


def _staged_columns(
    read: _Read, plan: MappingPlan, schema: Mapping[str, Column]
) -> tuple[list[pl.Expr], tuple[str, ...]]:
    """Each planned column's canonical value, a flag per value that could not be read (for the
    columns that can hold one), and the hashed key that finds repeated rows; and the names of
    the flagged columns."""
    conversions, raws = read.conversions, read.raws
    checked = tuple(n for n in raws if _can_be_invalid(schema[n].kind, read.dtypes[n]))
    staged_columns = [*conversions.values()]
    staged_columns += [
        unreadable(raws[n], conversions[n], schema[n].kind, read.zero_dates.get(n)).alias(
            f"__invalid__{n}"
        )
        for n in checked
    ]
    staged_columns += [zero.alias(f"__zero__{n}") for n, zero in read.zero_dates.items()]
    if plan.key:
        # Ids are compared by their 64-bit hash: 3x faster than strings on 20M ids; two distinct
        # ids collide with probability ~n^2/2^65 (1e-5 for 20M rows), which would drop one row.
        # A missing id is no id: its row is never a repeat.
        key = conversions[plan.key]
        together = [conversions[c] for c in plan.key_with]
        identity = pl.struct(key, *together) if together else key
        staged_columns.append(
            pl.when(key.is_not_null()).then(identity.hash(seed=11)).alias("__key")
        )
    return staged_columns, checked


class _Read:
    """The Polars expressions of each planned column: its value converted to the canonical type,
    and its raw text (to show a value that could not be read)."""

    def __init__(
        self,
        raw: pl.LazyFrame,
        raw_schema: pl.Schema,
        spec: SourceSpec,
        blank: bool,
        detect_layouts: bool,
    ) -> None:
        self.raw, self.raw_schema, self.spec = raw, raw_schema, spec
        self.blank, self.detect_layouts = blank, detect_layouts
        self.conversions: dict[str, pl.Expr] = {}
        self.raws: dict[str, pl.Expr] = {}
        self.headers: dict[str, str] = {}
        self.fallbacks: dict[str, tuple[str, ...]] = {}
        self.dtypes: dict[str, pl.DataType] = {}
        self.layouts: dict[str, str] = {}
        self.zero_dates: dict[str, pl.Expr] = {}
        self.notes: list[DataWarning] = []  # findings about column types

    def column(self, plan: ColumnPlan) -> None:
        name, spec = plan.name, self.spec
        if plan.constant is not None:
            self.conversions[name] = pl.lit(plan.constant, pl.String).alias(name)
            self.headers[name] = f"--survey {plan.constant}"
            return
        found = [(h, hit) for h in plan.headers if (hit := find_header(h, self.raw_schema))]
        if plan.flag is not None:
            present = _without_nulls(found[0][1][0], found[0][1][1], plan.nulls, blank=True)
            self.conversions[name] = present.is_not_null().alias(name)
            self.headers[name] = f"{plan.flag} (has a value)"
            return
        column = SCHEMAS[spec.kind][name]
        sniff = self.detect_layouts and column.kind == "datetime" and not plan.format
        converted, zeros = [], []
        for header, (expr, dtype) in found:
            expected = unreadable_type(column.kind, dtype)
            if expected is not None:
                raise InputError(
                    f"{spec.label}: {spec.kind} column {header!r} ({name}) holds {dtype} "
                    f"values; expected {expected}"
                )
            if column.kind == "money" and dtype == pl.Float32:
                self.notes.append(
                    DataWarning(
                        "float32_amounts",
                        f"{spec.kind}: column {header!r} ({name}) is float32: each amount "
                        "carries about 7 significant digits; they are widened exactly, but "
                        "export amounts as float64 or decimals to keep every cent",
                        source=spec.kind,
                    )
                )
            value = _without_nulls(expr, dtype, plan.nulls, blank=self.blank)
            if plan.words and dtype == pl.String:
                said = value.str.strip_chars().str.to_lowercase()
                words = dict(plan.words)
                value = pl.when(said.is_in(list(words))).then(said.replace(words)).otherwise(value)
            layout = None
            if sniff and dtype == pl.String:
                layout = detect_layout(_sample(self.raw, value), spec.source_timezone)
                if layout:
                    self.layouts[name] = layout
            typed = convert(
                value,
                column.kind,
                dtype,
                plan.format,
                spec.source_timezone,
                layout,
                decimal=spec.decimal,
                cents=column.kind == "money" and amount_unit(spec) == "cents",
                number_minutes=60.0 if plan.in_hours else 1.0,
            )
            if column.kind == "datetime":
                zero = zero_date(typed, value, dtype, spec.source_timezone)
                typed = pl.when(~zero).then(typed)
                zeros.append(zero)
            converted.append(typed)
        self.raws[name] = (
            _without_nulls(found[0][1][0], found[0][1][1], plan.nulls, blank=True)
            if len(found) == 1
            else pl.coalesce(
                *(
                    _without_nulls(e.cast(pl.String), pl.String(), plan.nulls, True)
                    for _, (e, _) in found
                )
            )
        )
        value = converted[0] if len(converted) == 1 else pl.coalesce(*converted)
        self.conversions[name] = value.alias(name)
        if zeros:
            self.zero_dates[name] = pl.any_horizontal(zeros) if len(zeros) > 1 else zeros[0]
        self.headers[name] = found[0][0]
        if len(found) > 1:
            self.fallbacks[name] = tuple(header for header, _ in found[1:])
        self.dtypes[name] = found[0][1][1] if len(found) == 1 else pl.String()


def _scan(
    spec: SourceSpec, careful: bool, needed: Iterable[str] | None = None, deferred: bool = False
) -> tuple[list[Path], pl.LazyFrame, list[DataWarning]]:
    """The files, their raw scan and notes on how they were read; an in-memory frame and a
    database have no files. `careful`: read CSV files with the thorough reader
    (sources/messy.py). `needed`: the canonical columns asked for (a database sends only the
    columns that can map to them). `deferred`: a database's columns without their rows, which
    `rows_read` fetches once the time column is known."""
    if spec.data is not None:
        return [], spec.data, []
    table = _lake_of(spec)
    if table is not None:
        return scan_lake(spec, table)
    automatic = spec.preset in (None, "auto") and not spec.columns
    layout = every_layout(spec) if automatic else column_mapping(spec)
    expected = {normalised(c) for candidates, _ in layout.values() for c in candidates}
    database = database_of(spec)
    if database is not None:
        columns = scan_database(spec, database, mappable(spec, layout, needed))
        if deferred:
            return [], columns, []
        return [], fetch_rows(spec, database, columns.collect_schema().names()), []
    files, fmt, gz, root = resolve_files(spec)
    repeats = linked_twice(spec.path, files)
    try:
        raw, notes = scan_raw(spec, files, fmt, gz, root, expected, careful)
        raw.collect_schema()
        notes = [*repeats, *notes]
    except InputError:
        raise
    except Exception as exc:  # polars raises many types for unreadable files
        raise InputError(
            f"{spec.kind}: {describe_files(files)}: cannot be read as {fmt}: {first_line(exc)}"
        ) from exc
    return files, raw, notes


def _lake_of(spec: SourceSpec) -> LakeTable | None:
    """A lakehouse table and the version to read (`PATH@N`, else the `version` key)."""
    return None if spec.data is not None else lake_table(spec.path, spec.version)


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


def unreadable(raw: pl.Expr, value: pl.Expr, kind: str, zero: pl.Expr | None = None) -> pl.Expr:
    """Rows with a value present in the file that did not convert (a zero date, read as
    missing on purpose, is not one)."""
    unread = raw.is_not_null() & value.is_null()
    if zero is not None:
        unread = unread & ~zero
    if kind == "rating":  # "offered", "unoffered": a state, not an unreadable rating
        words = raw.cast(pl.String).str.strip_chars().str.to_lowercase()
        return unread & ~words.is_in(list(UNRATED_WORDS))
    return unread


def _can_be_invalid(kind: str, dtype: pl.DataType) -> bool:
    """Whether a present value of this column can fail to convert (and so needs a flag)."""
    if kind == "datetime":
        return dtype == pl.String or dtype.is_numeric()  # epoch numbers out of range
    if kind in ("number", "minutes", "money", "boolean", "rating"):
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


def amount_unit(spec: SourceSpec) -> str:
    preset = PRESETS.get(spec.preset) if spec.preset else None
    return spec.amount_unit or (preset.amount_unit if preset else "units")
