"""Runs a family: load its sources, plan, collect everything in one pass, assemble a Report."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import polars as pl

from csmetrics.diagnostics import DataWarning
from csmetrics.errors import InputError
from csmetrics.families.base import Family, RunContext
from csmetrics.report import Report
from csmetrics.sources.load import LoadedSource, SourceSpec, check_quality, load_source
from csmetrics.sources.schema import TIME_COLUMN
from csmetrics.window import Window

log = logging.getLogger("csmetrics")


def window_counts(source: LoadedSource, window: Window) -> pl.LazyFrame | None:
    """Rows of the cleaned source before, inside and after the window (by its time column)."""
    column = TIME_COLUMN.get(source.spec.kind)
    if column is None or column not in source.columns:
        return None
    ts = pl.col(column)
    before = (ts < window.since).sum() if window.since is not None else pl.lit(0)
    after = (ts >= window.until).sum() if window.until is not None else pl.lit(0)
    return source.frame.select(
        pl.len().alias("clean_rows"), before.alias("before"), after.alias("after")
    )


def run_family(family: Family, specs: Mapping[str, SourceSpec], window: Window, params: Any) -> Report:
    started = time.perf_counter()
    missing = [kind for kind in family.sources[:1] if kind not in specs]
    if missing:
        raise InputError(
            f"{family.name} needs {missing[0]}: pass --{missing[0]} PATH or set [sources.{missing[0]}] path in the config"
        )
    sources = {
        kind: load_source(specs[kind], family.needed_columns(kind, params))
        for kind in family.sources
        if kind in specs
    }
    columns = {kind: source.columns for kind, source in sources.items()}
    planned = family.plan({k: s.frame for k, s in sources.items()}, columns, window, params)
    names: list[str] = list(planned)
    frames: list[pl.LazyFrame] = list(planned.values())
    for kind, source in sources.items():
        names.append(f"quality:{kind}")
        frames.append(source.quality)
        counts = window_counts(source, window)
        if counts is not None:
            names.append(f"counts:{kind}")
            frames.append(counts)
    log.debug("planned %d frames in %.3fs", len(frames), time.perf_counter() - started)
    collected = collect(frames, sources)
    results = dict(zip(names, collected, strict=True))
    log.debug("collected in %.3fs", time.perf_counter() - started)

    warnings: list[DataWarning] = []
    observed: dict[str, tuple[datetime | None, datetime | None]] = {}
    source_info: dict[str, dict[str, Any]] = {}
    for kind, source in sources.items():
        quality = results[f"quality:{kind}"].row(0, named=True)
        warnings.extend(check_quality(source, quality))
        observed[kind] = (quality.get("first"), quality.get("last"))
        info: dict[str, Any] = {
            "paths": [f.as_posix() for f in source.files],
            "rows": int(quality["rows"]),
            "first_timestamp": quality.get("first"),
            "last_timestamp": quality.get("last"),
        }
        if f"counts:{kind}" in results:
            counts = results[f"counts:{kind}"].row(0, named=True)
            info["rows_in_window"] = int(counts["clean_rows"] - counts["before"] - counts["after"])
            outside = int(counts["before"] + counts["after"])
            if outside:
                warnings.append(
                    DataWarning(
                        "rows_outside_window",
                        f"{kind}: {outside} rows fall outside the window ({int(counts['before'])} before, "
                        f"{int(counts['after'])} at or after its end) and were not counted in it",
                        count=outside,
                        source=kind,
                    )
                )
        source_info[kind] = info
    primary = family.sources[0]
    resolved = window.resolved(*observed.get(primary, (None, None)))
    if not resolved.is_resolved:
        raise InputError(f"{primary}: {sources[primary].label}: holds no rows to report on")
    context = RunContext(window=resolved, observed=observed, columns=columns)
    result = family.assemble(results, context, params)
    log.debug("assembled in %.3fs", time.perf_counter() - started)
    return Report(
        family=family.name,
        window=resolved,
        parameters=family.parameters(params),
        sources=source_info,
        metrics=result.metrics,
        tables=result.tables,
        warnings=warnings + result.warnings,
    )


def collect(frames: list[pl.LazyFrame], sources: Mapping[str, LoadedSource]) -> list[pl.DataFrame]:
    """Collect all frames together; read errors become input errors naming the files."""
    try:
        return pl.collect_all(frames)
    except (pl.exceptions.ComputeError, pl.exceptions.InvalidOperationError, OSError,
            pl.exceptions.SchemaError, pl.exceptions.ShapeError, pl.exceptions.NoDataError) as exc:
        paths = ", ".join(s.label for s in sources.values())
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{paths}: cannot be read: {first}") from exc
