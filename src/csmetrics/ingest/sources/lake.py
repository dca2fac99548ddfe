"""Lakehouse tables as sources: a Delta Lake table is a folder with a `_delta_log/`, read as the
table's current files (never the folder's every Parquet file: files a later version removed are
still there, and reading them would count rows twice). `PATH@VERSION` pins a version for a
reproducible rerun; the version read is told in a note, so `validate` shows it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import ConfigError, InputError
from csmetrics.core.text import first_line
from csmetrics.ingest.sources.spec import SourceSpec

DELTA_LOG = "_delta_log"
PINNED = re.compile(r"^(?P<path>.+)@(?P<version>\d+)$")


def delta_table(path: str) -> tuple[str, int | None] | None:
    """(table folder, pinned version or None) when `path` names a Delta table, else None."""
    pinned = PINNED.match(path)
    folder, version = (pinned["path"], int(pinned["version"])) if pinned else (path, None)
    if (Path(folder) / DELTA_LOG).is_dir():
        return folder, version
    return None


def scan_delta(spec: SourceSpec, folder: str, version: int | None) -> tuple[
    list[Path], pl.LazyFrame, list[DataWarning]
]:  # fmt: skip
    """The table's files at `version` (default the latest), its lazy scan (Polars pushes the
    columns read and row filters into the Parquet reads) and a note of the version read."""
    try:
        from deltalake import DeltaTable
    except ImportError as exc:
        raise ConfigError(
            f"{spec.kind}: {folder} is a Delta Lake table: pip install 'csmetrics[lake]' "
            "(deltalake) to read it"
        ) from exc
    try:
        latest = DeltaTable(folder)
        table = latest if version is None else DeltaTable(folder, version=version)
    except Exception as exc:  # deltalake raises its own error types
        last = _latest_version(folder)
        if version is not None and last is not None and version > last:
            raise InputError(
                f"{spec.kind}: {folder}: the Delta table has no version {version} "
                f"(versions 0 to {last})"
            ) from exc
        asked = "its latest version" if version is None else f"version {version}"
        raise InputError(
            f"{spec.kind}: {folder}: cannot read the Delta table at {asked}: {first_line(exc, 200)}"
        ) from exc
    files = [Path(uri.removeprefix("file://")) for uri in table.file_uris()]
    read = table.version()
    note = DataWarning(
        "table_version",
        f"{spec.kind}: Delta table {folder}, version {read}"
        + ("" if read == latest.version() else f" (latest {latest.version()})")
        + f", {len(files):,} file{'' if len(files) == 1 else 's'}",
        source=spec.kind,
    )
    return files, pl.scan_delta(table), [note]


def _latest_version(folder: str) -> int | None:
    try:
        from deltalake import DeltaTable

        return int(DeltaTable(folder).version())
    except Exception:  # the message above names the version asked for either way
        return None


@dataclass(frozen=True)
class DeltaFiles:
    """Per file of a Delta table's version, its path and the least and greatest value of a
    column, from the statistics its log holds; and the least and greatest over the table."""

    paths: list[Path]
    lows: list[Any]
    highs: list[Any]

    @property
    def low(self) -> Any:
        return min((v for v in self.lows if v is not None), default=None)

    @property
    def high(self) -> Any:
        return max((v for v in self.highs if v is not None), default=None)


def delta_files(
    spec: SourceSpec, folder: str, version: int | None, column: str
) -> DeltaFiles | None:
    """The files' statistics of `column`; None when a file has none (Polars would then open
    every file, and the table's range is unknown)."""
    from deltalake import DeltaTable

    table = DeltaTable(folder) if version is None else DeltaTable(folder, version=version)
    actions = pl.DataFrame(table.get_add_actions(flatten=True))
    names = (f"min.{column}", f"max.{column}")
    if actions.height == 0:
        return DeltaFiles([], [], [])
    if any(n not in actions.columns for n in names):
        return None
    lows, highs = actions.get_column(names[0]), actions.get_column(names[1])
    if lows.null_count() > actions.get_column("num_records").eq(0).sum():
        return None
    paths = [Path(folder) / path for path in actions.get_column("path").to_list()]
    return DeltaFiles(paths, lows.to_list(), highs.to_list())
