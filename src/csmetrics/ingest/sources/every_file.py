"""Files of one source are put together by column name: each must hold the source's required
columns, or a tickets export in an events folder would join the events as rows of nulls."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from csmetrics.core.errors import InputError
from csmetrics.core.text import first_line
from csmetrics.ingest.sources.files import format_of
from csmetrics.ingest.sources.messy import inspect_csv, normalised
from csmetrics.ingest.sources.schema import SCHEMAS
from csmetrics.ingest.sources.spec import SourceSpec


def require_in_every_file(
    spec: SourceSpec,
    files: list[Path],
    headers: Mapping[str, str],
    fallbacks: Mapping[str, tuple[str, ...]],
    dtypes: Mapping[str, pl.DataType],
) -> None:
    """Files of one source put together by column name must each hold its required columns:
    a tickets export in an events folder would otherwise join the events as rows of nulls."""
    required = {
        name: (header, *fallbacks.get(name, ()))
        for name, header in headers.items()
        if SCHEMAS[spec.kind][name].required and name in dtypes
    }
    for file in files:
        held = _header_of(file, spec)
        if held is None:
            continue
        for name, names in required.items():
            # a nested field ("context.groupId") is held when its top-level column is
            if not any({normalised(h), normalised(h.split(".")[0])} & held for h in names):
                raise InputError(
                    f"{file.as_posix()}: has no {names[0]!r} column ({spec.kind} {name}), "
                    f"which the other files of {spec.label} have: is it another source's "
                    "export? Give each source its own path"
                )


def _header_of(file: Path, spec: SourceSpec) -> set[str] | None:
    """A file's column names, normalised (CSV: its header line; Parquet: its schema)."""
    fmt = format_of(file)
    if fmt == ("parquet", False):
        try:
            with file.open("rb") as handle:  # a handle: Polars would glob a [ in the path
                return {normalised(n) for n in pl.read_parquet_schema(handle)}
        except Exception as exc:  # polars raises many types for an unreadable file
            raise InputError(
                f"{spec.kind}: {file.as_posix()}: cannot be read as parquet: {first_line(exc)}"
            ) from exc
    if fmt is not None and fmt[0] == "csv":
        return set(inspect_csv(file, spec.encoding, ()).header)
    return None
