"""File renderers: JSON, Markdown, and one file per table as CSV or Parquet. Writes are atomic."""

from __future__ import annotations

import functools
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from csmetrics.core.diagnostics import coverage_first
from csmetrics.core.errors import ConfigError, OutputError
from csmetrics.render.values import format_cell, format_metric, unit_label

if TYPE_CHECKING:
    from csmetrics.results.report import Report

FORMULA_PREFIXES = ("=", "+", "-", "@")
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
MARKDOWN_MAX_ROWS = 50


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write a regular file through a temporary file in its folder, then rename over it, so no
    reader sees it half-written. A device, a FIFO or a link to one (`/dev/stdout`,
    `/proc/self/fd/1`) is written through, never replaced; a link to a regular file keeps
    being a link (its target is replaced). A write that fails is an OutputError naming the
    path and the reason."""
    try:
        mode = path.stat().st_mode if path.exists() else None  # follows links
        if mode is not None and stat.S_ISDIR(mode):
            raise OutputError(f"{path}: is a folder; give a file name")
        if mode is not None and not stat.S_ISREG(mode):
            write(path)  # a device, a FIFO, a pipe behind /dev/stdout: written through
            return
        _replace(path.resolve() if path.is_symlink() else path, write)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _replace(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        temp.chmod(0o666 & ~_umask())  # mkstemp creates 0600; give the file the usual mode
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def json_text(report: Report) -> str:
    return indented_json(report.to_json_dict()) + "\n"


# DEL and the C1 controls, which JSON may hold raw but a terminal would obey: written as \u
# escapes (they can only occur inside strings, where an escape means the same character)
RAW_CONTROLS = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


def indented_json(value: Any, level: int = 0) -> str:
    """JSON indented by two spaces, except that a list of objects (a table's rows) holds one
    compact row per line: as readable and as easy to diff and grep, and the rows go through
    the json module's C encoder, which `indent` turns off (0.10 s against 0.16 s for 20k rows).
    No raw control character is left in it (json escapes C0; RAW_CONTROLS the rest)."""
    text = _indented(value, level)
    return text.translate(RAW_CONTROLS) if level == 0 else text


def _indented(value: Any, level: int = 0) -> str:
    pad = "  " * level
    if isinstance(value, dict) and value:
        members = (
            f"{pad}  {json.dumps(key, ensure_ascii=False)}: {_indented(item, level + 1)}"
            for key, item in value.items()
        )
        return "{\n" + ",\n".join(members) + f"\n{pad}}}"
    if isinstance(value, list) and value:
        if all(isinstance(item, dict) for item in value):
            rows = (f"{pad}  {json.dumps(item, ensure_ascii=False)}" for item in value)
        else:
            rows = (f"{pad}  {_indented(item, level + 1)}" for item in value)
        return "[\n" + ",\n".join(rows) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def markdown_text(report: Report) -> str:
    window = report.window
    lines = [
        f"# {report.family}: {window.name}",
        "",
        f"Window: {_iso(window.since)} to {_iso(window.until)} (exclusive), time zone {window.timezone}.",
        "",
        *(f"> **Warning:** {w.message}\n" for w in coverage_first(report.warnings)),
        "| metric | value |",
        "|---|---:|",
    ]
    for key, value in report.metrics.items():
        info = report.metric_info(key)
        lines.append(f"| {info.title} (`{key}`) | {format_metric(value, info, report.currency)} |")
    for name, frame in report.tables.items():
        lines += ["", f"## {name}", "", "| " + " | ".join(frame.columns) + " |"]
        lines.append(
            "|"
            + "|".join("---:" if frame.schema[c].is_numeric() else "---" for c in frame.columns)
            + "|"
        )
        for row in frame.head(MARKDOWN_MAX_ROWS).iter_rows():
            cells = (
                format_cell(v, c).replace("|", "\\|")
                for v, c in zip(row, frame.columns, strict=True)
            )
            lines.append("| " + " | ".join(cells) + " |")
        if frame.height > MARKDOWN_MAX_ROWS:
            lines.append(
                f"\n{frame.height - MARKDOWN_MAX_ROWS} more rows are in the Parquet/CSV/JSON outputs."
            )
    if report.warnings:
        lines += ["", "## Warnings", ""]
        lines += [f"- {w.message}" for w in report.warnings]
    return "\n".join(lines) + "\n"


def _iso(value: object) -> str:
    return str(value).replace("+00:00", "Z") if value is not None else "open"


def metrics_frame(report: Report, fmt: str = "parquet") -> pl.DataFrame:
    """id, value, unit. Parquet's value is a Float64 column; in CSV, which is text, a count is
    written as a whole number (211, not 211.0) and every other value in full precision."""
    values = [report.json_value(k) for k in report.metrics]
    as_text = [None if v is None else repr(v) for v in values]
    return pl.DataFrame(
        {
            "id": list(report.metrics),
            "value": as_text if fmt == "csv" else [None if v is None else float(v) for v in values],
            "unit": [unit_label(report.metric_info(k), report.currency) for k in report.metrics],
        },
        schema={
            "id": pl.String,
            "value": pl.String if fmt == "csv" else pl.Float64,
            "unit": pl.String,
        },
    )


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading quote."""
    risky = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(
            pl.col(c).str.starts_with(FORMULA_PREFIXES[0])
            | pl.col(c).str.starts_with(FORMULA_PREFIXES[1])
            | pl.col(c).str.starts_with(FORMULA_PREFIXES[2])
            | pl.col(c).str.starts_with(FORMULA_PREFIXES[3])
        )
        .then(pl.when(pl.col(c).str.contains(_NUMBER)).then(pl.col(c)).otherwise("'" + pl.col(c)))
        .otherwise(pl.col(c))
        .alias(c)
        for c in risky
    )


