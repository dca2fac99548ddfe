"""Reading the sources, as the command line and a notebook do: the config (found as the command
line finds it), `load` (restricted, when asked, to what some families read), and `profile`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Unpack

from csmetrics.api.run import WindowArgs
from csmetrics.core.engine import Engine
from csmetrics.core.errors import ConfigError
from csmetrics.core.span import Span
from csmetrics.core.window import build_window, window_settings
from csmetrics.families.catalogue import FAMILIES, METRICS
from csmetrics.families.history import HISTORY_WINDOWS
from csmetrics.families.reads import spans_needed
from csmetrics.ingest.config import Config, load_config
from csmetrics.ingest.inputs import Inputs
from csmetrics.ingest.load import SourceArg
from csmetrics.ingest.load import load as load_sources
from csmetrics.ingest.profile import profile_inputs
from csmetrics.results.checks import parse_checks


def read_config(path: str | os.PathLike[str] | None = None) -> Config:
    """The config at `path`, else ./csmetrics.toml, else `[tool.csmetrics]` in ./pyproject.toml,
    else an empty one: how the command line finds it. Every value is checked against its
    declaration as the file is read, so a wrong one is a ConfigError naming the file and key
    before any source is read."""
    config = load_config(Path(path) if path is not None else None)
    check_tables(config)
    return config


def check_tables(config: Config) -> None:
    """A ConfigError naming the file for a family table's or a [[checks]] entry's wrong key or
    value (each family reads its table again when it runs; this finds the mistake first)."""
    if config.path is None:
        return
    try:
        for family in FAMILIES.values():
            family.params(config.family, config.base)
        if config.checks:
            parse_checks(config.checks, [m.id for m in METRICS], "[[checks]]")
    except ConfigError as exc:
        raise ConfigError(f"{config.path}: {exc}") from None


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
    families: str | Iterable[str] | None = None,
    settings: Mapping[str, Any] | None = None,
    also_columns: Iterable[str] = (),
    **window: Unpack[WindowArgs],
) -> Inputs:
    """Read, map, check, clean and deduplicate each given source once, into memory (see
    `csmetrics.ingest.load.load` for the sources and their options).

    `families` (a name or names) loads only what those families read: their sources, and of
    the events only the columns they use (with one family, only its columns of every source;
    with several, the small sources whole, as a check's `by` may name any column). `settings`:
    the one family's settings as its keywords take them, when they change what it reads
    (revenue's `by`, voice's `include_comments`). `also_columns`: canonical columns of the events
    kept beside what the families read; the families' other sources and the accounts are then
    loaded whole (explain's segments).

    With `families` or a window (`period`, `since`, `until`, ... as the families take them;
    the config's window settings apply), when the window is known without the data, a database
    or lakehouse table is asked only for the rows the families read for it: the window, their
    look-backs, and with several families the earlier windows a report compares with. Files
    are read whole. Computing another window on these inputs warns of the rows not read.

    >>> import polars as pl, csmetrics as cm
    >>> frame = pl.DataFrame({"timestamp": ["2026-11-02T10:00:00Z"], "user_id": ["u1"],
    ...                       "event": ["login"]})
    >>> cm.load(events=frame)["events"].height
    1
    """
    found = config if isinstance(config, Config) or config is None else read_config(config)
    keep = None if families is None else _columns_read(found or Config(), families, settings)
    also = tuple(also_columns)
    if keep is not None and also:
        # the small sources whole, so that a name matching nothing is told the names there are
        keep = {
            kind: {*cols, *also} if kind == "events" and cols else None
            for kind, cols in keep.items()
        }
        keep.setdefault("accounts", None)
    given = {
        "events": events,
        "tickets": tickets,
        "billing": billing,
        "surveys": surveys,
        "accounts": accounts,
        "subscriptions": subscriptions,
    }
    return load_sources(
        events,
        tickets,
        billing,
        surveys,
        accounts,
        subscriptions=subscriptions,
        preset=preset,
        columns=columns,
        options=options,
        source_timezone=source_timezone,
        format_in=format_in,
        encoding=encoding,
        survey=survey,
        config=found,
        engine=engine,
        spark_master=spark_master,
        spark_remote=spark_remote,
        keep=keep,
        spans=_spans(found or Config(), families, settings, window, given),
    )


def _spans(
    config: Config,
    families: str | Iterable[str] | None,
    settings: Mapping[str, Any] | None,
    window: Mapping[str, Any],
    given: Mapping[str, Any],
) -> dict[str, Span] | None:
    """The rows of each timed source the families read for the window, when it is known before
    loading (None: every row)."""
    if families is None and not any(value is not None for value in window.values()):
        return None
    words = window_settings(config.settings, window)
    asked = build_window(**words)
    if asked.since is None or asked.until is None:
        return None
    names = (
        list(FAMILIES)
        if families is None
        else [families]
        if isinstance(families, str)
        else list(families)
    )
    one = len(names) == 1
    chosen = [
        (
            FAMILIES[name],
            FAMILIES[name].params(config.family, config.base, settings if one else None, words),
        )
        for name in names
    ]
    available = {kind for kind, value in given.items() if value is not None}
    available |= {
        kind for kind, entry in config.sources.items() if entry.get("path") or entry.get("uri")
    }
    resolved = asked.resolved(None, None)
    return spans_needed(chosen, resolved, available, 0 if one else HISTORY_WINDOWS)


def _columns_read(
    config: Config, families: str | Iterable[str], settings: Mapping[str, Any] | None
) -> dict[str, set[str] | None]:
    """Per source kind, the canonical columns the families read (None: every column)."""
    names = [families] if isinstance(families, str) else list(families)
    chosen = [FAMILIES[name] for name in names]
    if len(chosen) == 1:
        family = chosen[0]
        params = family.params(config.family, config.base, settings)
        return {kind: family.needed_columns(kind, params) for kind in family.sources}
    keep: dict[str, set[str] | None] = {}
    for family in chosen:
        params = family.params(config.family, config.base)
        for kind in family.sources:
            if kind == "events":
                keep["events"] = (keep.get("events") or set()) | family.needed_columns(kind, params)
            else:
                keep[kind] = None
    return keep


def profile(inputs: Inputs) -> list[dict[str, Any]]:
    """Per source: rows read and used, time range, nulls per column, duplicates and by which
    key, the rules that dropped or cleared values, and warnings (what `validate` prints)."""
    return profile_inputs(inputs)
