"""The report every family returns, and its JSON form (schema_version 1, cli.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics import __version__
from csmetrics.core.declarations import Metric, Table
from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.json_values import iso, jsonable, number_or_null, table_records
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
    engine: str = "polars"  # what computed the events: polars or spark
    # the family's declarations of its metrics (title, unit, direction) that renderers read
    declared: Mapping[str, Metric] = field(default_factory=dict, repr=False, compare=False)
    # and of its tables (what a narrow terminal leaves out first)
    declared_tables: Mapping[str, Table] = field(default_factory=dict, repr=False, compare=False)

    def json_value(self, metric_id: str) -> float | int | None:
        """A metric's value for JSON: a count as an integer (211, not 211.0), else the float;
        null for a missing or non-finite value."""
        value = number_or_null(self.metrics[metric_id])
        if value is not None and self.declared[metric_id].whole and float(value).is_integer():
            return int(value)
        return value

    def unit_of(self, metric_id: str) -> str:
        """The metric's declared unit; money as the report's currency code when it has one."""
        unit = self.declared[metric_id].unit
        return (self.currency or unit) if unit == "money" else unit

    def metric_info(self, metric_id: str) -> Metric:
        """The declaration of one of this report's metrics."""
        return self.declared[metric_id]

    def __repr__(self) -> str:
        return (
            f"Report({self.family!r}, window={self.window.name!r}, "
            f"metrics={len(self.metrics)}, tables={list(self.tables)}, "
            f"warnings={len(self.warnings)})"
        )

    def to_html(self) -> str:
        """The report as one self-contained HTML page: cards, charts as inline SVG, tables."""
        from csmetrics.render.html.page import report_html

        return report_html(self)

    def _repr_html_(self) -> str:
        """Jupyter shows the page inline."""
        return self.to_html()

    def to_json(self) -> str:
        """The JSON report (schema_version 1, cli.md), as text."""
        from csmetrics.render.files import json_text

        return json_text(self)

    def write(self, path: str | os.PathLike[str], format: str = "json") -> list[Path]:
        """Write the report: `json`, `markdown` or `html` to the file `path`. `csv` or `parquet`: to
        `out.csv` the metrics, each table beside it as `out.<table>.csv`; to a folder (a path
        ending in `/`, an existing folder or a name without extension) one file per table.
        Every write is atomic (a temporary file, then a rename). Returns the files written."""
        from csmetrics.render.files import write_report

        return write_report(self, os.fspath(path), format)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "tool": {"name": "csmetrics", "version": __version__},
            "family": self.family,
            "engine": self.engine,
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
            "metrics": {key: self.json_value(key) for key in self.metrics},
            # each metric's unit, money as the report's currency (the numbers stay unrounded)
            "units": {key: self.unit_of(key) for key in self.metrics},
            "tables": {name: table_records(frame) for name, frame in self.tables.items()},
            "warnings": [w.as_dict() for w in self.warnings],
        }
