"""The command line: each command parses options, calls one library function, renders the result.

Shared options are declared once, as groups, in options.py."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csmetrics import __version__
from csmetrics.cli.options import (
    OUTPUT_PANEL,
    SOURCE_PATHS,
    OutputOptions,
    SourceOptions,
    WindowOptions,
    command,
)
from csmetrics.errors import ConfigError, CsMetricsError

if TYPE_CHECKING:
    from csmetrics.config import Config
    from csmetrics.families.base import Family
    from csmetrics.sources.spec import SourceSpec
    from csmetrics.window import WindowSpec

app = typer.Typer(
    name="csmetrics",
    help="Customer-success metrics from product, help-desk, billing and survey exports.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csmetrics {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Customer-success metrics from product, help-desk, billing and survey exports."""


def _setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="csmetrics: %(message)s", stream=sys.stderr, force=True)


@command(
    app,
    sources=("events",),
    window=True,
    output=True,
    epilog="Example: csmetrics engagement --events events.parquet --period last-30d --grain week",
)
def engagement(
    *,
    session_gap: Annotated[
        str | None,
        typer.Option(
            "--session-gap",
            help="Inactivity that ends a session, e.g. 30m (default 30m).",
            show_default=False,
        ),
    ] = None,
    inactive_event: Annotated[
        list[str] | None,
        typer.Option(
            "--inactive-event",
            help="Event that does not make a user active (repeatable), e.g. email_opened.",
        ),
    ] = None,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """DAU/WAU/MAU, stickiness, sessions, feature adoption and account activity."""
    from csmetrics.families.engagement import FAMILY, params_from_config

    settings = _start(sources, output)
    params = params_from_config(
        settings.family("engagement"), session_gap=session_gap, inactive_events=inactive_event
    )
    _run_family(FAMILY, params, settings, sources, window, output)


@command(
    app,
    sources=("events", "accounts"),
    window=True,
    output=True,
    epilog="Example: csmetrics onboarding --events events.parquet --activation-event "
    "created_project --activation-event invited_user --step signed_up --step created_project",
)
def onboarding(
    *,
    activation_event: Annotated[
        list[str] | None,
        typer.Option(
            "--activation-event",
            help="An event every activated user has done (repeatable; all are required).",
        ),
    ] = None,
    activation_window: Annotated[
        str | None,
        typer.Option("--activation-window", help="Time from signup to activate (default 14d)."),
    ] = None,
    value_event: Annotated[
        str | None,
        typer.Option(
            "--value-event", help="The event of first value (default: the last activation event)."
        ),
    ] = None,
    step: Annotated[
        list[str] | None,
        typer.Option("--step", help="A funnel step, in order (repeatable)."),
    ] = None,
    conversion_window: Annotated[
        str | None,
        typer.Option(
            "--conversion-window", help="Time from the first step to convert (default 14d)."
        ),
    ] = None,
    signup_event: Annotated[
        str | None,
        typer.Option("--signup-event", help="The event of signup (default: a user's first event)."),
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="user or account (default user).")
    ] = None,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """Signups, activation, time to value, days to onboard and the funnel."""
    from csmetrics.families.onboarding import FAMILY, params_from_config

    settings = _start(sources, output)
    params = params_from_config(
        settings.family("onboarding"),
        activation_events=activation_event,
        activation_window=activation_window,
        value_event=value_event,
        steps=step,
        conversion_window=conversion_window,
        signup_event=signup_event,
        level=level,
    )
    _run_family(FAMILY, params, settings, sources, window, output)


@command(
    app,
    sources=("events", "accounts"),
    window=True,
    output=True,
    epilog="Example: csmetrics retention --events events.parquet --cohort-grain week --periods 8",
)
def retention(
    *,
    cohort_grain: Annotated[
        str | None,
        typer.Option(
            "--cohort-grain",
            help="Cohort buckets: day, week or month (default: --grain if given, else week).",
        ),
    ] = None,
    periods: Annotated[
        int | None, typer.Option("--periods", help="Offsets after each cohort (default 12).")
    ] = None,
    signup_event: Annotated[
        str | None,
        typer.Option("--signup-event", help="The event that starts a first-time cohort."),
    ] = None,
    return_event: Annotated[
        list[str] | None,
        typer.Option("--return-event", help="An event that counts as a return (repeatable)."),
    ] = None,
    inactive_event: Annotated[
        list[str] | None,
        typer.Option("--inactive-event", help="An event that is never a return (repeatable)."),
    ] = None,
    retention_type: Annotated[
        str | None,
        typer.Option("--retention-type", help="first_time (default) or recurring."),
    ] = None,
    retention_mode: Annotated[
        str | None, typer.Option("--retention-mode", help="on (default) or on_or_after.")
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="user or account (default user).")
    ] = None,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """Cohort retention table, retention in the window, lifecycle and user churn."""
    from csmetrics.families.retention import FAMILY, params_from_config

    settings = _start(sources, output)
    params = params_from_config(
        settings.family("retention"),
        cohort_grain=cohort_grain or window.grain or settings.setting("grain"),
        periods=periods,
        signup_event=signup_event,
        return_events=return_event,
        inactive_events=inactive_event,
        retention_type=retention_type,
        retention_mode=retention_mode,
        level=level,
    )
    _run_family(FAMILY, params, settings, sources, window, output)


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
    from csmetrics.output import emit_profiles
    from csmetrics.sources.profile import profile_sources

    _setup_logging(verbose, quiet)
    specs = _specs(_load(sources.config), sources)
    if not specs:
        raise ConfigError(
            "validate: no source given; pass --events/--tickets/--billing/--surveys/--accounts or a config"
        )
    emit_profiles(profile_sources(specs), output_format)


@app.command(name="metrics", epilog="Example: csmetrics metrics --family engagement --format json")
def metrics_command(
    family: Annotated[
        str | None, typer.Option("--family", help="Only this family's metrics.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="table, json or markdown.")
    ] = "table",
) -> None:
    """The metric catalogue: id, family, unit, direction, definition."""
    from csmetrics.output import emit_catalogue

    emit_catalogue(family, output_format)


@app.command(
    epilog="Example: csmetrics sample --output-dir demo --accounts 200 --months 6 --seed 7"
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
    from csmetrics.output import stderr_console
    from csmetrics.sample import SampleOptions, write_sample

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


@app.command(epilog="Example: csmetrics init --output csmetrics.toml")
def init(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the starter config.")
    ] = Path("csmetrics.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter csmetrics.toml."""
    from csmetrics.config import STARTER_CONFIG
    from csmetrics.render.files import write_text

    if output.exists() and not force:
        raise ConfigError(f"{output}: already exists (use --force to overwrite)")
    write_text(output, STARTER_CONFIG)
    typer.echo(f"wrote {output}", err=True)


# --- helpers: option plumbing only --------------------------------------------------------------


def _load(config: Path | None) -> Config:
    from csmetrics.config import load_config

    return load_config(config)


def _start(sources: SourceOptions, output: OutputOptions) -> Config:
    _setup_logging(output.verbose, output.quiet)
    return _load(sources.config)


def _window(settings: Config, window: WindowOptions) -> WindowSpec:
    """The window: the command line's bounds, else the config's; other settings likewise."""
    from csmetrics.window import build_window

    cli_bounds = window.since or window.until or window.period
    return build_window(
        since=window.since if cli_bounds else settings.setting("since"),
        until=window.until if cli_bounds else settings.setting("until"),
        period=window.period if cli_bounds else settings.setting("period"),
        as_of=window.as_of or settings.setting("as_of"),
        timezone=window.timezone or settings.setting("timezone", "UTC"),
        week_start=window.week_start or settings.setting("week_start", "monday"),
        grain=window.grain or settings.setting("grain", "day"),
    )


def _specs(settings: Config, sources: SourceOptions) -> dict[str, SourceSpec]:
    from csmetrics.config import source_specs

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


def _run_family(
    family: Family[Any],
    params: Any,
    settings: Config,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """Load the family's sources, compute it, emit the report: every family command's end."""
    from csmetrics.output import emit, progress
    from csmetrics.runner import run_family

    spec = _window(settings, window)
    specs = _specs(settings, sources)
    with progress(f"computing {family.name}", output.quiet or output.no_progress):
        report = run_family(family, specs, spec, params)
    emit(report, output.output_format, output.output, quiet=output.quiet)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 1 failed check, 2 user error, 3 internal error."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        app(args=args, prog_name="csmetrics")
    except SystemExit as exc:  # Typer exits on --help, --version and usage errors (code 2)
        return exc.code if isinstance(exc.code, int) else 0
    except CsMetricsError as exc:
        print(f"csmetrics: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("csmetrics: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if "--verbose" in args:
            traceback.print_exc()
        print(
            f"csmetrics: internal error: {type(exc).__name__}: {exc}".splitlines()[0]
            + " (rerun with --verbose for the traceback)",
            file=sys.stderr,
        )
        return 3
    return 0


def main() -> None:
    sys.exit(run())
