"""`cm.load`: the given sources (paths, globs, folders, Polars or pandas frames, or a config's
[sources]) read once into `Inputs`, for any number of families to compute on."""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl

from csmetrics.core.engine import Engine, engine_of
from csmetrics.core.errors import ConfigError
from csmetrics.core.span import Span
from csmetrics.core.spark.session import is_spark_frame
from csmetrics.ingest.config import (
    BILLING_PARTS,
    Config,
    check_source_entry,
    load_config,
    spec_from_entry,
)
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
    subscriptions: SourceArg | None = None,
    preset: Mapping[str, str] | None = None,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    source_timezone: str | None = None,
    format_in: str | None = None,
    encoding: str | None = None,
    survey: str | None = None,
    config: Config | str | os.PathLike[str] | None = None,
    engine: str | Engine | Any | None = None,
    spark_master: str | None = None,
    spark_remote: str | None = None,
    keep: Mapping[str, Iterable[str] | None] | None = None,
    spans: Mapping[str, Span] | None = None,
) -> Inputs:
    """Read, map, check, clean and deduplicate each given source once, into memory.

    Each source is a path (a file, a glob or a folder) or a frame (Polars, or pandas via
    `pl.from_pandas`). `preset` and `columns` map an export's headers per source
    (`preset={"events": "segment"}`, `columns={"events": {"user_id": "User ID"}}`); `options`
    takes any other key of the config's `[sources.KIND]` table per source (`formats`, `decimal`,
    `null_values`, `amount_unit`, `survey`, `encoding`, `format_in`, `source_timezone`).
    `source_timezone`, `format_in` and `encoding` given here apply to every source (as the
    command line's flags do), `survey` to the surveys. With `config` (a path or a loaded
    Config), the file's sources are loaded too (arguments win), and its `[engine]` table
    chooses the engine unless `engine` is given. `keep`: per source kind, the canonical columns
    to keep (None: all); kinds not in it are not loaded (default: every source, every column).
    `spans`: per source kind, the rows of its time column to read from a database or a lakehouse
    table (files are read whole).

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
        "subscriptions": subscriptions,
        "surveys": surveys,
        "accounts": accounts,
    }
    settings = config if isinstance(config, Config) else _config_at(config)
    everywhere = {"format_in": format_in, "encoding": encoding, "source_timezone": source_timezone}
    entries: dict[str, dict[str, Any]] = {}
    for kind in SOURCE_KINDS:
        entry = _entry(kind, given[kind], settings, preset, columns, options)
        overrides = {**everywhere, "survey": survey if kind == "surveys" else None}
        entry.update({key: value for key, value in overrides.items() if value and entry})
        if entry and (keep is None or kind in keep):
            settings_only = {k: v for k, v in entry.items() if k not in ("data", "spark_data")}
            check_source_entry(kind, settings_only, f"[sources.{kind}]")
            entries[kind] = entry
    named = set(preset or {}) | set(columns or {}) | set(options or {})
    _require_given(named, given, settings)
    default_tz = settings.setting("source_timezone", "UTC") if settings else "UTC"
    specs = {
        kind: replace(spec_from_entry(kind, entry, default_tz), span=(spans or {}).get(kind))
        for kind, entry in entries.items()
    }
    inputs = load_inputs(specs, keep, _engine(engine, spark_master, spark_remote, settings))
    return replace(inputs, config=settings)


def _engine(
    engine: str | Engine | Any | None,
    spark_master: str | None,
    spark_remote: str | None,
    settings: Config | None,
) -> Engine:
    """The engine given, else the config's [engine] table's (a master or remote given here
    replaces both of the config's: they are one choice of where Spark runs)."""
    table = settings.engine if settings else {}
    chosen = engine if engine is not None else table.get("name")
    if spark_master is None and spark_remote is None:
        spark_master, spark_remote = table.get("spark_master"), table.get("spark_remote")
    return engine_of(chosen, spark_master, table.get("spark_memory"), spark_remote)


def _config_at(path: str | os.PathLike[str] | None) -> Config | None:
    return load_config(Path(path)) if path is not None else None


def _require_given(named: set[str], given: Mapping[str, Any], settings: Config | None) -> None:
    """A config error when a source's options are given but the source is not."""
    unknown = sorted(named - {kind for kind in SOURCE_KINDS if _given(kind, given, settings)})
    if unknown:
        raise ConfigError(
            f"options name {unknown[0]}, but no {unknown[0]} source is given "
            f"(--{unknown[0]} PATH or [sources.{unknown[0]}] path in the config)"
        )


def _given(kind: str, given: Mapping[str, Any], settings: Config | None) -> bool:
    return given[kind] is not None or bool(settings and settings.sources.get(kind, {}).get("path"))


def _entry(
    kind: str,
    value: SourceArg | None,
    settings: Config | None,
    preset: Mapping[str, str] | None,
    columns: Mapping[str, Mapping[str, str]] | None,
    options: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, Any]:
    """The source's settings: the config's [sources.KIND] with the arguments laid over it;
    empty when the source is given neither as an argument nor with a path in the config."""
    entry = dict(settings.sources.get(kind, {})) if settings else {}
    if value is not None:
        for key in ("path", *BILLING_PARTS):  # the argument replaces the config's files
            entry.pop(key, None)
        entry.update(_source_value(kind, value))
    if not ("path" in entry or "data" in entry or "spark_data" in entry):
        return {}
    for key, item in (options or {}).get(kind, {}).items():
        if key == "formats":
            entry["formats"] = {**entry.get("formats", {}), **item}
        else:
            entry[key] = item
    if kind in (preset or {}):
        entry["preset"] = (preset or {})[kind]
    if kind in (columns or {}):
        entry["columns"] = {**entry.get("columns", {}), **(columns or {})[kind]}
    return entry


def spooled(path: str) -> str:
    """`-` (standard input) or a named pipe, copied once to a temporary file (removed at exit)
    so it can be read like any export, by its first bytes; any other path as it is."""
    stream = path == "-" or (Path(path).exists() and stat.S_ISFIFO(Path(path).stat().st_mode))
    if not stream:
        return path
    handle = tempfile.NamedTemporaryFile(prefix="csmetrics-stream-", delete=False)  # noqa: SIM115
    with handle:
        source = sys.stdin.buffer if path == "-" else Path(path).open("rb")  # noqa: SIM115
        with source:
            shutil.copyfileobj(source, handle)
    atexit.register(Path(handle.name).unlink, missing_ok=True)
    return handle.name


def _source_value(kind: str, value: SourceArg) -> dict[str, Any]:
    if isinstance(value, Mapping) and kind != "billing":
        raise ConfigError(
            f"{kind}: expected a path or a frame, got a mapping (map headers with "
            f"columns={{{kind!r}: {{...}}}} and set other keys with options={{{kind!r}: {{...}}}})"
        )
    if isinstance(value, Mapping):  # billing in several files: {"lines": ..., "invoices": ...}
        unknown = sorted(set(value) - {"lines", *BILLING_PARTS})
        if unknown or "lines" not in value:
            raise ConfigError(
                "billing as several files: a mapping of lines, invoices and payments to paths "
                f"(lines required), got {sorted(value)}"
            )
        return {"path": os.fspath(value["lines"])} | {
            key: os.fspath(value[key]) for key in BILLING_PARTS if key in value
        }
    if isinstance(value, pl.LazyFrame):
        return {"data": value}
    if isinstance(value, pl.DataFrame):
        return {"data": value.lazy()}
    if isinstance(value, str | os.PathLike):
        return {"path": spooled(os.fspath(value))}
    if is_spark_frame(value):
        return {"spark_data": value}
    if type(value).__module__.split(".")[0] == "pandas":
        return {"data": pl.from_pandas(value).lazy()}
    raise ConfigError(
        f"a source must be a path or a Polars/pandas frame, got {type(value).__name__}"
    )
