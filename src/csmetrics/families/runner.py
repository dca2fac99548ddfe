"""Computing a family on loaded inputs: resolve the window, run the stages, plan, collect once,
assemble a Report. Nothing here reads a file; `run_family` is loading plus `compute`."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.engine import Engine
from csmetrics.core.errors import InputError
from csmetrics.core.span import Span
from csmetrics.core.timeparts import local_day_of, zone
from csmetrics.core.window import Window, WindowSpec
from csmetrics.families.base import Family, Lookback, RunContext
from csmetrics.families.contract import check_frames
from csmetrics.families.coverage import coverage_warnings
from csmetrics.families.names import unknown_name_warnings
from csmetrics.families.needs import without_unmet_inputs
from csmetrics.families.reads import span_of
from csmetrics.ingest.inputs import Inputs, load_inputs
from csmetrics.ingest.source import Source
from csmetrics.ingest.sources.schema import TIME_COLUMN
from csmetrics.ingest.sources.spec import SourceSpec
from csmetrics.results.report import Report

log = logging.getLogger("csmetrics")


def run_family(
    family: Family[Any],
    specs: Mapping[str, SourceSpec],
    window: WindowSpec,
    params: Any,
    engine: Engine | None = None,
) -> Report:
    """Load the family's sources (only the columns it reads), then compute it."""
    require_sources(family, specs)
    chosen = {kind: spec for kind, spec in specs.items() if kind in family.sources}
    needed = {kind: family.needed_columns(kind, params) for kind in chosen}
    started = time.perf_counter()
    inputs = load_inputs(chosen, needed, engine)
    log.debug("loaded %s in %.3fs", ", ".join(chosen), time.perf_counter() - started)
    return compute(family, inputs, window, params)


def require_sources(family: Family[Any], given: Mapping[str, object] | Inputs) -> None:
    """An input error naming every required source that is missing, and how to give it."""
    missing = [kind for kind in family.required if kind not in given]
    if family.one_of and not any(kind in given for kind in family.one_of):
        options = " or ".join(f"--{kind} PATH" for kind in family.one_of)
        raise InputError(
            f"{family.name} needs {' or '.join(family.one_of)}: pass {options} or set "
            "them in the config's [sources]"
        )
    if missing:
        flags = " and ".join(f"--{kind} PATH" for kind in missing)
        tables = ", ".join(f"[sources.{kind}]" for kind in missing)
        raise InputError(
            f"{family.name} needs {', '.join(missing)}: pass {flags} or set {tables} path in the config"
        )


def compute(
    family: Family[Any], inputs: Inputs, window: WindowSpec | Window, params: Any
) -> Report:
    """The family's Report for the window, from loaded inputs."""
    started = time.perf_counter()
    require_sources(family, inputs)
    kinds = [kind for kind in family.sources if kind in inputs]
    primary = inputs.sources[family.primary_of(inputs)]
    resolved = resolve_window(family, window, primary)
    columns = {kind: inputs.sources[kind].columns for kind in kinds}
    warnings = [w for kind in kinds for w in inputs.sources[kind].warnings]
    lookback = family.lookback(resolved, params)
    # first: a window outside the data is the first thing every output says
    warnings = coverage_warnings(primary, resolved) + warnings
    source_info: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        info, outside = describe_source(
            inputs.sources[kind], resolved, lookback, kind == primary.kind
        )
        source_info[kind] = info
        warnings.extend(outside)
    # rows the window needs were never read (loaded for another window): said first of all
    warnings.sort(key=lambda w: w.code != "rows_not_read")
    on_spark = "events" in kinds and inputs.sources["events"].spark is not None
    if on_spark:
        from csmetrics.families.spark_runner import compute_on_spark

        results = compute_on_spark(
            family,
            inputs,
            kinds,
            columns,
            resolved,
            params,
            lambda frames, skip: polars_results(family, frames, columns, resolved, params, skip),
        )
    else:
        frames = {kind: inputs[kind].lazy() for kind in kinds}
        results = polars_results(family, frames, columns, resolved, params)
    check_frames(family.name, results, family.frames)
    log.debug("computed in %.3fs", time.perf_counter() - started)
    observed = {kind: inputs.sources[kind].observed for kind in kinds}
    result = family.assemble(results, RunContext(resolved, observed, columns), params)
    result = without_unmet_inputs(result, family.metrics, columns)
    parameters = family.parameters(params)
    named = unknown_name_warnings(family.name, family.settings, parameters, inputs)
    return Report(
        family=family.name,
        window=resolved,
        parameters=parameters,
        sources=source_info,
        metrics=result.metrics,
        tables=result.tables,
        warnings=warnings + named + result.warnings,
        currency=result.currency,
        engine="spark" if on_spark else "polars",
        declared={metric.id: metric for metric in family.metrics},
        declared_tables={table.name: table for table in family.tables},
    )


def resolve_window(family: Family[Any], window: WindowSpec | Window, primary: Source) -> Window:
    """The window with both bounds: an open one closed by the primary source's observed range;
    without a start, a family's `default_days` before its end (health: 30) instead of all."""
    if isinstance(window, Window):
        return window
    resolved = window.resolved(primary.first, primary.last, f"{primary.kind}: {primary.label}")
    if window.since is None and family.default_days:
        end_day = local_day_of(resolved.until, resolved.timezone)
        start = resolved.midnight(end_day - timedelta(days=family.default_days))
        resolved = replace(resolved, since=min(start, resolved.until), label=None)
    return resolved


