"""Every family at once, from one load of each source: `report`'s Bundle (each family that can
run, for the window and the previous window of equal length) and `check`'s outcomes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from csmetrics.core.errors import ConfigError
from csmetrics.core.window import Window, WindowSpec
from csmetrics.families.anomalies import Anomalies, AnomalySettings, family_anomalies
from csmetrics.families.catalogue import FAMILIES, METRICS
from csmetrics.families.runner import compute
from csmetrics.ingest.inputs import Inputs
from csmetrics.results.bundle import Bundle
from csmetrics.results.checks import Check, Outcome, evaluate
from csmetrics.results.report import Report

METRICS_BY_ID = {metric.id: metric for metric in METRICS}


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
    on_report: Callable[[Report], None] | None = None,
    anomaly: AnomalySettings | None = None,
) -> Bundle:
    """Compute every family the inputs allow, for the window and the previous window; with
    `anomaly`, each headline's band over the earlier windows and what moved the flagged ones."""
    current: dict[str, Report] = {}
    previous: dict[str, Report] = {}
    skipped: dict[str, str] = {}
    found = Anomalies()
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
        if on_report is not None:
            on_report(report)
        previous[name] = compute(family, inputs, report.window.previous(), params[name])
        if anomaly is not None:
            more = family_anomalies(family, inputs, report, previous[name], params[name], anomaly)
            found.bands.update(more.bands)
            found.moved.update(more.moved)
            found.notes.extend(more.notes)
    if not current:
        raise ConfigError(
            "report: no family can run on the given sources; configure [sources.events], "
            "[sources.tickets] or [sources.surveys]"
        )
    return Bundle(
        current,
        previous,
        skipped,
        bands=found.bands,
        moved=found.moved,
        anomaly_notes=found.notes,
    )


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
    """Evaluate every check on the bundle (and, for `by` checks, on the breakdown's rows); each
    outcome carries the metric's unit, the report's currency and the two windows compared."""
    outcomes: list[Outcome] = []
    previous_window = next(iter(bundle.previous.values())).window

    def dated(outcome: Outcome) -> Outcome:
        return replace(outcome, window=bundle.window, previous_window=previous_window)

    for check in checks:
        family = check.metric.split(".", 1)[0]
        unit = METRICS_BY_ID[check.metric].unit
        if family not in bundle.current:
            outcome = evaluate(check, check.title, None, None, unit)
            reason = f"{family} was not computed: its sources are not configured"
            if outcome.status == "fail":
                outcome = replace(outcome, reason=reason)
            outcomes.append(dated(outcome))
            continue
        currency = bundle.current[family].currency
        if check.by:
            rows = breakdown(inputs, bundle, family, params[family], check.by)
            for group, (current, previous) in sorted(rows.items()):
                subject = f"{check.title} [{check.by}={group}]"
                found = current.get(check.metric), previous.get(check.metric)
                outcome = evaluate(check, subject, *found, unit, currency)
                outcomes.append(dated(outcome))
            continue
        try:
            value, before = bundle.value(check.metric)
        except KeyError:  # a metric of another grain (retention.period_3_rate by week)
            value, before = None, None
        band = bundle.bands.get(check.metric)
        outcome = evaluate(check, check.title, value, before, unit, currency, band)
        outcomes.append(dated(outcome))
    return outcomes
