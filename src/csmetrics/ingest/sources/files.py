"""Files and formats: which files a path names, their format, CSV dialect, the raw scan."""

from __future__ import annotations

import contextlib
import functools
import glob
import gzip
import json
import re
import zipfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.ingest.sources.bounds import (
    bounded_gunzip,
    bounded_read,
    check_plain_files,
    field_limit,
    gunzip_bytes,
)
from csmetrics.ingest.sources.messy import CsvLayout, inspect_csv, read_careful
from csmetrics.ingest.sources.spec import SourceSpec

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
    ".zip": ("ndjson", True),  # an archive of JSON (lines) files, as Amplitude exports
}
_DELIMITERS = (",", ";", "\t", "|")
# Only an empty cell is missing: a real id may be "NA" or "None" (data.md). Other tokens are
# missing only when the mapping lists them (`null_values`), applied in load.py.
NULL_TOKENS = [""]
_HIVE_SEGMENT = re.compile(r"^([^=/]+)=([^/]*)$")


def format_of(path: Path) -> tuple[str, bool] | None:
    """(format, gzipped) from a file name, or from its first bytes when the name says nothing
    (no extension, or a bare `.gz` as in Segment's S3 archives); None when unknown."""
    name = path.name.lower()
    for ext in sorted(_EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            named = _EXTENSIONS[ext]
            # a Parquet file saved as .csv (or text saved as .parquet) is read as what its
            # first bytes say: Parquet files start with PAR1, text never does
            content = _content_format(path) if not named[1] else None
            if content is not None and "parquet" in (content[0], named[0]):
                return content
            return named
    if name.endswith(".gz") or "." not in name:
        return _content_format(path)
    return None


@functools.lru_cache(maxsize=4096)
def _content_format(path: Path) -> tuple[str, bool] | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
        gz = head[:2] == b"\x1f\x8b"
        if gz:
            with gzip.open(path, "rb") as handle:
                head = handle.read(4096)
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    if head[:4] == b"PAR1" and not gz:
        return ("parquet", False)
    if head.lstrip()[:1] in (b"{", b"["):
        return ("ndjson", gz)
    first = head.split(b"\n", 1)[0]
    if b"\x00" not in head and any(d.encode() in first for d in _DELIMITERS):
        return ("csv", gz)
    return None


def glob_matches(pattern: str) -> list[Path]:
    """The files a pattern matches. glob.glob, not Path.glob: users pass absolute patterns
    such as /data/*/events.csv; it follows symbolic links, so a link loop under `**` yields
    one file under many names (see `distinct_files`)."""
    return sorted(Path(p) for p in glob.glob(pattern, recursive=True) if Path(p).is_file())  # noqa: PTH207


def distinct_files(paths: list[Path]) -> list[Path]:
    """Each real file once (the first of its names), whatever links lead to it."""
    seen: dict[Path, Path] = {}
    for path in paths:
        seen.setdefault(path.resolve(), path)
    return sorted(seen.values())


def linked_twice(pattern: str, files: list[Path]) -> list[DataWarning]:
    """A note when a glob reached one file under several names (symbolic links, a link loop):
    each real file is read once."""
    if Path(pattern).exists() or not any(ch in pattern for ch in "*?["):
        return []
    extra = len(glob_matches(pattern)) - len(files)
    if extra <= 0:
        return []
    return [
        DataWarning(
            "linked_files",
            f"{pattern}: {extra:,} matches are another name of a file already read (symbolic "
            "links, or a link loop under **); each file is read once",
        )
    ]


def resolve_files(spec: SourceSpec) -> tuple[list[Path], str, bool, Path | None]:
    """The files a path, glob or folder names; their one format; gzip; the hive root, if any."""
    text = spec.path
    hive_root: Path | None = None
    if Path(text).is_file():  # an existing file is itself, even with [ or * in its path
        files = [Path(text)]
    elif any(ch in text for ch in "*?[") and not Path(text).is_dir():
        files = distinct_files(glob_matches(text))
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
        excel = (
            " (an Excel workbook: save the sheet as CSV)"
            if bad.suffix.lower() in (".xlsx", ".xls")
            else ""
        )
        raise InputError(
            f"{spec.kind}: {bad}: unknown file format {bad.suffix or '(no extension)'!r}{excel} "
            "(expected .csv, .csv.gz, .parquet, .jsonl, .ndjson or .json.gz; or pass --format-in)"
        )
    formats = {kind[0] for kind in kinds if kind is not None}
    if len(formats) > 1:
        raise InputError(
            f"{spec.kind}: {text}: holds files of several formats; point at one kind, "
            "e.g. a glob such as 'folder/*.parquet'"
        )
    # .csv and .csv.gz side by side are one format (each file's compression is read from it)
    gz = any(kind is not None and kind[1] for kind in kinds)
    return files, formats.pop(), gz, hive_root


def head_text(path: Path, gz: bool, encoding: str | None, size: int = 65536) -> str:
    opener = gzip.open if gz else open
    try:
        with opener(path, "rb") as handle:
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


def scan_raw(
    spec: SourceSpec,
    files: list[Path],
    fmt: str,
    gz: bool,
    root: Path | None,
    expected: Collection[str] = (),
    careful: bool = False,
) -> tuple[pl.LazyFrame, list[DataWarning]]:
    """The files' rows as read (CSV: every column text), and notes on how they were read."""
    names = [f.as_posix() for f in files]
    limit = field_limit(spec.max_field_mb)
    if fmt == "parquet":
        return pl.scan_parquet(names, hive_partitioning=root is not None, glob=False), []
    if fmt == "ndjson":
        # scan_ndjson globs its paths: a name with [ or * is read through _json_frames
        literal = any(ch in n for n in names for ch in "*?[")
        if gz or literal or any(_is_document(f) for f in files):
            frames = [frame for f in files for frame in _json_frames(f, limit)]
            return pl.concat(frames, how="diagonal_relaxed").lazy(), []
        check_plain_files(files, limit, spec.label)
        return pl.scan_ndjson(names, infer_schema_length=10000), []
    layouts = [inspect_csv(f, spec.encoding, expected) for f in files]
    # a compressed file is checked as it is decompressed
    plain = [f for f, lay in zip(files, layouts, strict=True) if not lay.gz]
    check_plain_files(plain, limit, spec.label)
    if careful or any(layout.careful for layout in layouts):
        notes: list[DataWarning] = []
        read: list[pl.DataFrame] = []
        for file, layout in zip(files, layouts, strict=True):
            frame, found = read_careful(file, layout, spec.kind, limit)
            read.append(frame)
            notes += found
        return pl.concat(read, how="diagonal_relaxed").lazy(), notes
    notes = [
        DataWarning("file_layout", f"{spec.kind}: {note}", source=spec.kind)
        for layout in layouts
        for note in layout.notes
    ]

    def options(layout: CsvLayout) -> dict[str, Any]:
        return {
            "separator": layout.separator,
            "infer_schema": False,
            "null_values": NULL_TOKENS,
            "skip_rows": layout.header_line,
            "glob": False,  # the files are resolved already: a [ in a name is a name
        }

    same = len({(lay.gz, lay.header_line, lay.separator, lay.header) for lay in layouts}) == 1
    if any(lay.gz for lay in layouts) or not same:
        # compressed files, or monthly exports whose columns differ: each read on its own and
        # put together by column name (a column missing from one file is null there)
        scans = [
            pl.read_csv(bounded_gunzip(f, limit), **options(lay)).lazy()
            if lay.gz
            else pl.scan_csv(f, **options(lay))
            for f, lay in zip(files, layouts, strict=True)
        ]
        return pl.concat(scans, how="diagonal_relaxed"), notes
    hive = _hive_columns(files, root)
    if not hive:
        return pl.scan_csv(names, **options(layouts[0])), notes
    scan = pl.scan_csv(names, include_file_paths="__path", **options(layouts[0]))
    return scan.with_columns(
        pl.col("__path").str.extract(f"/{re.escape(key)}=([^/]*)/").alias(key) for key in hive
    ).drop("__path"), notes


BOM = b"\xef\xbb\xbf"


def _is_document(path: Path) -> bool:
    """Whether a .json file is one JSON document (an array, or an API page such as
    {"tickets": [...], "next_page": ...}) rather than JSON lines."""
    if path.name.lower().endswith((".gz", ".zip")):
        return False
    with path.open("rb") as handle:
        first = handle.readline().strip()
    if first.startswith(BOM):
        return True  # read by _json_frames, which drops the mark (scan_ndjson cannot)
    if first.startswith(b"["):
        return True
    try:
        value = json.loads(first)
    except ValueError:
        return True  # an object spread over several lines
    return _records_of_page(value) is not None


def _json_rows(data: bytes, where: str) -> pl.DataFrame:
    """JSON lines, an array of objects, or an API page holding the records (a UTF-8 byte-order
    mark, which Windows tools write, is dropped first)."""
    data = data.removeprefix(BOM)
    text = data.lstrip()
    if not text.startswith((b"[", b"{")):
        raise InputError(f"{where}: is not JSON")
    try:
        page = _records_of_page(json.loads(text.split(b"\n", 1)[0]))
    except ValueError:
        page = None
    if page is None and text.startswith(b"{"):
        # JSON lines; a PolarsError here means one object spread over several lines
        with contextlib.suppress(pl.exceptions.PolarsError):
            return pl.read_ndjson(data)
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise InputError(f"{where}: is not valid JSON ({exc})") from exc
    if isinstance(document, dict):
        records = _records_of_page(document)
        if records is None:
            raise InputError(f"{where}: a JSON object without a list of records in it")
        document = records
    return pl.from_dicts(document, infer_schema_length=None)


# What API pages wrap their records with (Zendesk "tickets" and "next_page", Stripe "data" and
# "has_more", Intercom "conversations" and "pages")
# ("object" is not one: every Stripe record has it)
PAGE_KEYS = ("next_page", "previous_page", "has_more", "count", "total_count", "pages", "meta",
             "links", "end_of_stream", "after_cursor", "next_offset")  # fmt: skip
RECORD_KEYS = ("tickets", "data", "results", "conversations", "invoices", "events", "items",
               "records", "ticket_metrics", "list")  # fmt: skip


def _records_of_page(value: object) -> list[dict[str, Any]] | None:
    """The records of an API page: an object with one list of records, named as APIs name
    them or beside pagination keys (a record that merely holds a list is not a page)."""
    if not isinstance(value, dict):
        return None
    lists = [
        (key, v) for key, v in value.items() if isinstance(v, list) and v and isinstance(v[0], dict)
    ]
    if len(lists) != 1:
        return None
    key, records = lists[0]
    if key not in RECORD_KEYS and not any(k in value for k in PAGE_KEYS):
        return None
    # Chargebee wraps each record: {"list": [{"invoice": {...}}, ...], "next_offset": ...}
    names = {next(iter(r)) if len(r) == 1 else None for r in records}
    if len(names) == 1 and None not in names:
        (name,) = names
        if all(isinstance(r[name], dict) for r in records):
            return [r[name] for r in records]
    return records


def _json_frames(path: Path, limit: int) -> list[pl.DataFrame]:
    """The records of a JSON file, gzipped or not, or of every JSON file in a zip archive;
    compressed content is bounded (sources/bounds.py)."""
    if path.name.lower().endswith(".zip"):
        frames = []
        with zipfile.ZipFile(path) as archive:
            for member in sorted(archive.infolist(), key=lambda m: m.filename):
                name = member.filename
                if member.is_dir() or name.split("/")[-1].startswith((".", "__")):
                    continue
                where = f"{path}:{name}"
                with archive.open(member) as stream:
                    data = bounded_read(stream, member.compress_size, where, limit)
                if data[:2] == b"\x1f\x8b":
                    data = gunzip_bytes(data, where, limit)
                frames.append(_json_rows(data, where))
        return frames
    with path.open("rb") as handle:
        gz = handle.read(2) == b"\x1f\x8b"
    raw = bounded_gunzip(path, limit) if gz else path.read_bytes()
    return [_json_rows(raw, str(path))]


def describe_files(files: list[Path]) -> str:
    return (
        files[0].as_posix()
        if len(files) == 1
        else f"{files[0].as_posix()} (+{len(files) - 1} more files)"
    )
