"""Loading one source: files -> raw LazyFrame -> canonical, typed, cleaned LazyFrame.

Everything here stays lazy. `load_source` returns the cleaned frame and a one-row *quality* frame
(row counts, missing and invalid values, duplicates, observed time range) built on the same scan, so
the caller collects both in one pass with the metrics (`pl.collect_all` shares the scan), then calls
`check_quality` to turn the counts into input errors or warnings.
"""

from __future__ import annotations

import glob
import gzip
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics.diagnostics import DataWarning
from csmetrics.errors import InputError
from csmetrics.sources.presets import PRESETS
from csmetrics.sources.schema import DEDUP_COLUMN, SCHEMAS, TIME_COLUMN
from csmetrics.sources.values import AMBIGUOUS_DATE, EXPECTED_TIMESTAMP, convert, detect_layout

FORMATS = ("csv", "parquet", "ndjson")
_EXTENSIONS: dict[str, tuple[str, bool]] = {
    ".csv": ("csv", False),
    ".tsv": ("csv", False),
    ".txt": ("csv", False),
    ".csv.gz": ("csv", True),
    ".tsv.gz": ("csv", True),
    ".parquet": ("parquet", False),
    ".pq": ("parquet", False),
    ".jsonl": ("ndjson", False),
    ".ndjson": ("ndjson", False),
    ".json": ("ndjson", False),
    ".jsonl.gz": ("ndjson", True),
    ".ndjson.gz": ("ndjson", True),
    ".json.gz": ("ndjson", True),
}
_DELIMITERS = (",", ";", "\t", "|")
NULL_TOKENS = ["", "NULL", "null", "NaN", "nan", "N/A", "n/a", "NA", "None", "none"]
COMPACT_COLUMNS = ("user_id", "account_id", "event", "session_id")
_HIVE_SEGMENT = re.compile(r"^([^=/]+)=([^/]*)$")


@dataclass(frozen=True)
class SourceSpec:
    """Where a source is and how to read it (from the config and the command line)."""

    kind: str
    path: str
    format_in: str | None = None
    preset: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    amount_unit: str | None = None  # "cents" for minor units; None: the preset's, else units
    encoding: str | None = None
    source_timezone: str = "UTC"


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

    def read(self) -> tuple[pl.DataFrame, dict[str, Any]]:
        """The cleaned rows and the quality row, for a single source read on its own."""
        staged = self.staged.collect().lazy()
        qualities, repeats = assess({"source": self}, {"source": staged})
        return clean_frame(self, staged, repeats["source"]).collect(), qualities["source"]

    @property
    def label(self) -> str:
        return self.files[0].as_posix() if len(self.files) == 1 else self.spec.path


# --- files and formats ---------------------------------------------------------------------------


def format_of(path: Path) -> tuple[str, bool] | None:
    """(format, gzipped) from a file name, or None when the extension is unknown."""
    name = path.name.lower()
    for ext in sorted(_EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return _EXTENSIONS[ext]
    return None


def resolve_files(spec: SourceSpec) -> tuple[list[Path], str, bool, Path | None]:
    """The files a path, glob or folder names; their one format; gzip; the hive root, if any."""
    text = spec.path
    hive_root: Path | None = None
    if any(ch in text for ch in "*?["):
        # glob.glob, not Path.glob: users pass absolute patterns such as /data/*/events.csv
        files = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())  # noqa: PTH207
    elif Path(text).is_dir():
        hive_root = Path(text)
        files = sorted(
            p
            for p in hive_root.rglob("*")
            if p.is_file() and not p.name.startswith((".", "_")) and format_of(p) is not None
        )
    elif Path(text).is_file():
        files = [Path(text)]
    else:
        raise InputError(f"{spec.kind}: {text}: no such file or folder")
    if not files:
        raise InputError(f"{spec.kind}: {text}: matches no data file")
    if spec.format_in:
        if spec.format_in not in FORMATS:
            raise InputError(
                f"--format-in: expected one of {', '.join(FORMATS)}, got {spec.format_in!r}"
            )
        gz = any(f.name.lower().endswith(".gz") for f in files)
        return files, spec.format_in, gz, hive_root
    kinds = {format_of(f) for f in files}
    if None in kinds:
        bad = next(f for f in files if format_of(f) is None)
        raise InputError(
            f"{spec.kind}: {bad}: unknown file format {bad.suffix or '(no extension)'!r} "
            "(expected .csv, .csv.gz, .parquet, .jsonl, .ndjson or .json.gz; or pass --format-in)"
        )
    if len(kinds) > 1:
        raise InputError(
            f"{spec.kind}: {text}: holds files of several formats; point at one kind, "
            "e.g. a glob such as 'folder/*.parquet'"
        )
    fmt, gz = kinds.pop()  # type: ignore[misc]
    return files, fmt, gz, hive_root


