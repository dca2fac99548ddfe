"""A metric whose input is absent is null, never a number (issue 20): each metric declares the
columns it needs (core/declarations.Metric.columns); after a family assembles its report, every
metric with a need no loaded column meets is set to null, with one warning naming the column,
and its column in the family's breakdown tables (`by_*`) is nulled too."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from csmetrics.core.declarations import Metric
from csmetrics.core.diagnostics import DataWarning
from csmetrics.families.base import FamilyResult


def without_unmet_inputs(
    result: FamilyResult, declared: Iterable[Metric], present: Mapping[str, tuple[str, ...]]
) -> FamilyResult:
    """The result with each metric that lacks a needed column null, its other warnings
    replaced by the one that names the column."""
    metrics = dict(result.metrics)
    warnings = list(result.warnings)
    tables = dict(result.tables)
    for metric in declared:
        unmet = metric.unmet(present)
        if not unmet or metric.id not in metrics:
            continue
        metrics[metric.id] = None
        warnings = [w for w in warnings if w.metric != metric.id]
        warnings.append(_reason(metric, unmet[0], present))
        short = metric.id.split(".", 1)[1]
        for name, table in tables.items():
            if name.startswith("by_") and short in table.columns:
                dtype = table.schema[short]
                tables[name] = table.with_columns(pl.lit(None, dtype).alias(short))
    return FamilyResult(metrics, tables, warnings, currency=result.currency)


def _reason(
    metric: Metric, options: tuple[tuple[str, str], ...], present: Mapping[str, tuple[str, ...]]
) -> DataWarning:
    """ "tickets have neither a first_response_at nor a first_response_minutes column (map one
    with --map tickets.first_response_at=HEADER)"; for alternatives in several sources (or a
    source not given), which ones would do."""
    sources = {source for source, _ in options}
    source, first = options[0]
    if len(sources) > 1 or source not in present:
        wanted = " or ".join(f"{s}.{c}" for s, c in options)
        message = f"needs {wanted}: not given"
    else:
        columns = [column for _, column in options]
        if len(columns) == 1:
            what = f"no {first} column"
        elif len(columns) == 2:
            what = f"neither a {columns[0]} nor a {columns[1]} column"
        else:
            what = f"none of the columns {', '.join(columns)}"
        message = f"{source} have {what} (map one with --map {source}.{first}=HEADER)"
    return DataWarning("missing_column", message, metric.id, source=source)
