"""CSV files as people and tools leave them: what the fast reader cannot take, read the way a
careful person would (the Pollock benchmark's polluted files, DuckDB's sniffer as yardstick).

`inspect_csv` looks at a file's first bytes: gzip content whatever its name, its text encoding
(UTF-8, else Windows-1252, said in a note), CR-only line ends, and preamble lines before the
header (the first line naming expected columns). `read_careful` is the slow, thorough path, used
when the head asks for it or when the fast reader fails on the file: Python's csv module, every
line end, rows equal to the header (concatenated exports) and rows with a missing or extra
field skipped and counted, an unmatched quote an error naming its line.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.ingest.sources.bounds import bounded_gunzip

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 65536
PREAMBLE_LINES = 50  # the header is looked for this far down
DELIMITERS = (",", ";", "\t", "|")


@dataclass
class CsvLayout:
    """What the first bytes of a CSV file say about reading it."""

    gz: bool
    encoding: str  # "utf8" or the one to transcode from
    header_line: int  # lines before the header (a preamble)
    separator: str
    careful: bool  # the fast reader cannot take it (CR-only lines, another encoding)
    detected: bool = True  # the encoding was found from the bytes, not given (--encoding)
    header: tuple[str, ...] = ()  # the header's names, normalised
    notes: list[str] = field(default_factory=list)


def normalised(name: str) -> str:
    return name.strip().strip('"').strip().lower()


def _head(path: Path) -> tuple[bytes, bool]:
    try:
        with path.open("rb") as handle:
            start = handle.read(HEAD_BYTES)
        if start[:2] == GZIP_MAGIC:
            with gzip.open(path, "rb") as handle:
                return handle.read(HEAD_BYTES), True
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except (EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: looks gzip-compressed but is damaged ({exc})") from exc
    return start, False


def _decoded(head: bytes, path: Path, encoding: str | None) -> tuple[str, str, list[str]]:
    if encoding:
        try:
            return head.decode(encoding, errors="ignore"), encoding, []
        except LookupError as exc:
            raise InputError(f"--encoding: unknown encoding {encoding!r}") from exc
    try:
        return head.decode("utf-8-sig"), "utf8", []
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut by the read size
            return head[: exc.start].decode("utf-8-sig"), "utf8", []
        note = (
            f"{path}: not UTF-8 (byte {exc.start}); read as Windows-1252 "
            "(pass --encoding to choose another)"
        )
        return head.decode("cp1252", errors="replace"), "cp1252", [note]


def sniff_separator(line: str) -> str:
    counts = {d: line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def inspect_csv(path: Path, encoding: str | None, expected: Collection[str]) -> CsvLayout:
    """How to read the file: see the module doc. `expected`: normalised header names the
    mapping looks for (the header line is the first that names one of them)."""
    head, gz = _head(path)
    text, chosen, notes = _decoded(head, path, encoding)
    cr_only = "\r" in text and "\n" not in text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not any(line.strip() for line in lines):
        raise InputError(f"{path}: is empty; a CSV export needs a header row")
    header_line = 0
    wanted = set(expected)
    for number, line in enumerate(lines[:PREAMBLE_LINES]):
        fields = {normalised(f) for f in line.split(sniff_separator(line))}
        if wanted & fields:
            header_line = number
            break
    if header_line:
        notes.append(f"{path}: skipped {header_line} lines before the header")
    if cr_only:
        notes.append(f"{path}: lines end with CR only (old Mac style); read as such")
    separator = sniff_separator(lines[header_line])
    return CsvLayout(
        gz=gz,
        encoding=chosen,
        header_line=header_line,
        separator=separator,
        careful=cr_only or chosen.replace("-", "").lower() not in ("utf8", "utf8sig"),
        detected=encoding is None,
        header=tuple(normalised(f) for f in lines[header_line].split(separator)),
        notes=notes,
    )


def read_careful(
    path: Path, layout: CsvLayout, kind: str, limit: int
) -> tuple[pl.DataFrame, list[DataWarning]]:
    """Every row of the file as text, with counted warnings for the rows it skipped (`limit`:
    the longest line a compressed file may hold, sources/bounds.py)."""
    raw = bounded_gunzip(path, limit) if layout.gz else path.read_bytes()
    text = decoded_text(raw, layout, path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.separator, strict=False)
    header: list[str] | None = None
    rows: list[list[str]] = []
    skipped = {"repeated_header": 0, "missing_fields": 0, "extra_fields": 0}
    seen_lines = 0
    for row in _rows(reader, path):
        start, seen_lines = seen_lines + 1, reader.line_num
        if header is None:
            if start > layout.header_line:
                header = row
                key = [normalised(f) for f in header]
            continue
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if [normalised(f) for f in row] == key:
            skipped["repeated_header"] += 1
            continue
        if len(row) != len(header):
            if any("\n" in cell for cell in row):
                raise InputError(
                    f"{path}, line {start}: a quote opens a field that does not close on its "
                    "line; remove or double the stray quote"
                )
            skipped["missing_fields" if len(row) < len(header) else "extra_fields"] += 1
            continue
        rows.append(row)
    if header is None:
        raise InputError(f"{path}: is empty; a CSV export needs a header row")
    names = _unique(header)
    frame = pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row")
    frame = frame.with_columns(pl.when(pl.col(n) != "").then(pl.col(n)).alias(n) for n in names)
    return frame, _warnings(path, kind, skipped, layout.notes)


def decoded_text(raw: bytes, layout: CsvLayout, path: Path) -> str:
    """The file's text. An encoding given is used for the whole file (a byte it cannot decode
    is an error naming the line). A detected one is checked over the whole content, not only
    the head: a file whose lines are partly UTF-8 and partly Windows-1252 (two exports pasted
    together) has each line decoded in its own encoding, and a note counts the lines of each."""
    if not layout.detected:
        try:
            return raw.decode(layout.encoding)
        except UnicodeDecodeError as exc:
            at = raw[: exc.start].count(b"\n") + 1
            raise InputError(
                f"{path}, line {at}: byte 0x{raw[exc.start]:02x} is not {layout.encoding}; "
                "pass the file's --encoding (e.g. utf-8, cp1252 or latin-1)"
            ) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    utf8_lines: list[int] = []
    cp1252_lines: list[int] = []
    for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").splitlines(True), 1):
        if line.isascii():  # the same text in either encoding
            parts.append(line.decode("ascii"))
            continue
        try:
            parts.append(line.decode("utf-8"))
            utf8_lines.append(number)
        except UnicodeDecodeError:
            parts.append(line.decode("cp1252", errors="replace"))
            cp1252_lines.append(number)
    layout.notes[:] = [note for note in layout.notes if "read as Windows-1252" not in note]
    first = f"from line {cp1252_lines[0]}" if cp1252_lines else ""
    if utf8_lines:
        layout.notes.append(
            f"{path}: mixed encodings: {len(cp1252_lines):,} lines are Windows-1252 ({first}) "
            f"and {len(utf8_lines):,} UTF-8 (from line {utf8_lines[0]}); each line was read in "
            "its own encoding (two exports joined? pass --encoding to force one)"
        )
    else:
        layout.notes.append(
            f"{path}: not UTF-8 ({first}); read as Windows-1252 (pass --encoding to choose another)"
        )
    return "".join(parts)


def _rows(reader: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    """The reader's rows; a field that runs on past the size limit is an unmatched quote."""
    line = 0
    try:
        for row in reader:
            yield row
            line = reader.line_num  # type: ignore[attr-defined]
    except csv.Error as exc:
        raise InputError(
            f"{path}, line {line + 1}: a quote opens a field that never closes ({exc}); "
            "remove or double the stray quote"
        ) from exc


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in header:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}_{count + 1}")
    return out


def _warnings(
    path: Path, kind: str, skipped: dict[str, int], notes: list[str]
) -> list[DataWarning]:
    words = {
        "repeated_header": "repeat the header (concatenated exports)",
        "missing_fields": "have fewer fields than the header",
        "extra_fields": "have more fields than the header",
    }
    out = [DataWarning("file_layout", f"{kind}: {note}", source=kind) for note in notes]
    for code, count in skipped.items():
        if count:
            out.append(
                DataWarning(
                    f"skipped_{code}",
                    f"{kind}: {path}: {count} rows {words[code]} and were skipped",
                    count=count,
                    source=kind,
                )
            )
    return out
