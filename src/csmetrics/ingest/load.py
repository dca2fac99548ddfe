"""`cm.load`: the given sources (paths, globs, folders, Polars or pandas frames, or a config's
[sources]) read once into `Inputs`, for any number of families to compute on."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics.core.engine import Engine, engine_of
from csmetrics.core.errors import ConfigError
from csmetrics.core.spark.session import is_spark_frame
from csmetrics.ingest.config import check_source_entry, load_config, spec_from_entry
from csmetrics.ingest.inputs import Inputs, load_inputs
from csmetrics.ingest.sources.schema import SOURCE_KINDS

# A source: a path (file, glob or folder), or a Polars or pandas frame of the export's rows.
SourceArg = str | os.PathLike[str] | pl.DataFrame | pl.LazyFrame | Any


def load(
    events: SourceArg | None = None,
    tickets: SourceArg | None = None,
    billing: SourceArg | None = None,
    surveys: SourceArg | None = None,
    accounts: SourceArg | None = None,
    *,
    preset: Mapping[str, str] | None = None,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    source_timezone: str = "UTC",
    config: str | os.PathLike[str] | None = None,
    engine: str | Engine | Any | None = None,
    spark_master: str | None = None,
) -> Inputs:
    """Read, map, check, clean and deduplicate each given source once, into memory.

    Each source is a path (a file, a glob or a folder) or a frame (Polars, or pandas via
    `pl.from_pandas`). `preset` and `columns` map an export's headers per source
    (`preset={"events": "segment"}`, `columns={"events": {"user_id": "User ID"}}`); `options`
    takes any other key of the config's `[sources.KIND]` table per source (`formats`, `decimal`,
    `null_values`, `amount_unit`, `survey`, `encoding`, `format_in`, `source_timezone`). With
    `config`, the file's sources are loaded too (arguments win).

    Bad input raises `csmetrics.InputError`; data-quality findings that do not block are in
    `inputs.warnings`.

    >>> import polars as pl, csmetrics as cm
    >>> frame = pl.DataFrame({"timestamp": ["2026-11-02T10:00:00Z"], "user_id": ["u1"],
    ...                       "event": ["login"]})
    >>> cm.load(events=frame)["events"].height
    1
    """
    given = {
        "events": events,
        "tickets": tickets,
        "billing": billing,
        "surveys": surveys,
        "accounts": accounts,
    }
    settings = load_config(Path(config)) if config is not None else None
    entries: dict[str, dict[str, Any]] = {}
    for kind in SOURCE_KINDS:
        entry = dict(settings.sources.get(kind, {})) if settings else {}
        value = given[kind]
        if value is not None:
            entry.pop("path", None)
            entry.update(_source_value(value))
        entry.update((options or {}).get(kind, {}))
        if kind in (preset or {}):
            entry["preset"] = (preset or {})[kind]
        if kind in (columns or {}):
            entry["columns"] = {**entry.get("columns", {}), **(columns or {})[kind]}
        if "path" in entry or "data" in entry or "spark_data" in entry:
            settings_only = {k: v for k, v in entry.items() if k not in ("data", "spark_data")}
            check_source_entry(kind, settings_only, kind)
            entries[kind] = entry
    named = set(preset or {}) | set(columns or {}) | set(options or {})
    unknown = sorted(named - set(entries))
    if unknown:
        raise ConfigError(f"options name {unknown[0]}, but no {unknown[0]} source is given")
    default_tz = (
        settings.setting("source_timezone", source_timezone) if settings else source_timezone
    )
    specs = {kind: spec_from_entry(kind, entry, default_tz) for kind, entry in entries.items()}
    inputs = load_inputs(specs, engine=engine_of(engine, spark_master))
    return replace(inputs, config=settings)


def _source_value(value: SourceArg) -> dict[str, Any]:
    if isinstance(value, pl.LazyFrame):
        return {"data": value}
    if isinstance(value, pl.DataFrame):
        return {"data": value.lazy()}
    if isinstance(value, str | os.PathLike):
        return {"path": os.fspath(value)}
    if is_spark_frame(value):
        return {"spark_data": value}
    if type(value).__module__.split(".")[0] == "pandas":
        return {"data": pl.from_pandas(value).lazy()}
    raise ConfigError(
        f"a source must be a path or a Polars/pandas frame, got {type(value).__name__}"
    )
