"""The report every family returns, and its JSON form (schema_version 1, cli.md)."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics import __version__
from csmetrics.core.declarations import Metric
from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.timeparts import UTC
from csmetrics.core.window import Window


@dataclass
class Report:
    family: str
    window: Window
    parameters: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    metrics: dict[str, float | None]
    tables: dict[str, pl.DataFrame]
    warnings: list[DataWarning] = field(default_factory=list)
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    currency: str | None = None  # ISO 4217 code of every money value; None: no money in it
    # the family's declarations of its metrics (title, unit, direction) that renderers read
    declared: Mapping[str, Metric] = field(default_factory=dict, repr=False, compare=False)

    def metric_info(self, metric_id: str) -> Metric:
        """The declaration of one of this report's metrics."""
        return self.declared[metric_id]

    def __repr__(self) -> str:
        return (
            f"Report({self.family!r}, window={self.window.name!r}, "
            f"metrics={len(self.metrics)}, tables={list(self.tables)}, "
            f"warnings={len(self.warnings)})"
        )

    def to_json(self) -> str:
        """The JSON report (schema_version 1, cli.md), as text."""
        from csmetrics.render.files import json_text

        return json_text(self)

    def write(self, path: str | os.PathLike[str], format: str = "json") -> list[Path]:
        """Write the report: `json` or `markdown` to the file `path`; `csv` or `parquet` as one
        file per table into the folder `path`. Every write is atomic (a temporary file, then a
        rename). Returns the files written."""
        from csmetrics.render.files import write_report

        return write_report(self, Path(path), format)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "tool": {"name": "csmetrics", "version": __version__},
            "family": self.family,
            "generated_at": iso(self.generated_at),
            "window": {
                "since": iso(self.window.since),
                "until": iso(self.window.until),
                "timezone": self.window.timezone,
                "grain": self.window.grain,
                "label": self.window.name,
            },
            "currency": self.currency,
            "parameters": self.parameters,
            "sources": {name: jsonable(info) for name, info in self.sources.items()},
            "metrics": {key: number_or_null(value) for key, value in self.metrics.items()},
            "tables": {name: table_records(frame) for name, frame in self.tables.items()},
            "warnings": [w.as_dict() for w in self.warnings],
        }


def iso(value: datetime | None) -> str | None:
    """ISO 8601 UTC with `Z`."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def number_or_null(value: object) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value  # type: ignore[return-value]


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float):
        return number_or_null(value)
    return value


def table_records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The table's rows as JSON-ready dicts. NaN and infinities become null in Polars; exact
    decimals (money) become JSON numbers with the same digits; only temporal columns are
    converted value by value (a table of 20k accounts has none)."""
    decimals = [name for name, dtype in frame.schema.items() if dtype.is_decimal()]
    frame = frame.with_columns(pl.col(decimals).cast(pl.Float64))
    floats = [name for name, dtype in frame.schema.items() if dtype.is_float()]
    finite = frame.with_columns(
        pl.when(pl.col(name).is_finite()).then(pl.col(name)).alias(name) for name in floats
    )
    temporal = [name for name, dtype in frame.schema.items() if dtype.is_temporal()]
    rows = finite.to_dicts()
    for row in rows if temporal else ():
        for name in temporal:
            row[name] = jsonable(row[name])
    return rows