def _head_text(path: Path, gz: bool, encoding: str | None, size: int = 65536) -> str:
    opener = gzip.open if gz else open
    try:
        with opener(path, "rb") as handle:  # type: ignore[operator]
            head: bytes = handle.read(size)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        return head.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a multi-byte character cut by the read size
            return head[: exc.start].decode(encoding or "utf-8-sig")
        raise InputError(
            f"{path}: is not valid UTF-8 (byte {exc.start}); pass --encoding (e.g. latin-1)"
        ) from exc
    except LookupError as exc:
        raise InputError(f"--encoding: unknown encoding {encoding!r}") from exc


def sniff_delimiter(header_line: str) -> str:
    """The delimiter among `, ; TAB |` that splits the header into the most fields."""
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _hive_columns(files: list[Path], root: Path | None) -> list[str]:
    if root is None:
        return []
    parts = files[0].relative_to(root).parts[:-1]
    return [m.group(1) for part in parts if (m := _HIVE_SEGMENT.match(part))]


def _scan_raw(spec: SourceSpec, files: list[Path], fmt: str, gz: bool, root: Path | None):
    names = [f.as_posix() for f in files]
    if fmt == "parquet":
        return pl.scan_parquet(names, hive_partitioning=root is not None)
    if fmt == "ndjson":
        if gz:
            frames = [pl.read_ndjson(gzip.decompress(f.read_bytes())) for f in files]
            return pl.concat(frames, how="diagonal_relaxed").lazy()
        return pl.scan_ndjson(names, infer_schema_length=10000)
    header = _head_text(files[0], gz, spec.encoding).splitlines()
    if not header or not header[0].strip():
        raise InputError(f"{files[0]}: is empty; a CSV export needs a header row")
    separator = sniff_delimiter(header[0])
    options: dict[str, Any] = {
        "separator": separator,
        "infer_schema": False,
        "null_values": NULL_TOKENS,
    }
    if gz or (spec.encoding and spec.encoding.lower().replace("-", "") not in ("utf8",)):
        frames = [pl.read_csv(f, encoding=spec.encoding or "utf8", **options) for f in files]
        return pl.concat(frames, how="diagonal_relaxed").lazy()
    hive = _hive_columns(files, root)
    if not hive:
        return pl.scan_csv(names, **options)
    frame = pl.scan_csv(names, include_file_paths="__path", **options)
    return frame.with_columns(
        pl.col("__path").str.extract(f"/{re.escape(key)}=([^/]*)/").alias(key) for key in hive
    ).drop("__path")


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
        raw = _scan_raw(spec, files, fmt, gz, root)
        raw_schema = raw.collect_schema()
    except InputError:
        raise
    except Exception as exc:  # polars raises many types for unreadable files
        raise InputError(
            f"{spec.kind}: {_describe(files)}: cannot be read as {fmt}: {_first_line(exc)}"
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


def repeated_rows(staged: pl.LazyFrame) -> pl.LazyFrame | None:
    """Numbers of the rows whose dedup key an earlier row already has (None: no key).

    Sorting the 64-bit keys and comparing neighbours is 3x faster than a hash-based
    is_first_distinct on 20M rows, and duplicates are few, so the result is small.
    """
    if "__key" not in staged.collect_schema():
        return None
    key = pl.col("__key")
    return (
        staged.select(key, pl.int_range(pl.len(), dtype=pl.UInt32).alias("__row"))
        .sort("__key", maintain_order=True)  # stable: the first copy keeps the lowest row
        .filter((key == key.shift(1)).fill_null(False))
        .select("__row")
    )


def clean_frame(
    source: LoadedSource, staged: pl.LazyFrame, repeated: pl.Series | None
) -> pl.LazyFrame:
    """Rows with every required value, each id once, only the columns asked for."""
    schema = SCHEMAS[source.spec.kind]
    required = [n for n in source.columns if schema[n].required]
    frame = staged
    if repeated is not None and repeated.len():
        # Rows repeating an id are copies of one record; the first copy stays.
        row = pl.int_range(pl.len(), dtype=pl.UInt32)
        frame = frame.filter(~row.is_in(repeated.implode()))
    frame = frame.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in required))
    return frame.select(source.columns)


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
        aggs.append(pl.col(time_column).min().alias("first"))
        aggs.append(pl.col(time_column).max().alias("last"))
    if "__key" in names:
        aggs.append(pl.lit(DEDUP_COLUMN[spec.kind]).alias("duplicates_by"))
    else:
        canonical = [n for n in names if n in schema]
        rows = pl.struct(*canonical).hash(seed=7)
        aggs.append((pl.len() - rows.n_unique()).alias("duplicates"))
        aggs.append(pl.lit(None, pl.String).alias("duplicates_by"))
    return staged.select(aggs)