def polars_results(
    family: Family[Any],
    frames: Mapping[str, pl.LazyFrame],
    columns: Mapping[str, tuple[str, ...]],
    window: Window,
    params: Any,
    skip: int = 0,
) -> dict[str, pl.DataFrame]:
    """The family's stages (but the first `skip`, which made `frames`) and plan on Polars,
    collected: the small frames `assemble` reads."""
    started = time.perf_counter()
    memory = dict(frames)
    for stage in family.stages[skip:]:
        made = stage(memory, columns, window, params)
        # Each stage reads only what the one before made, so earlier rows are freed here. Its
        # frames are collected one by one: a stage holds one heavy query (engagement's grouping
        # by user) that runs fastest with every core to itself.
        memory = {name: frame.collect().lazy() for name, frame in made.items()}
        del made
        log.debug(
            "%s made %s by %.3fs", stage.__name__, ", ".join(memory), time.perf_counter() - started
        )
    planned = family.plan(memory, columns, window, params)
    if log.isEnabledFor(logging.DEBUG):
        for name, frame in planned.items():
            log.debug("query plan of %s:\n%s", name, frame.explain())
    return dict(zip(planned, pl.collect_all(list(planned.values())), strict=True))


def describe_source(
    source: Source, window: Window, lookback: Lookback, primary: bool
) -> tuple[dict[str, Any], list[DataWarning]]:
    """The report's `sources` entry, and the warnings about rows outside the window: which rows
    before it the family reads (its look-back on the primary source) and why, and which rows it
    does not use at all."""
    info: dict[str, Any] = {
        "paths": list(source.paths) or [source.label],  # a database, a frame: what it is
        "rows": source.rows,
        "rows_used": source.frame.height,
        "first_timestamp": source.first,
        "last_timestamp": source.last,
    }
    column = TIME_COLUMN.get(source.kind)
    if column is None or column not in source.columns:
        return info, []
    # rows before `first_read` are not used (None: every row before the window is read)
    needed = span_of(source.kind, primary, window, lookback)
    first_read = needed.since
    history = source.kind in lookback.others and not primary
    reason = lookback.others[source.kind] if history else lookback.reason
    counts = _window_counts(source, column, first_read, window)
    outside = counts["unused_before"] + counts["lookback"] + counts["after"]
    info["rows_used"] = counts["rows_used"]
    info["rows_in_window"] = counts["rows_used"] - outside
    after_read = lookback.after if primary else None
    warnings = _outside_warnings(source.kind, counts, first_read, window, reason, after_read)
    if source.read_span is not None:
        info["rows_read_between"] = [_iso(t) for t in source.read_span]
        if not source.read_span.covers(needed):
            warnings.append(_not_read_warning(source, needed, window))
    return info, warnings


def _not_read_warning(source: Source, needed: Span, window: Window) -> DataWarning:
    """The source was loaded for another window: rows this one needs were never read."""
    read = source.read_span or Span()
    return DataWarning(
        "rows_not_read",
        f"{source.kind}: only rows {_between(read, window)} were read from {source.label} (the "
        f"window it was loaded for), but this window needs rows {_between(needed, window)}: "
        "counts are missing rows; load again with this window",
        source=source.kind,
    )


def _between(span: Span, window: Window) -> str:
    since = "the first row" if span.since is None else _day(span.since, window)
    until = "the last" if span.until is None else _day(span.until, window)
    return f"from {since} to {until}"


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat()


def _outside_warnings(
    kind: str,
    counts: Mapping[str, int],
    first_read: datetime | None,
    window: Window,
    reason: str,
    after_read: str | None,
) -> list[DataWarning]:
    """Rows read only for a look-back (`reason`) or after the window's end (`after_read`: what
    for), and rows not used at all, as warnings."""
    before, read_before, after = counts["unused_before"], counts["lookback"], counts["after"]
    warnings: list[DataWarning] = []
    if after_read is not None and after:
        warnings.append(
            DataWarning(
                "rows_after_window",
                f"{kind}: {after:,} rows at or after the window's end were read only for "
                f"{after_read}; no metric counts them",
                count=after,
                source=kind,
            )
        )
        after = 0
    if before + after:
        parts = [f"{before:,} before {_day(first_read, window)}"] if first_read and before else []
        parts += [f"{after:,} at or after the window's end"] if after else []
        warnings.append(
            DataWarning(
                "rows_outside_window",
                f"{kind}: {before + after:,} rows were not used: {' and '.join(parts)}",
                count=before + after,
                source=kind,
            )
        )
    if read_before:
        warnings.append(
            DataWarning(
                "rows_before_window",
                f"{kind}: {read_before:,} rows {_from(first_read, window)}up to "
                f"the window's start were read only for {reason}; no metric counts them "
                "in the window",
                count=read_before,
                source=kind,
            )
        )
    return warnings


def _window_counts(
    source: Source, column: str, first_read: datetime | None, window: Window
) -> dict[str, int]:
    """Rows used, and those before the rows read, read before the window, at or after its end."""
    if source.spark is not None:
        from csmetrics.families.spark_runner import window_counts

        return window_counts(source, column, first_read, window)
    ts = pl.col(column)
    unused = ts < first_read if first_read is not None else pl.lit(False)
    counts = source.frame.select(
        unused.sum().alias("unused_before"),
        ((ts < window.since) & ~unused).sum().alias("lookback"),
        (ts >= window.until).sum().alias("after"),
    ).row(0, named=True)
    return {"rows_used": source.frame.height, **counts}


def _from(start: datetime | None, window: Window) -> str:
    return "" if start is None else f"from {_day(start, window)} "


def _day(instant: datetime, window: Window) -> str:
    """An instant as local time in the report's zone, as a reader of the window thinks of it."""
    return instant.astimezone(zone(window.timezone)).strftime("%Y-%m-%d %H:%M")
