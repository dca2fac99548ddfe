"""A Delta Lake table (a folder with `_delta_log/`), read through `deltalake` at one version:
its files, never the folder's every Parquet file."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.text import first_line
from csmetrics.ingest.sources.lake_table import LakeTable, TableFiles, missing_extra, version_note
from csmetrics.ingest.sources.spec import SourceSpec


def scan_delta(spec: SourceSpec, folder: str, version: int | None) -> tuple[
    list[Path], pl.LazyFrame, list[DataWarning]
]:  # fmt: skip
    """The table's files at `version` (default the latest), its lazy scan and the note."""
    try:
        from deltalake import DeltaTable
    except ImportError as exc:
        raise missing_extra(spec, LakeTable("delta", folder, version), "deltalake") from exc
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
    note = version_note(
        spec, LakeTable("delta", folder, version), table.version(), latest.version(), len(files)
    )
    return files, pl.scan_delta(table), [note]


def delta_files(folder: str, version: int | None, column: str) -> TableFiles | None:
    """Per file of the version, the least and greatest `column` its log's statistics hold."""
    from deltalake import DeltaTable

    table = DeltaTable(folder) if version is None else DeltaTable(folder, version=version)
    actions = pl.DataFrame(table.get_add_actions(flatten=True))
    names = (f"min.{column}", f"max.{column}")
    if actions.height == 0:
        return TableFiles([], [], [])
    if any(n not in actions.columns for n in names):
        return None
    lows, highs = actions.get_column(names[0]), actions.get_column(names[1])
    if lows.null_count() > actions.get_column("num_records").eq(0).sum():
        return None  # a file without statistics (or with no time in any row)
    paths = [Path(folder) / path for path in actions.get_column("path").to_list()]
    return TableFiles(paths, lows.to_list(), highs.to_list())


def _latest_version(folder: str) -> int | None:
    try:
        from deltalake import DeltaTable

        return int(DeltaTable(folder).version())
    except Exception:  # the message above names the version asked for either way
        return None
