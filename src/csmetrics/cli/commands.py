"""The commands that compute no family: validate, metrics, sample, init."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmetrics.cli.app import app
from csmetrics.cli.help import command_settings
from csmetrics.cli.options import OUTPUT_PANEL, SOURCE_PATHS, SourceOptions, command
from csmetrics.cli.wiring import read_config, setup_logging


@command(
    app,
    sources=SOURCE_PATHS,
    epilog="Example: csmetrics validate --events 'exports/events/*.csv' --tickets tickets.csv",
)
def validate(
    *,
    output_format: Annotated[
        str, typer.Option("--format", help="table or json.", rich_help_panel=OUTPUT_PANEL)
    ] = "table",
    quiet: Annotated[bool, typer.Option("--quiet", help="Errors only on stderr.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Timings and tracebacks of internal errors.")
    ] = False,
    sources: SourceOptions,
) -> None:
    """Read each source against its contract and print a profile: rows, time range, nulls, duplicates, warnings."""
    from csmetrics.api import ConfigError, load, profile
    from csmetrics.cli.emit import emit_profiles
    from csmetrics.cli.sources import load_arguments

    setup_logging(verbose, quiet)
    inputs = load(**load_arguments(sources, read_config(sources.config)))
    if not inputs.sources:
        raise ConfigError(
            "validate: no source given; pass --events/--tickets/--billing/--surveys/--accounts or a config"
        )
    emit_profiles(profile(inputs), output_format)


@app.command(
    **command_settings(
        name="metrics", epilog="Example: csmetrics metrics --family engagement --format json"
    )
)
def metrics_command(
    family: Annotated[
        str | None, typer.Option("--family", help="Only this family's metrics.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="table, json or markdown.")
    ] = "table",
    explainable: Annotated[
        bool, typer.Option("--explainable", help="Only the metrics `explain` can split.")
    ] = False,
) -> None:
    """The metric catalogue: id, family, unit, direction, definition."""
    from csmetrics.cli.emit import emit_catalogue

    emit_catalogue(family, output_format, explainable)


@app.command(
    **command_settings(
        epilog="Example: csmetrics sample --output-dir demo --accounts 200 --months 6 --seed 7"
    )
)
def sample(
    output_dir: Annotated[
        Path, typer.Option("--output-dir", help="Folder to write the dataset into.")
    ],
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed writes the same data.")
    ] = 42,
    accounts: Annotated[
        int, typer.Option("--accounts", min=1, help="Number of customer accounts.")
    ] = 60,
    months: Annotated[int, typer.Option("--months", min=1, max=120, help="Months of history.")] = 6,
    end: Annotated[
        str, typer.Option("--end", help="Day the data ends (exclusive).")
    ] = "2026-11-01",
    file_format: Annotated[
        str, typer.Option("--file-format", help="parquet or csv for the events file.")
    ] = "csv",
    users_per_account: Annotated[
        float, typer.Option("--users-per-account", help="Mean users per account.")
    ] = 8.0,
    events_per_user_day: Annotated[
        float, typer.Option("--events-per-user-day", help="Mean events per active user-day.")
    ] = 6.0,
    quiet: Annotated[bool, typer.Option("--quiet", help="Errors only on stderr.")] = False,
) -> None:
    """Write a realistic, linked, deterministic sample dataset (accounts, events, tickets, billing, surveys)."""
    from csmetrics.api import SampleOptions, write_sample
    from csmetrics.cli.emit import stderr_console

    options = SampleOptions(
        seed=seed,
        accounts=accounts,
        months=months,
        end=end,
        users_per_account=users_per_account,
        events_per_user_day=events_per_user_day,
        events_format=file_format,
    )
    written = write_sample(output_dir, options)
    if not quiet:
        for path, rows in written.items():
            stderr_console().print(f"wrote {path} ({rows:,} rows)", highlight=False)


@app.command(**command_settings(epilog="Example: csmetrics init --output csmetrics.toml"))
def init(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the starter config.")
    ] = Path("csmetrics.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter csmetrics.toml."""
    from csmetrics.api import ConfigError, starter_config
    from csmetrics.render.files import write_text

    if output.exists() and not force:
        raise ConfigError(f"{output}: already exists (use --force to overwrite)")
    write_text(output, starter_config())
    typer.echo(f"wrote {output}", err=True)
