"""The plumbing every command shares: logging, config, the window and sources from the option
groups, and running a family. No metric logic lives here."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csmetrics.cli.options import OutputOptions, SourceOptions, WindowOptions

if TYPE_CHECKING:
    from csmetrics.core.engine import Engine
    from csmetrics.core.window import WindowSpec
    from csmetrics.families.base import Family
    from csmetrics.ingest.config import Config
    from csmetrics.ingest.sources.spec import SourceSpec


def setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="csmetrics: %(message)s", stream=sys.stderr, force=True)


def load(config: Path | None) -> Config:
    from csmetrics.ingest.config import load_config

    return load_config(config)


def start(sources: SourceOptions, output: OutputOptions) -> Config:
    setup_logging(output.verbose, output.quiet)
    return load(sources.config)


def window_words(settings: Config, window: WindowOptions) -> dict[str, Any]:
    """The window settings in force: the command line's over the config's (one rule with the
    API: csmetrics.core.window.window_settings)."""
    from dataclasses import asdict

    from csmetrics.core.window import window_settings

    return window_settings(settings.settings, asdict(window))


def window_spec(settings: Config, window: WindowOptions) -> WindowSpec:
    """The window: the command line's bounds, else the config's; other settings likewise."""
    from csmetrics.core.window import build_window

    return build_window(**window_words(settings, window))


def specs_of(settings: Config, sources: SourceOptions) -> dict[str, SourceSpec]:
    from csmetrics.ingest.config import source_specs

    return source_specs(
        settings,
        sources.paths(),
        list(sources.map_ or []),
        list(sources.preset or []),
        source_timezone=sources.source_timezone,
        format_in=sources.format_in,
        encoding=sources.encoding,
        survey=sources.survey,
    )


def engine_of_options(settings: Config, sources: SourceOptions) -> Engine:
    """--engine and --spark-master, else the config's [engine], else the environment."""
    from csmetrics.core.engine import engine_of

    return engine_of(
        sources.engine or settings.engine.get("name"),
        sources.spark_master or settings.engine.get("spark_master"),
        settings.engine.get("spark_memory"),
    )


def run_family_command(
    family: Family[Any],
    given: dict[str, Any],
    settings: Config,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """Load the family's sources, compute it, emit the report: every family command's end.
    `given`: the family's settings from the command line (None: not given)."""
    from csmetrics.cli.emit import emit, progress
    from csmetrics.core.window import build_window
    from csmetrics.families.runner import run_family

    words = window_words(settings, window)
    params = family.params(settings.family, settings.base, given, words)
    specs = specs_of(settings, sources)
    with progress(f"computing {family.name}", output.quiet or output.no_progress):
        engine = engine_of_options(settings, sources)
        report = run_family(family, specs, build_window(**words), params, engine)
    emit(report, output.output_format, output.output, quiet=output.quiet)
