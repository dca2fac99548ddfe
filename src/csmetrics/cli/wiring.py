"""The plumbing every command shares: logging, the config, loading the sources the options name,
and running a family. It calls the public API (csmetrics.api) and rendering only; no metric
logic lives here."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csmetrics.cli.options import OutputOptions, SourceOptions, WindowOptions

if TYPE_CHECKING:
    from csmetrics.api import Config, Inputs
    from csmetrics.render.html.worker import ChartWorker


def setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="csmetrics: %(message)s", stream=sys.stderr, force=True)


def read_config(path: Path | None) -> Config:
    from csmetrics.api import read_config

    return read_config(path)


def load_sources(
    sources: SourceOptions,
    config: Config,
    families: str | list[str],
    settings: dict[str, Any] | None = None,
    window: dict[str, Any] | None = None,
) -> Inputs:
    """The sources the options and the config name, as much of them as `families` read (of a
    database or lakehouse table, the rows they read for the `window`, given as its options)."""
    from csmetrics.api import ConfigError, load
    from csmetrics.cli.sources import load_arguments

    inputs = load(
        **load_arguments(sources, config), families=families, settings=settings, **(window or {})
    )
    if not inputs.sources and not isinstance(families, str):  # one family says what it needs
        raise ConfigError("no source configured: set [sources.*] in the config or pass paths")
    return inputs


def window_words(window: WindowOptions) -> dict[str, Any]:
    """The window options given (None: not given; the config's settings then apply)."""
    return asdict(window)


@contextlib.contextmanager
def chart_worker(wanted: bool) -> Iterator[ChartWorker | None]:
    """With `wanted` (an html page), a child process that draws the page's charts while the
    metrics are computed (render/html/worker.py); else None."""
    if not wanted:
        yield None
        return
    from csmetrics.render.html.worker import chart_worker as started

    with started() as worker:
        yield worker


def run_family_command(
    name: str,
    given: dict[str, Any],
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """Load the family's sources, compute it, emit the report: every family command's end.
    `given`: the family's settings from the command line (None: not given)."""
    from csmetrics.api import compute_family
    from csmetrics.cli.emit import emit, progress

    setup_logging(output.verbose, output.quiet)
    config = read_config(sources.config)
    with chart_worker(output.output_format == "html") as worker:
        with progress(f"computing {name}", output.quiet or output.no_progress):
            inputs = load_sources(sources, config, name, given, window_words(window))
            report = compute_family(name, inputs, given, window_words(window))
        draw = None if worker is None else worker.draw
        emit(report, output.output_format, output.output, quiet=output.quiet, draw=draw)