def assess(
    sources: Mapping[str, LoadedSource], staged: Mapping[str, pl.LazyFrame]
) -> tuple[dict[str, dict[str, Any]], dict[str, pl.Series | None]]:
    """Each source's quality row (as a dict) and its repeated rows, from the staged frames."""
    kinds = list(sources)
    frames: list[pl.LazyFrame] = []
    for kind in kinds:
        frames.append(quality_frame(sources[kind], staged[kind]))
        repeated = repeated_rows(staged[kind])
        frames.append(pl.LazyFrame() if repeated is None else repeated)
    collected = pl.collect_all(frames)
    qualities: dict[str, dict[str, Any]] = {}
    repeats: dict[str, pl.Series | None] = {}
    for index, kind in enumerate(kinds):
        quality = collected[2 * index].row(0, named=True)
        rows = collected[2 * index + 1]
        repeats[kind] = rows["__row"] if "__row" in rows.columns else None
        if repeats[kind] is not None:
            quality["duplicates"] = repeats[kind].len()  # type: ignore[union-attr]
        qualities[kind] = quality
    return qualities, repeats


def _bad_value(source: LoadedSource, name: str) -> tuple[str | None, str | None]:
    """The first unreadable value of a column, and the first day/month-ambiguous one (error path)."""
    raw, value = source.raws[name], source.conversions[name]
    text = raw.cast(pl.String)
    invalid = raw.is_not_null() & value.is_null()
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
    warnings: list[DataWarning] = []
    for name in source.headers:
        header = source.headers[name]
        if (quality.get(f"{name}__invalid") or 0) > 0:
            sample, ambiguous = _bad_value(source, name)
            where = _file_with_value(source, name, sample)
            if ambiguous is not None and not source.spec.formats.get(name):
                raise InputError(
                    f"{where}: {kind} column {header!r} ({name}): {ambiguous!r} has an ambiguous "
                    f'day/month order; give its format, e.g. formats = {{ {name} = "%d-%m-%Y %H:%M" }} '
                    f"under [sources.{kind}]"
                )
            expected = (
                EXPECTED_TIMESTAMP if schema[name].kind == "datetime" else f"a {schema[name].kind}"
            )
            raise InputError(
                f"{where}: {kind} column {header!r} ({name}): cannot read {sample!r}; expected {expected}"
            )
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
        message = (
            f"{kind}: {duplicates} rows repeat an {by} and were dropped"
            if by
            else f"{kind}: {duplicates} rows are exact duplicates of another row (kept: no event_id to tell them apart)"
        )
        warnings.append(DataWarning("duplicate_rows", message, count=duplicates, source=kind))
    return warnings


