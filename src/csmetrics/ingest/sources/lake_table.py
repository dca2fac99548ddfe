"""What a lakehouse table is, shared by its readers (sources/delta.py, sources/iceberg.py)
and the detection that picks one (sources/lake.py): the table and version asked for, its data
files' statistics of a column, the note of the version read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import ConfigError
from csmetrics.ingest.sources.spec import SourceSpec

EXTRA = "pip install 'csmetrics[lake]'"


@dataclass(frozen=True)
class LakeTable:
    format: Literal["delta", "iceberg"]
    folder: str
    version: int | None  # a Delta version or an Iceberg snapshot id; None: the latest

    @property
    def name(self) -> str:
        return "Delta table" if self.format == "delta" else "Iceberg table"

    @property
    def article(self) -> str:
        return "a" if self.format == "delta" else "an"


@dataclass(frozen=True)
class TableFiles:
    """Per data file of the table's version, its path and the least and greatest value of a
    column, from the statistics its metadata holds."""

    paths: list[Path]
    lows: list[Any]
    highs: list[Any]

    @property
    def low(self) -> Any:
        return min((v for v in self.lows if v is not None), default=None)

    @property
    def high(self) -> Any:
        return max((v for v in self.highs if v is not None), default=None)


def version_note(
    spec: SourceSpec, table: LakeTable, read: int, latest: int, files: int
) -> DataWarning:
    """Which version was read, told in every output: what a rerun pins to get the same rows."""
    word = "version" if table.format == "delta" else "snapshot"
    return DataWarning(
        "table_version",
        f"{spec.kind}: {table.name} {table.folder}, {word} {read}"
        + ("" if read == latest else f" (latest {latest})")
        + f", {files:,} file{'' if files == 1 else 's'}",
        source=spec.kind,
    )


def missing_extra(spec: SourceSpec, table: LakeTable, package: str) -> ConfigError:
    return ConfigError(
        f"{spec.kind}: {table.folder} is {table.article} {table.name}: {EXTRA} ({package}) to "
        "read it"
    )
