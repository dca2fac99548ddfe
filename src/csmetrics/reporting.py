"""`report`: every family whose sources are loaded, for the window and the previous window of
equal length, from one load of each source. The result is a `Bundle`; render/bundle.py writes
it as a dated folder, atomically."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from csmetrics import __version__
from csmetrics.checks import Check, Outcome, evaluate
from csmetrics.errors import ConfigError
from csmetrics.families import FAMILIES
from csmetrics.family_report import Report, iso, number_or_null, table_records
from csmetrics.inputs import Inputs
from csmetrics.runner import compute
from csmetrics.timeparts import UTC
from csmetrics.window import Window, WindowSpec


@dataclass
class Bundle:
    """The reports of every family for the window (`current`) and the window before it."""

    current: dict[str, Report]
    previous: dict[str, Report]
    skipped: dict[str, str] = field(default_factory=dict)  # family -> why it was left out
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

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

    def write(self, folder: str | os.PathLike[str]) -> Path:
        """Write `folder/<label>/` (report.json, report.md, tables as Parquet) atomically."""
        from csmetrics.render.bundle import write_bundle

        return write_bundle(self, Path(folder))

    def to_json_dict(self) -> dict[str, Any]:
        previous_window = next(iter(self.previous.values())).window
        return {
            "schema_version": 1,
            "tool": {"name": "csmetrics", "version": __version__},
            "generated_at": iso(self.generated_at),
            "window": _window_json(self.window),
            "previous_window": _window_json(previous_window),
            "families": {
                name: {
                    "metrics": {k: number_or_null(v) for k, v in report.metrics.items()},
                    "previous": {
                        k: number_or_null(v) for k, v in self.previous[name].metrics.items()
                    },
                    "tables": {t: table_records(f) for t, f in report.tables.items()},
                    "parameters": report.parameters,
                    "warnings": [w.as_dict() for w in report.warnings],
                }
                for name, report in self.current.items()
            },
            "skipped_families": dict(self.skipped),
        }


def _window_json(window: Window) -> dict[str, Any]:
    return {
        "since": iso(window.since),
        "until": iso(window.until),
        "timezone": window.timezone,
        "label": window.name,
    }


def family_params(
    table_of: Callable[[str], Mapping[str, Any]],
    base: str,
    window: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every family's parameters from its config table (`table_of(name)`) and the window
    settings given (which settings such as retention's cohort_grain follow)."""
    return {name: family.params(table_of, base, window=window) for name, family in FAMILIES.items()}


def build_bundle(
    inputs: Inputs,
    window: WindowSpec | Window,
    params: Mapping[str, Any],
    on_family: Callable[[str], None] | None = None,
) -> Bundle:
    """Compute every family the inputs allow, for the window and the previous window."""
    current: dict[str, Report] = {}
    previous: dict[str, Report] = {}
    skipped: dict[str, str] = {}
    for name, family in FAMILIES.items():
        if not family.can_run(inputs):
            continue
        missing = [
            f"{kind}.{column}"
            for kind, needed in family.required_columns.items()
            if kind in inputs
            for column in needed
            if column not in inputs.sources[kind].columns
        ]
        if missing:
            skipped[name] = f"needs the column {', '.join(missing)}"
            continue
        if on_family is not None:
            on_family(name)
        report = compute(family, inputs, window, params[name])
        current[name] = report
        previous[name] = compute(family, inputs, report.window.previous(), params[name])
    if not current:
        raise ConfigError(
            "report: no family can run on the given sources; configure [sources.events], "
            "[sources.tickets] or [sources.surveys]"
        )
    return Bundle(current, previous, skipped)


def breakdown(
    inputs: Inputs, bundle: Bundle, family_name: str, params: Any, column: str
) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Per value of `column`: (metrics, previous metrics) of a family that has a `by` setting,
    keyed by the full metric id."""
    family = FAMILIES[family_name]
    if not hasattr(params, "by"):
        raise ConfigError(f"check by = {column!r}: {family_name} metrics have no breakdown")
    with_by = replace(params, by=column)
    rows: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    windows = (bundle.current[family_name].window, bundle.previous[family_name].window)
    for index, window in enumerate(windows):
        table = compute(family, inputs, window, with_by).tables[f"by_{column}"]
        for row in table.to_dicts():
            value = str(row.pop(column))
            metrics = {f"{family_name}.{k}": v for k, v in row.items()}
            pair = rows.setdefault(value, ({}, {}))
            pair[index].update(metrics)
    return rows


def run_checks(
    checks: list[Check], bundle: Bundle, inputs: Inputs, params: Mapping[str, Any]
) -> list[Outcome]:
    """Evaluate every check on the bundle (and, for `by` checks, on the breakdown's rows)."""
    outcomes: list[Outcome] = []
    for check in checks:
        family = check.metric.split(".", 1)[0]
        if family not in bundle.current:
            outcome = evaluate(check, check.title, None, None)
            reason = f"{family} was not computed: its sources are not configured"
            outcomes.append(
                replace(outcome, reason=reason) if outcome.status == "fail" else outcome
            )
            continue
        if check.by:
            rows = breakdown(inputs, bundle, family, params[family], check.by)
            for group, (current, previous) in sorted(rows.items()):
                subject = f"{check.title} [{check.by}={group}]"
                outcomes.append(
                    evaluate(check, subject, current.get(check.metric), previous.get(check.metric))
                )
            continue
        try:
            value, before = bundle.value(check.metric)
        except KeyError:  # a metric of another grain (retention.period_3_rate by week)
            value, before = None, None
        outcomes.append(evaluate(check, check.title, value, before))
    return outcomes