def _csv_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """Timestamps as ISO 8601 with Z; text made spreadsheet-safe."""
    frame = frame.with_columns(
        pl.col(c).dt.strftime("%Y-%m-%dT%H:%M:%S%.fZ")
        for c, t in frame.schema.items()
        if isinstance(t, pl.Datetime)
    )
    return spreadsheet_safe(frame)


def write_tables(report: Report, folder: Path, fmt: str) -> list[Path]:
    """`folder/<family>.<table>.<fmt>` for every table plus `<family>.metrics.<fmt>`.

    All files are first written into a temporary folder inside `folder`, then renamed into place,
    so no reader ever sees a half-written file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    frames = {"metrics": metrics_frame(report, fmt), **report.tables}
    staging = Path(tempfile.mkdtemp(prefix=".csmetrics-", dir=folder))
    written: list[Path] = []
    try:
        for name, frame in frames.items():
            _write_frame(frame, staging / f"{report.family}.{name}.{fmt}", fmt=fmt)
        for staged in sorted(staging.iterdir()):
            final = folder / staged.name
            staged.replace(final)
            written.append(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def names_a_file(output: str) -> bool:
    """`--output out.csv` names a file; a path ending in `/`, an existing folder or a name
    without an extension names a folder of tables (cli.md, "Files written")."""
    path = Path(output)
    return not output.endswith(("/", os.sep)) and not path.is_dir() and path.suffix != ""


def metrics_csv_text(report: Report) -> str:
    return _csv_ready(metrics_frame(report, "csv")).write_csv()


def write_metrics_file(report: Report, path: Path, fmt: str) -> list[Path]:
    """`path` holds the metrics (id, value, unit); each table goes beside it as
    `<stem>.<table><suffix>`. Each file is written atomically."""
    frames = {"": metrics_frame(report, fmt), **report.tables}
    written: list[Path] = []
    for name, frame in frames.items():
        target = path if not name else path.with_name(f"{path.stem}.{name}{path.suffix}")
        atomic_write(target, functools.partial(_write_frame, frame, fmt=fmt))
        written.append(target)
    return written


def _write_frame(frame: pl.DataFrame, target: Path, *, fmt: str) -> None:
    if fmt == "parquet":
        frame.write_parquet(target)
    else:
        _csv_ready(frame).write_csv(target)


def write_text(path: Path, text: str) -> None:
    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    atomic_write(path, write)


REPORT_FORMATS = ("json", "markdown", "html", "csv", "parquet")


def write_report(report: Report, output: str, fmt: str) -> list[Path]:
    """The report as `fmt`: one file (json, markdown, html); csv and parquet as a file holding the
    metrics with each table beside it, or a folder of tables (see `names_a_file`)."""
    path = Path(output)
    if fmt == "json":
        write_text(path, json_text(report))
        return [path]
    if fmt in ("markdown", "html"):
        write_text(path, markdown_text(report) if fmt == "markdown" else report.to_html())
        return [path]
    if fmt in ("csv", "parquet"):
        if names_a_file(output):
            return write_metrics_file(report, path, fmt)
        return write_tables(report, path, fmt)
    raise ConfigError(f"format: expected one of {', '.join(REPORT_FORMATS)}, got {fmt!r}")
