"""What `explain` returns: a metric's change between the previous window and the window, split
by segment (metrics.md, "Why it changed"), and its JSON form (cli.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from csmetrics import __version__
from csmetrics.core.declarations import Metric
from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.json_values import jsonable, number_or_null, window_json
from csmetrics.core.window import Window

KINDS = {
    "ratio": "a ratio: each segment's change splits into its own rate moving and its share "
    "of the denominator moving",
    "additive": "a sum: each segment contributes its own change",
    "quantile": "a quantile, which does not decompose: each segment's own value and share",
}


@dataclass
class Explanation:
    metric: Metric
    kind: str  # ratio, additive or quantile (families/explainer.py)
    window: Window
    previous_window: Window
    value: float | None
    previous_value: float | None
    by: tuple[str, ...]
    # the `by` columns, then shift_share.SEGMENT_COLUMNS, sorted by the absolute contribution
    segments: pl.DataFrame
    units: str  # what a segment's members are ("active users", "tickets")
    weight: str  # what a segment's weight is ("share of MAU30")
    currency: str | None = None
    warnings: list[DataWarning] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    @property
    def unit(self) -> str:
        """The metric's unit; money as the currency's code when there is one."""
        unit = self.metric.unit
        return (self.currency or unit) if unit == "money" else unit

    def segment_of(self, row: dict[str, Any]) -> Any:
        """A segment's JSON name: the value of the one `by` column, or an object of the values
        of several (null for a missing value, never dropped)."""
        if len(self.by) == 1:
            return jsonable(row[self.by[0]])
        return {column: jsonable(row[column]) for column in self.by}

    def to_json_dict(self) -> dict[str, Any]:
        rows = self.segments.to_dicts()
        measures = [c for c in self.segments.columns if c not in self.by]
        return {
            "schema_version": 1,
            "tool": {"name": "csmetrics", "version": __version__},
            "metric": self.metric.id,
            "kind": self.kind,
            "unit": self.unit,
            "window": window_json(self.window),
            "previous_window": window_json(self.previous_window),
            "value": number_or_null(self.value),
            "previous_value": number_or_null(self.previous_value),
            "change": number_or_null(self.change),
            "by": list(self.by),
            "segments": [
                {"segment": self.segment_of(row)} | {k: number_or_null(row[k]) for k in measures}
                for row in rows
            ],
            "warnings": [w.as_dict() for w in self.warnings],
        }

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_json_dict(), indent=2, ensure_ascii=False) + "\n"

    def __repr__(self) -> str:
        return (
            f"Explanation({self.metric.id!r}, {self.previous_window.name} -> {self.window.name}, "
            f"by={list(self.by)}, segments={self.segments.height})"
        )
