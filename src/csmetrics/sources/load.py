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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics.diagnostics import DataWarning
from csmetrics.errors import InputError
from csmetrics.sources.presets import PRESETS
from csmetrics.sources.schema import DEDUP_COLUMN, SCHEMAS, TIME_COLUMN, Column
from csmetrics.sources.values import AMBIGUOUS_DATE, EXPECTED_TIMESTAMP, convert

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
    spec: SourceSpec
    files: list[Path]
    frame: pl.LazyFrame
    quality: pl.LazyFrame
    columns: tuple[str, ...]  # canonical columns present in `frame`
    headers: dict[str, str]  # canonical column -> the header it was read from

    def has(self, column: str) -> bool:
        return column in self.columns

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


def load_source(spec: SourceSpec, needed: Iterable[str] | None = None) -> LoadedSource:
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
    for name, (candidates, explicit) in _mapping(spec).items():
        if name not in wanted:
            continue
        found = [(c, hit) for c in candidates if (hit := _find_header(c, raw_schema)) is not None]
        if not found:
            if explicit or schema[name].required:
                raise _missing_column(spec, files, name, candidates, explicit, raw_schema)
            continue
        column = schema[name]
        converted = [
            convert(expr, column.kind, dtype, spec.formats.get(name), spec.source_timezone)
            for _, (expr, dtype) in found
        ]
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
    quality = _quality_frame(spec, raw, schema, conversions, raws, dtypes)
    frame = _clean(spec, raw.select(*conversions.values()), schema)
    return LoadedSource(spec, files, frame, quality, tuple(conversions), headers)


def _amount_unit(spec: SourceSpec) -> str:
    preset = PRESETS.get(spec.preset) if spec.preset else None
    return spec.amount_unit or (preset.amount_unit if preset else "units")


def _clean(spec: SourceSpec, frame: pl.LazyFrame, schema: dict[str, Column]) -> pl.LazyFrame:
    """Drop rows missing a required value, and rows repeating the source's unique id."""
    required = [
        name for name, col in schema.items() if col.required and name in frame.collect_schema()
    ]
    frame = frame.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in required))
    key = DEDUP_COLUMN.get(spec.kind)
    if key and key in frame.collect_schema():
        # Rows repeating an id are copies of one record; which copy stays does not matter.
        # (is_first_distinct is several times faster here than unique(subset=...).)
        # Ids are compared by their 64-bit hash: 3x faster on 20M string ids; two distinct ids
        # collide with probability ~n^2/2^65 (1e-5 for 20M rows), which would drop one row.
        frame = frame.filter(pl.col(key).hash(seed=11).is_first_distinct() | pl.col(key).is_null())
    return frame


def _quality_frame(
    spec: SourceSpec,
    raw: pl.LazyFrame,
    schema: dict[str, Column],
    conversions: dict[str, pl.Expr],
    raws: dict[str, pl.Expr],
    dtypes: dict[str, pl.DataType],
) -> pl.LazyFrame:
    aggs: list[pl.Expr] = [pl.len().alias("rows")]
    for name, value in conversions.items():
        source = raws[name]
        aggs.append(source.is_null().sum().alias(f"{name}__missing"))
        invalid = source.is_not_null() & value.is_null()
        textual = dtypes[name] == pl.String  # typed columns (Parquet datetimes) cannot be invalid
        if schema[name].kind in ("datetime", "number", "integer", "boolean") and textual:
            aggs.append(invalid.sum().alias(f"{name}__invalid"))
            aggs.append(
                source.filter(invalid).cast(pl.String).first().alias(f"{name}__invalid_sample")
            )
        if schema[name].kind == "datetime" and not spec.formats.get(name) and textual:
            text = source.cast(pl.String)
            ambiguous = text.str.contains(AMBIGUOUS_DATE)
            aggs.append(text.filter(ambiguous).first().alias(f"{name}__ambiguous_sample"))
    time_column = TIME_COLUMN.get(spec.kind)
    if time_column and time_column in conversions:
        aggs.append(conversions[time_column].min().alias("first"))
        aggs.append(conversions[time_column].max().alias("last"))
    key = DEDUP_COLUMN.get(spec.kind)
    required = [n for n, c in schema.items() if c.required and n in conversions]
    if key and key in conversions:
        ids = conversions[key].drop_nulls()
        aggs.append((ids.len() - ids.hash(seed=11).n_unique()).alias("duplicates"))
        aggs.append(pl.lit(key).alias("duplicates_by"))
    elif required:
        rows = pl.struct(*(conversions[n] for n in conversions)).hash(seed=7)
        aggs.append((pl.len() - rows.n_unique()).alias("duplicates"))
        aggs.append(pl.lit(None, pl.String).alias("duplicates_by"))
    return raw.select(aggs)


def check_quality(source: LoadedSource, quality: dict[str, Any]) -> list[DataWarning]:
    """Input errors for values that cannot be read; warnings for rows dropped or duplicated."""
    kind, schema = source.spec.kind, SCHEMAS[source.spec.kind]
    warnings: list[DataWarning] = []
    for name in source.columns:
        header = source.headers[name]
        ambiguous = quality.get(f"{name}__ambiguous_sample")
        sample = quality.get(f"{name}__invalid_sample")
        if (quality.get(f"{name}__invalid") or 0) > 0:
            where = _file_with_value(source, name, sample)
            if ambiguous is not None and schema[name].kind == "datetime":
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