def _file_with_value(source: LoadedSource, name: str, value: object) -> str:
    """The file holding a bad value (an extra, small query run only on the error path)."""
    if len(source.files) == 1 or value is None:
        return source.label
    header = source.headers[name].split(".")[0]
    try:
        files, fmt, gz, _ = resolve_files(source.spec)
        if fmt == "parquet":
            frame = pl.scan_parquet([f.as_posix() for f in files], include_file_paths="__file")
        elif fmt == "csv" and not gz:
            separator = sniff_delimiter(
                _head_text(files[0], gz, source.spec.encoding).splitlines()[0]
            )
            frame = pl.scan_csv(
                [f.as_posix() for f in files],
                separator=separator,
                infer_schema=False,
                include_file_paths="__file",
            )
        else:
            return source.label
        hit = (
            frame.filter(pl.col(header).cast(pl.String) == str(value))
            .select("__file")
            .head(1)
            .collect()
        )
        return hit.item() if hit.height else source.label
    except Exception:  # the hunt for a better message must never hide the real error
        return source.label


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
        f"{_describe(files)}: {spec.kind} column {name!r} not found ({how}: a header named {looked}; "
        f"map it with --map {spec.kind}.{name}=HEADER). Headers: {shown}"
    )


def _describe(files: list[Path]) -> str:
    return (
        files[0].as_posix()
        if len(files) == 1
        else f"{files[0].as_posix()} (+{len(files) - 1} more files)"
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- the one pass over the files ----------------------------------------------------------------


def compact(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Low-cardinality text as Categorical: smaller in memory, faster to group and join."""
    schema = frame.collect_schema()
    return frame.with_columns(
        pl.col(name).cast(pl.Categorical)
        for name in COMPACT_COLUMNS
        if schema.get(name) == pl.String
    )


def read_sources(sources: Mapping[str, LoadedSource]) -> dict[str, pl.LazyFrame]:
    """One pass over every source's files into memory (compact dtypes); read errors are input
    errors naming the files. Everything after this reads memory, never the files again."""
    kinds = list(sources)
    frames = collect([compact(sources[k].staged) for k in kinds], sources)
    return {k: frame.lazy() for k, frame in zip(kinds, frames, strict=True)}


def collect(frames: list[pl.LazyFrame], sources: Mapping[str, LoadedSource]) -> list[pl.DataFrame]:
    """Collect all frames together; read errors become input errors naming the files."""
    try:
        return pl.collect_all(frames)
    except (
        pl.exceptions.ComputeError,
        pl.exceptions.InvalidOperationError,
        OSError,
        pl.exceptions.SchemaError,
        pl.exceptions.ShapeError,
        pl.exceptions.NoDataError,
    ) as exc:
        paths = ", ".join(s.label for s in sources.values())
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{paths}: cannot be read: {first}") from exc


def load_and_assess(
    requests: Mapping[str, tuple[SourceSpec, Iterable[str] | None]],
) -> tuple[
    dict[str, LoadedSource],
    dict[str, pl.LazyFrame],
    dict[str, dict[str, Any]],
    dict[str, pl.Series | None],
]:
    """Load, read once and assess every requested source.

    A timestamp column read with a layout chosen from a sample may hold other forms further down;
    when some of its values then fail, that source is read again with the general parser, so a
    mixed file costs a second read instead of a wrong error.
    """
    sources = {kind: load_source(spec, needed) for kind, (spec, needed) in requests.items()}
    staged = read_sources(sources)
    qualities, repeats = assess(sources, staged)
    retry = [
        kind
        for kind, source in sources.items()
        if any(qualities[kind].get(f"{name}__invalid") for name in source.layouts)
    ]
    if retry:
        for kind in retry:
            spec, needed = requests[kind]
            sources[kind] = load_source(spec, needed, detect_layouts=False)
        again = {kind: sources[kind] for kind in retry}
        staged.update(read_sources(again))
        more_qualities, more_repeats = assess(again, {k: staged[k] for k in retry})
        qualities.update(more_qualities)
        repeats.update(more_repeats)
    return sources, staged, qualities, repeats
