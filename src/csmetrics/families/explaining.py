"""`explain`: a metric's change between two windows, split by the segments of one or more
columns (metrics.md, "Why it changed"). The family's explainer (families/explainer.py) plans its
units for each window; both windows' per-segment sums and totals are collected in one pass; the
decomposition (shift_share.py) runs on those small frames."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import polars as pl

from csmetrics.core.errors import InputError
from csmetrics.core.window import Window, WindowSpec
from csmetrics.families.base import Family, RunContext
from csmetrics.families.catalogue import FAMILIES
from csmetrics.families.coverage import coverage_warnings
from csmetrics.families.explainer import MEASURES, OBSERVATION, Explainer, Kind, Segments
from csmetrics.families.runner import resolve_window
from csmetrics.families.shift_share import UNITS, decompose, total_of
from csmetrics.ingest.inputs import Inputs
from csmetrics.results.explanation import Explanation


def explainable() -> dict[str, tuple[Family[Any], Explainer[Any]]]:
    """Every metric `explain` can split, with its family and explainer, in catalogue order."""
    return {
        metric: (family, explainer)
        for family in FAMILIES.values()
        for metric, explainer in family.explainers.items()
    }


def explainer_of(metric_id: str) -> tuple[Family[Any], Explainer[Any]]:
    """The family and explainer of a metric; an input error naming the closest metrics that
    can be explained."""
    known = explainable()
    if metric_id not in known:
        close = difflib.get_close_matches(metric_id, list(known), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(
            f"explain: {metric_id!r} cannot be explained{hint} (`csmetrics metrics "
            "--explainable` lists the metrics that can)"
        )
    return known[metric_id]


def explain_metric(
    metric_id: str,
    inputs: Inputs,
    by: Sequence[str],
    window: WindowSpec | Window,
    params: Any,
    compare: WindowSpec | Window | None = None,
) -> Explanation:
    """The change of `metric_id` from the previous window (`compare`, else the one of equal
    length before the window) to the window, split by the segments of the `by` columns."""
    family, explainer = explainer_of(metric_id)
    if not by:
        raise InputError("explain: name at least one column to split by (--by COLUMN)")
    unready = explainer.ready(params) or unmet_columns(family, metric_id, inputs)
    if unready is not None:
        raise InputError(f"explain {metric_id}: {unready}")
    source = _source(inputs, explainer, metric_id)
    current = resolve_window(family, window, source_of(inputs, explainer))
    if compare is None:
        previous = current.previous()
    else:
        previous = resolve_window(family, compare, source_of(inputs, explainer))
    segments = segments_of(inputs, explainer, tuple(by))
    kinds = [kind for kind in family.sources if kind in inputs]
    frames = {kind: inputs[kind].lazy() for kind in kinds}
    columns = {kind: inputs.sources[kind].columns + _extra(inputs, kind) for kind in kinds}
    observed = {kind: inputs.sources[kind].observed for kind in kinds}
    frames = with_shared(family, frames, [current, previous], observed, columns, params)
    planned: list[pl.LazyFrame] = []
    for resolved in (current, previous):
        units = explainer.plan(frames, RunContext(resolved, observed, columns), params, segments)
        planned.append(per_segment(explainer, units, list(by)))
        if explainer.kind == "quantile":  # a quantile of the whole is not one of its segments
            planned.append(per_segment(explainer, units, []))
    collected = pl.collect_all(planned)
    if explainer.kind == "quantile":
        now, now_total, before, before_total = collected
    else:  # a sum over the whole is the sum of the segments' sums
        now, before = collected
        now_total, before_total = (frame.drop(by).sum() for frame in collected)
    metric = next(m for m in family.metrics if m.id == metric_id)
    warnings = coverage_warnings(source, current) + [
        type(w)(w.code, f"the previous window: {w.message}", w.metric, w.count, w.source)
        for w in coverage_warnings(source, previous)
    ]
    return Explanation(
        metric=metric,
        kind=explainer.kind,
        window=current,
        previous_window=previous,
        value=total_of(explainer.kind, now_total),
        previous_value=total_of(explainer.kind, before_total),
        by=tuple(by),
        segments=decompose(explainer.kind, list(by), now, before),
        units=explainer.unit,
        weight=explainer.weight,
        currency=_currency(inputs, metric.unit, params),
        warnings=warnings + list(source.warnings),
    )


def unmet_columns(family: Family[Any], metric_id: str, inputs: Inputs) -> str | None:
    """Why the metric is null whatever the window: a column it needs is in no loaded source
    (families/needs.py says the same in the family's report)."""
    metric = next(m for m in family.metrics if m.id == metric_id)
    present = {kind: inputs.sources[kind].columns for kind in inputs.sources}
    unmet = metric.unmet(present)
    if not unmet:
        return None
    needs = " or ".join(f"{source}.{column}" for source, column in unmet[0])
    return f"needs {needs}, which the loaded sources lack, so it is null in every window"


def with_shared(
    family: Family[Any],
    frames: dict[str, pl.LazyFrame],
    windows: list[Window],
    observed: Any,
    columns: Any,
    params: Any,
) -> dict[str, pl.LazyFrame]:
    """The frames with what the family's explainers share over the span of `windows`."""
    if family.explain_shared is None or not windows:
        return frames
    since = min(w.since for w in windows)
    span = replace(windows[0], since=since, until=max(w.until for w in windows), label=None)
    return {**frames, **family.explain_shared(frames, RunContext(span, observed, columns), params)}


def source_of(inputs: Inputs, explainer: Explainer[Any]) -> Any:
    return inputs.sources[explainer.source]


def _source(inputs: Inputs, explainer: Explainer[Any], metric_id: str) -> Any:
    if explainer.source not in inputs.sources:
        raise InputError(
            f"explain {metric_id}: needs {explainer.source}: pass --{explainer.source} PATH or "
            f"set [sources.{explainer.source}] in the config"
        )
    source = inputs.sources[explainer.source]
    if source.spark is not None:
        raise InputError(
            f"explain {metric_id}: runs on the polars engine only; pass --engine polars"
        )
    return source


def _extra(inputs: Inputs, kind: str) -> tuple[str, ...]:
    """Columns loaded beside the canonical ones (a `by` column the loader was asked to keep)."""
    known = inputs.sources[kind].columns
    return tuple(c for c in inputs[kind].columns if c not in known)


def segments_of(inputs: Inputs, explainer: Explainer[Any], by: tuple[str, ...]) -> Segments:
    """Where each `by` column lives: the metric's own source first, else the accounts; an input
    error names a column found in neither, with the closest names there are."""
    own_columns = inputs[explainer.source].columns
    account_columns = inputs["accounts"].columns if "accounts" in inputs.sources else []
    own = tuple(c for c in by if c in own_columns)
    joined = tuple(c for c in by if c not in own and c in account_columns)
    unknown = [c for c in by if c not in own and c not in joined]
    if unknown:
        names = sorted({*own_columns, *account_columns} - {"__account"})
        close = difflib.get_close_matches(unknown[0], names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        where = f"{explainer.source}" + (" or accounts" if account_columns else "")
        raise InputError(
            f"explain --by {unknown[0]}: no such column in {where}{hint} (columns: "
            f"{', '.join(names)})"
        )
    if len(set(by)) != len(by):
        raise InputError(f"explain: --by names a column twice ({', '.join(by)})")
    accounts = None
    if joined:
        if "account_id" not in own_columns:
            raise InputError(
                f"explain --by {joined[0]}: an accounts column, but {explainer.source} has no "
                "account_id to join the accounts on"
            )
        accounts = (
            inputs["accounts"]
            .lazy()
            .select(pl.col("account_id").cast(pl.String).alias("__account"), *joined)
            .unique(subset="__account", keep="first")
        )
    return Segments(by, own, accounts)


def per_segment(explainer: Explainer[Any], units: pl.LazyFrame, by: list[str]) -> pl.LazyFrame:
    """The measures summed per segment (a quantile per segment), with the count of units."""
    kind: Kind = explainer.kind
    if kind == "quantile":
        value = pl.col(OBSERVATION).drop_nulls()
        aggs = [
            value.quantile(explainer.quantile, interpolation="linear").alias(OBSERVATION),
            value.len().alias(UNITS),
        ]
    else:
        counted = pl.col(MEASURES[kind][-1]) != 0
        aggs = [
            *(pl.col(c).sum() for c in MEASURES[kind]),
            (pl.col(UNITS).sum() if UNITS in units.collect_schema() else counted.sum()).alias(
                UNITS
            ),
        ]
    if by:
        return units.group_by(by).agg(aggs)
    return units.select(aggs)


def _currency(inputs: Inputs, unit: str, params: Any) -> str | None:
    """The currency of money values: the reporting currency set, else the billing lines' one
    currency when there is one."""
    if unit != "money" or "billing" not in inputs.sources:
        return None
    if getattr(params, "currency", None):
        return str(params.currency)
    if "currency" not in inputs["billing"].columns:
        return None
    found = inputs.distinct("billing", "currency")
    return found[0] if len(found) == 1 else None
