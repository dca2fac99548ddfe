"""`report` (for cron) and `check` (for CI): every configured family, sources loaded once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csmetrics.cli.app import app
from csmetrics.cli.options import (
    OUTPUT_PANEL,
    SOURCE_PATHS,
    SourceOptions,
    WindowOptions,
    command,
)
from csmetrics.cli.wiring import (
    engine_of_options,
    load,
    setup_logging,
    specs_of,
    window_spec,
    window_words,
)
from csmetrics.core.errors import ConfigError

if TYPE_CHECKING:
    from csmetrics.ingest.config import Config
    from csmetrics.ingest.inputs import Inputs
    from csmetrics.results.bundle import Bundle

FormatOpt = Annotated[
    str, typer.Option("--format", help="table or json.", rich_help_panel=OUTPUT_PANEL)
]
QuietOpt = Annotated[bool, typer.Option("--quiet", help="Errors only on stderr.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", help="Timings and tracebacks.")]
NoProgressOpt = Annotated[bool, typer.Option("--no-progress", help="No progress bar.")]


def _bundle(
    sources: SourceOptions, window: WindowOptions, quiet: bool, no_progress: bool
) -> tuple[Config, Inputs, Bundle, dict[str, Any]]:
    """Load every configured source once, then compute every family that can run, for the
    window and the previous one. Events keep only the columns some family reads; the small
    sources keep every column (a check's `by` may name any breakdown)."""
    from csmetrics.cli.emit import family_progress
    from csmetrics.families.across import build_bundle, family_params
    from csmetrics.families.catalogue import FAMILIES
    from csmetrics.ingest.inputs import load_inputs

    settings = load(sources.config)
    base = settings.base
    params = family_params(settings.family, base, window_words(settings, window))
    specs = specs_of(settings, sources)
    if not specs:
        raise ConfigError("no source configured: set [sources.*] in the config or pass paths")
    events: set[str] = set()
    for name, family in FAMILIES.items():
        if "events" in family.sources:
            events |= family.needed_columns("events", params[name])
    inputs = load_inputs(specs, {"events": events}, engine_of_options(settings, sources))
    with family_progress(quiet or no_progress) as advance:
        bundle = build_bundle(inputs, window_spec(settings, window), params, advance)
    return settings, inputs, bundle, params


@command(
    app,
    sources=SOURCE_PATHS,
    window=True,
    epilog="Example: csmetrics report --config csmetrics.toml --period last-week "
    "--as-of 2026-11-23 --output-dir reports",
)
def report(
    *,
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", help="Write the dated bundle DIR/<label>/ here."),
    ] = None,
    output_format: FormatOpt = "table",
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    no_progress: NoProgressOpt = False,
    sources: SourceOptions,
    window: WindowOptions,
) -> None:
    """Every family whose sources are configured, with the previous window for comparison."""
    from csmetrics.cli.emit import stderr_console, stdout_console
    from csmetrics.render.bundle import render_summary
    from csmetrics.render.files import indented_json

    setup_logging(verbose, quiet)
    _, _, bundle, _ = _bundle(sources, window, quiet, no_progress)
    if output_dir is not None:
        folder = bundle.write(output_dir)
        if not quiet:
            stderr_console().print(f"wrote {folder}", highlight=False)
    if output_format == "json":
        sys.stdout.write(indented_json(bundle.to_json_dict()) + "\n")
    elif output_format == "table":
        render_summary(bundle, stdout_console())
    else:
        raise ConfigError(f"--format: expected table or json, got {output_format!r}")


@command(
    app,
    sources=SOURCE_PATHS,
    window=True,
    epilog="Example: csmetrics check --config csmetrics.toml --period last-week --junit checks.xml",
)
def check(
    *,
    output_format: FormatOpt = "table",
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Also write the results as JUnit XML here.")
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    no_progress: NoProgressOpt = False,
    sources: SourceOptions,
    window: WindowOptions,
) -> None:
    """Evaluate the config's [[checks]]; exit 1 when any fails (warnings pass)."""
    from csmetrics.cli.emit import stdout_console
    from csmetrics.families.across import run_checks
    from csmetrics.families.catalogue import METRICS
    from csmetrics.render.checks import as_json, publish_to_github, render_table, write_junit
    from csmetrics.results.checks import exit_code, parse_checks

    setup_logging(verbose, quiet)
    settings = load(sources.config)
    where = f"{settings.path}: [[checks]]" if settings.path else "[[checks]]"
    checks = parse_checks(settings.checks, [m.id for m in METRICS], where)
    if not checks:
        raise ConfigError(f"{where}: no checks configured")
    _, inputs, bundle, params = _bundle(sources, window, quiet, no_progress)
    outcomes = run_checks(checks, bundle, inputs, params)
    if junit is not None:
        write_junit(outcomes, junit)
    if output_format == "json":
        sys.stdout.write(as_json(outcomes) + "\n")
    elif output_format == "table":
        render_table(outcomes, stdout_console())
    else:
        raise ConfigError(f"--format: expected table or json, got {output_format!r}")
    publish_to_github(outcomes, print)
    raise typer.Exit(exit_code(outcomes))
