"""The Bundle `report` returns: every family's Report for the window and the previous window of
equal length, with its JSON form. render/bundle.py writes it as a dated folder, atomically."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from csmetrics import __version__
from csmetrics.core.json_values import iso, table_records, window_json
from csmetrics.core.timeparts import UTC
from csmetrics.core.window import Window
from csmetrics.results.bands import Band
from csmetrics.results.explanation import Explanation
from csmetrics.results.report import Report

TOP_SEGMENTS = 3  # the contributors "What moved" lists per dimension


@dataclass
class Bundle:
    """The reports of every family for the window (`current`) and the window before it."""

    current: dict[str, Report]
    previous: dict[str, Report]
    skipped: dict[str, str] = field(default_factory=dict)  # family -> why it was left out
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # metric -> its anomaly band (results/bands.py); metric -> explain's split of a headline
    # outside its band, one per [explain] dimension ("What moved"); notes about those
    bands: dict[str, Band] = field(default_factory=dict)
    moved: dict[str, list[Explanation]] = field(default_factory=dict)
    anomaly_notes: list[str] = field(default_factory=list)

    @property
    def window(self) -> Window:
        return next(iter(self.current.values())).window

    @property
    def label(self) -> str:
        return self.window.name

    def value(self, metric: str) -> tuple[float | None, float | None]:
        """(value, previous value) of a metric id; KeyError when no family computed it."""
        family = metric.split(".", 1)[0]
        if family not in self.current or metric not in self.current[family].metrics:
            raise KeyError(metric)
        return self.current[family].metrics[metric], self.previous[family].metrics.get(metric)

    def write(self, folder: str | os.PathLike[str], *, html: bool = False) -> Path:
        """Write `folder/<label>/` (report.json, report.md, tables as Parquet, and with
        `html` the page report.html) atomically."""
        from csmetrics.render.bundle import write_bundle

        return write_bundle(self, Path(folder), page=self.to_html() if html else None)

    def to_html(self) -> str:
        """Every family on one self-contained HTML page, the previous window beside each
        value (`report --format html`)."""
        from csmetrics.render.html.page import bundle_html

        return bundle_html(self)

    def _repr_html_(self) -> str:
        """Jupyter shows the page inline."""
        return self.to_html()

    def to_json_dict(self) -> dict[str, Any]:
        previous_window = next(iter(self.previous.values())).window
        return {
            "schema_version": 1,
            "tool": {"name": "csmetrics", "version": __version__},
            "generated_at": iso(self.generated_at),
            "window": window_json(self.window),
            "previous_window": window_json(previous_window),
            "families": {
                name: {
                    "metrics": {k: report.json_value(k) for k in report.metrics},
                    "previous": {
                        k: self.previous[name].json_value(k) for k in self.previous[name].metrics
                    },
                    "units": {k: report.unit_of(k) for k in report.metrics},
                    "tables": {t: table_records(f) for t, f in report.tables.items()},
                    "parameters": report.parameters,
                    "engine": report.engine,
                    "warnings": [w.as_dict() for w in report.warnings],
                    "bands": {
                        k: self.bands[k].as_dict() for k in report.metrics if k in self.bands
                    },
                }
                for name, report in self.current.items()
            },
            "skipped_families": dict(self.skipped),
            "what_moved": [
                _moved_json(metric, self.bands[metric], why) for metric, why in self.moved.items()
            ],
            "anomaly_notes": list(self.anomaly_notes),
        }


def _moved_json(metric: str, band: Band, explanations: list[Explanation]) -> dict[str, Any]:
    """A flagged headline: its band, and per dimension its change's largest contributors."""
    return {
        "metric": metric,
        "band": band.as_dict(),
        "by": [
            {
                "by": why.by[0],
                "change": why.to_json_dict()["change"],
                "segments": why.to_json_dict()["segments"][:TOP_SEGMENTS],
            }
            for why in explanations
        ],
    }
