"""The history of a family's headline metrics over the windows of the same length before the
window (metrics.md, anomaly bands), from the loaded sources in one collect: for each earlier
window, each base of the family's explainers (families/explainer.py) is planned once and every
metric reading it is aggregated in the same select.

Only windows wholly inside the data count: a window that starts before the metric's source
does would read as a collapse (zero tickets before the export began), not as history.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl

from csmetrics.core.timeparts import local_day_of
from csmetrics.core.window import Window
from csmetrics.families.base import Family, RunContext
from csmetrics.families.explainer import Explainer, Segments
from csmetrics.families.explaining import unmet_columns, with_shared
from csmetrics.ingest.inputs import Inputs

log = logging.getLogger("csmetrics")
HISTORY_WINDOWS = 12  # the earlier windows read (metrics.md: 8 to 12)
NO_SEGMENTS = Segments((), (), None)


@dataclass(frozen=True)
class History:
    """A metric's values in the earlier windows inside the data, oldest first; `reason` says
    why there are none (a setting the metric needs is missing)."""

    values: tuple[tuple[Window, float | None], ...]
    reason: str | None = None


def earlier_windows(window: Window, count: int = HISTORY_WINDOWS) -> list[Window]:
    """The `count` windows of the same length before `window`, oldest first."""
    found: list[Window] = []
    current = window
    for _ in range(count):
        current = current.previous()
        found.append(current)
    return found[::-1]


def measures_of(explainer: Explainer[Any], name: str) -> list[pl.Expr]:
    """The metric's measures as columns of its base, under `name`'s prefix (columns first, so
    a constant measure, 1 per unit, repeats on every row before it is summed)."""
    return [m.alias(f"{name}/{i}") for i, m in enumerate(explainer.measures)]


def totals(explainer: Explainer[Any], name: str) -> list[pl.Expr]:
    """The metric's whole-window aggregates of its measures' columns."""
    if explainer.kind == "ratio":
        return [
            pl.col(f"{name}/0").sum().alias(f"{name}/n"),
            pl.col(f"{name}/1").sum().alias(f"{name}/d"),
        ]
    if explainer.kind == "additive":
        return [pl.col(f"{name}/0").sum().alias(f"{name}/n")]
    observed = pl.col(f"{name}/0").drop_nulls()
    return [observed.quantile(explainer.quantile, interpolation="linear").alias(f"{name}/n")]


def value_of(explainer: Explainer[Any], name: str, row: dict[str, Any]) -> float | None:
    """The metric from its aggregates (null for an empty denominator or no observation)."""
    value = row[f"{name}/n"]
    if explainer.kind == "ratio":
        denominator = row[f"{name}/d"] or 0
        return value / denominator if denominator else None
    if explainer.kind == "additive":
        return float(value or 0)
    return None if value is None else float(value)


def family_history(
    family: Family[Any],
    inputs: Inputs,
    window: Window,
    params: Any,
    metrics: Iterable[str] | None = None,
    count: int = HISTORY_WINDOWS,
) -> dict[str, History]:
    """Per headline metric of the family that has an explainer (`metrics`: only these), its
    values in the earlier windows inside its source's data."""
    started = time.perf_counter()
    wanted = set(metrics) if metrics is not None else set(family.explainers)
    kinds = [kind for kind in family.sources if kind in inputs]
    frames = {kind: inputs[kind].lazy() for kind in kinds}
    columns = {kind: inputs.sources[kind].columns for kind in kinds}
    observed = {kind: inputs.sources[kind].observed for kind in kinds}
    out: dict[str, History] = {}
    groups: dict[Any, list[tuple[str, Explainer[Any]]]] = {}
    for metric, explainer in family.explainers.items():
        source = inputs.sources.get(explainer.source)
        if metric not in wanted or source is None:
            continue
        if source.spark is not None:
            out[metric] = History((), "no band: the history is computed on Polars, not Spark, yet")
            continue
        reason = explainer.ready(params) or unmet_columns(family, metric, inputs)
        if reason is not None:
            out[metric] = History((), reason)
            continue
        groups.setdefault((explainer.base, explainer.source), []).append((metric, explainer))
    covered = {
        source: [
            w for w in earlier_windows(window, count) if _inside(w, inputs.sources[source].first)
        ]
        for _, source in groups
    }
    everything = [w for windows in covered.values() for w in windows]
    frames = with_shared(family, frames, everything, observed, columns, params)
    planned: list[pl.LazyFrame] = []
    layout: list[tuple[list[tuple[str, Explainer[Any]]], Window]] = []
    for (base, source), members in groups.items():
        for earlier in covered[source]:
            units = base(frames, RunContext(earlier, observed, columns), params, NO_SEGMENTS)
            measured = units.with_columns([e for m, x in members for e in measures_of(x, m)])
            planned.append(measured.select([e for m, x in members for e in totals(x, m)]))
            layout.append((members, earlier))
    found: dict[str, list[tuple[Window, float | None]]] = {}
    for (members, earlier), frame in zip(layout, pl.collect_all(planned), strict=True):
        row = frame.row(0, named=True)
        for metric, explainer in members:
            found.setdefault(metric, []).append((earlier, value_of(explainer, metric, row)))
    for metric in (m for members in groups.values() for m, _ in members):
        out[metric] = History(tuple(found.get(metric, [])))
    elapsed = time.perf_counter() - started
    log.debug("%s: history of %d metrics in %.3fs", family.name, len(found), elapsed)
    return out


def _inside(window: Window, first: datetime | None) -> bool:
    """Whether the window starts on or after the local day of the data's first instant."""
    if first is None:
        return False
    return window.since >= window.midnight(local_day_of(first, window.timezone))
