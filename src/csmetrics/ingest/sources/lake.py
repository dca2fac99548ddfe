"""Lakehouse tables as sources, found by the folder's contents: a Delta Lake table has a
`_delta_log/` (sources/delta.py), an Iceberg table a `metadata/` of `*.metadata.json` files
(sources/iceberg.py). Each is read as the files of one version of the table, never as the
folder's every Parquet file: files a later version removed are still there, and reading them
would count rows twice. `PATH@VERSION` (a Delta version, an Iceberg snapshot id) or the
source's `version` key pins one for a reproducible rerun; the version read is told in a note,
so `validate` shows it."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.ingest.sources.delta import delta_files, scan_delta
from csmetrics.ingest.sources.iceberg import iceberg_files, metadata_files, scan_iceberg
from csmetrics.ingest.sources.lake_table import LakeTable, TableFiles
from csmetrics.ingest.sources.spec import SourceSpec

DELTA_LOG = "_delta_log"
PINNED = re.compile(r"^(?P<path>.+)@(?P<version>\d+)$")


def lake_table(path: str, version: int | None = None) -> LakeTable | None:
    """The table `path` names (`PATH@VERSION` pins a version over `version`), else None."""
    pinned = PINNED.match(path)
    folder = pinned["path"] if pinned else path
    chosen = int(pinned["version"]) if pinned else version
    if (Path(folder) / DELTA_LOG).is_dir():
        return LakeTable("delta", folder, chosen)
    if metadata_files(folder):
        return LakeTable("iceberg", folder, chosen)
    return None


def scan_lake(
    spec: SourceSpec, table: LakeTable
) -> tuple[list[Path], pl.LazyFrame, list[DataWarning]]:
    """The table's files at its version, its lazy scan (Polars pushes the columns read and row
    filters into the reads) and a note of the version read."""
    if table.format == "delta":
        return scan_delta(spec, table.folder, table.version)
    return scan_iceberg(spec, table.folder, table.version)


def table_files(spec: SourceSpec, table: LakeTable, column: str) -> TableFiles | None:
    """The files' statistics of `column`; None when a file has none (every file would then be
    opened, and the table's range is unknown)."""
    if table.format == "delta":
        return delta_files(table.folder, table.version, column)
    return iceberg_files(spec, table.folder, table.version, column)
