"""An Iceberg table read from its folder (its `metadata/` holds a `*.metadata.json` per
commit; the newest, or the one `version-hint.text` names, is the table now), through
`pyiceberg` and Polars' Iceberg scan at one snapshot. A catalog (SQL, REST, Glue) writes the
same folder; reading it there needs no catalog."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.text import first_line
from csmetrics.ingest.sources.lake_table import LakeTable, TableFiles, missing_extra, version_note
from csmetrics.ingest.sources.spec import SourceSpec

# 00003-<uuid>.metadata.json (a catalog's commits) or v3.metadata.json (a Hadoop table)
NUMBERED = re.compile(r"^v?(?P<number>\d+)[-.]")


def metadata_files(folder: str) -> list[Path]:
    """The table's metadata files, oldest first (none: not an Iceberg table)."""
    found = []
    for path in (Path(folder) / "metadata").glob("*.metadata.json"):
        number = NUMBERED.match(path.name)
        if number:
            found.append((int(number["number"]), path))
    return [path for _, path in sorted(found)]


def current_metadata(folder: str) -> Path:
    hint = Path(folder) / "metadata" / "version-hint.text"
    if hint.is_file():
        named = Path(folder) / "metadata" / f"v{hint.read_text().strip()}.metadata.json"
        if named.is_file():
            return named
    return metadata_files(folder)[-1]


def scan_iceberg(spec: SourceSpec, folder: str, snapshot: int | None) -> tuple[
    list[Path], pl.LazyFrame, list[DataWarning]
]:  # fmt: skip
    """The table's data files at `snapshot` (default the current one), its lazy scan and a
    note of the snapshot read."""
    table = _table(spec, folder, snapshot)
    read, latest = _snapshot_read(spec, table, folder, snapshot)
    files = [
        Path(p.removeprefix("file://")) for p in _files(table, read).column("file_path").to_pylist()
    ]
    note = version_note(spec, LakeTable("iceberg", folder, snapshot), read, latest, len(files))
    return files, pl.scan_iceberg(table, snapshot_id=read), [note]


def iceberg_files(
    spec: SourceSpec, folder: str, snapshot: int | None, column: str
) -> TableFiles | None:
    """Per data file of the snapshot, the least and greatest `column` of its metadata."""
    table = _table(spec, folder, snapshot)
    read = snapshot if snapshot is not None else table.current_snapshot().snapshot_id
    files = _files(table, read)
    paths = [Path(p.removeprefix("file://")) for p in files.column("file_path").to_pylist()]
    metrics: list[dict[str, Any]] = [
        (row or {}).get(column) or {} for row in files.column("readable_metrics").to_pylist()
    ]
    if any(m.get("lower_bound") is None for m in metrics):
        return None  # a file without statistics (or with no time in any row)
    return TableFiles(
        paths, [m["lower_bound"] for m in metrics], [m["upper_bound"] for m in metrics]
    )


def _table(spec: SourceSpec, folder: str, snapshot: int | None) -> Any:
    try:
        from pyiceberg.table import StaticTable
    except ImportError as exc:
        raise missing_extra(spec, LakeTable("iceberg", folder, snapshot), "pyiceberg") from exc
    try:
        return StaticTable.from_metadata(str(current_metadata(folder).resolve()))
    except Exception as exc:  # pyiceberg raises its own error types
        raise InputError(
            f"{spec.kind}: {folder}: cannot read the Iceberg table: {first_line(exc, 200)}"
        ) from exc


def _snapshot_read(
    spec: SourceSpec, table: Any, folder: str, snapshot: int | None
) -> tuple[int, int]:
    """(the snapshot read, the current one); a snapshot the table does not have is one line."""
    current = table.current_snapshot()
    if current is None:
        raise InputError(f"{spec.kind}: {folder}: the Iceberg table has no snapshot (no rows yet)")
    if snapshot is None:
        return current.snapshot_id, current.snapshot_id
    known = [s.snapshot_id for s in table.snapshots()]
    if snapshot not in known:
        shown = ", ".join(str(s) for s in known[-5:])
        raise InputError(
            f"{spec.kind}: {folder}: the Iceberg table has no snapshot {snapshot} (its latest: {shown})"
        )
    return snapshot, current.snapshot_id


def _files(table: Any, snapshot: int) -> Any:
    """The snapshot's data files (delete files aside), as an Arrow table of their metadata."""
    return table.inspect.data_files(snapshot_id=snapshot)
