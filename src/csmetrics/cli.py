"""The command line: each command parses options, calls one library function, renders the result."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer

from csmetrics import __version__
from csmetrics.errors import ConfigError, CsMetricsError

app = typer.Typer(
    name="csmetrics",
    help="Customer-success metrics from product, help-desk, billing and survey exports.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

SOURCES_PANEL = "Sources"
WINDOW_PANEL = "Window"
OUTPUT_PANEL = "Output"

# --- options shared by many commands, defined once ---------------------------------------------
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Config file (default: ./csmetrics.toml, else [tool.csmetrics] in ./pyproject.toml).",
        show_default=False,
    ),
]
EventsOpt = Annotated[
    str | None,
    typer.Option(
        "--events",
        help="Product events: a file, a quoted glob or a folder.",
        rich_help_panel=SOURCES_PANEL,
    ),
]
TicketsOpt = Annotated[
    str | None, typer.Option("--tickets", help="Help-desk tickets.", rich_help_panel=SOURCES_PANEL)
]
BillingOpt = Annotated[
    str | None, typer.Option("--billing", help="Invoice lines.", rich_help_panel=SOURCES_PANEL)
]
SurveysOpt = Annotated[
    str | None,
    typer.Option("--surveys", help="NPS/CSAT/CES responses.", rich_help_panel=SOURCES_PANEL),
]
AccountsOpt = Annotated[
    str | None, typer.Option("--accounts", help="Account dimension.", rich_help_panel=SOURCES_PANEL)
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        help='Column mapping SOURCE.COLUMN=HEADER (repeatable), e.g. events.user_id="User ID".',
        rich_help_panel=SOURCES_PANEL,
    ),
]
PresetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--preset",
        help="Known export layout SOURCE=NAME (segment, amplitude, mixpanel, posthog, zendesk, freshdesk, intercom, stripe, chargebee).",
        rich_help_panel=SOURCES_PANEL,
    ),
]
FormatInOpt = Annotated[
    str | None,
    typer.Option(
        "--format-in",
        help="Input format when the extension does not tell: csv, parquet or ndjson.",
        rich_help_panel=SOURCES_PANEL,
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="CSV text encoding when not UTF-8 (e.g. latin-1).",
        rich_help_panel=SOURCES_PANEL,
    ),
]
SourceTzOpt = Annotated[
    str | None,
    typer.Option(
        "--source-timezone",
        help="Time zone of timestamps without an offset [default: UTC].",
        rich_help_panel=SOURCES_PANEL,
        show_default=False,
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Window start (date or ISO datetime, inclusive).",
        rich_help_panel=WINDOW_PANEL,
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Window end (exclusive).", rich_help_panel=WINDOW_PANEL),
]
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="last-week, last-month, last-quarter, this-week, this-month, last-7d, last-30d, last-90d, 2026-10, 2026-W46, 2026-Q3 or all [default: all].",
        rich_help_panel=WINDOW_PANEL,
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="The 'now' relative periods count from (cron: set it for reproducible reruns).",
        rich_help_panel=WINDOW_PANEL,
    ),
]
TimezoneOpt = Annotated[
    str | None,
    typer.Option(
        "--timezone",
        help="IANA time zone of calendar buckets [default: UTC].",
        rich_help_panel=WINDOW_PANEL,
        show_default=False,
    ),
]
WeekStartOpt = Annotated[
    str | None,
    typer.Option(
        "--week-start",
        help="monday (ISO) or sunday [default: monday].",
        rich_help_panel=WINDOW_PANEL,
        show_default=False,
    ),
]
GrainOpt = Annotated[
    str | None,
    typer.Option(
        "--grain",
        help="Time-series buckets: day, week or month [default: day].",
        rich_help_panel=WINDOW_PANEL,
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format", help="table, json, csv, parquet or markdown.", rich_help_panel=OUTPUT_PANEL
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="File (json, markdown) or folder (csv, parquet: one file per table); '-' or absent: stdout.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", help="Errors only on stderr.", rich_help_panel=OUTPUT_PANEL)
]
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "--verbose",
        help="Timings on stderr, and tracebacks of internal errors.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]
NoProgressOpt = Annotated[
    bool, typer.Option("--no-progress", help="No spinner on stderr.", rich_help_panel=OUTPUT_PANEL)
]


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


@app.command(
    epilog="Example: csmetrics engagement --events events.parquet --period last-30d --grain week",
)
def engagement(
    events: EventsOpt = None,
    config: ConfigOpt = None,
    map_: MapOpt = None,
    preset: PresetOpt = None,
    format_in: FormatInOpt = None,
    encoding: EncodingOpt = None,
    source_timezone: SourceTzOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    period: PeriodOpt = None,
    as_of: AsOfOpt = None,
    timezone: TimezoneOpt = None,
    week_start: WeekStartOpt = None,
    grain: GrainOpt = None,
    session_gap: Annotated[
        str | None,
        typer.Option(
            "--session-gap",
            help="Inactivity that ends a session, e.g. 30m [default: 30m].",
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
    output_format: FormatOpt = "table",
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    no_progress: NoProgressOpt = False,
) -> None:
    """DAU/WAU/MAU, stickiness, sessions, feature adoption and account activity."""
    from csmetrics.families.engagement import FAMILY, params_from_config
    from csmetrics.output import emit, progress
    from csmetrics.runner import run_family

    _setup_logging(verbose, quiet)
    settings = _load(config)
    window = _window(settings, since, until, period, as_of, timezone, week_start, grain)
    specs = _specs(settings, {"events": events}, map_, preset, source_timezone, format_in, encoding)
    params = params_from_config(
        settings.family("engagement"), session_gap=session_gap, inactive_events=inactive_event
    )
    with progress("computing engagement", quiet or no_progress):
        report = run_family(FAMILY, specs, window, params)
    emit(report, output_format, output, quiet=quiet)


@app.command(
    epilog="Example: csmetrics validate --events 'exports/events/*.csv' --tickets tickets.csv"
)
def validate(
    events: EventsOpt = None,
    tickets: TicketsOpt = None,
    billing: BillingOpt = None,
    surveys: SurveysOpt = None,
    accounts: AccountsOpt = None,
    config: ConfigOpt = None,
    map_: MapOpt = None,
    preset: PresetOpt = None,
    format_in: FormatInOpt = None,
    encoding: EncodingOpt = None,
    source_timezone: SourceTzOpt = None,
    output_format: Annotated[
        str, typer.Option("--format", help="table or json.", rich_help_panel=OUTPUT_PANEL)
    ] = "table",
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Read each source against its contract and print a profile: rows, time range, nulls, duplicates, warnings."""
    from csmetrics.output import emit_profiles
    from csmetrics.sources.profile import profile_sources

    _setup_logging(verbose, quiet)
    settings = _load(config)
    paths = {
        "events": events,
        "tickets": tickets,
        "billing": billing,
        "surveys": surveys,
        "accounts": accounts,
    }
    specs = _specs(settings, paths, map_, preset, source_timezone, format_in, encoding)
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
    quiet: QuietOpt = False,
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


def _load(config: Path | None) -> Any:
    from csmetrics.config import load_config

    return load_config(config)


def _window(settings: Any, since, until, period, as_of, timezone, week_start, grain) -> Any:
    from csmetrics.window import build_window

    cli_bounds = since or until or period
    return build_window(
        since=since if cli_bounds else settings.setting("since"),
        until=until if cli_bounds else settings.setting("until"),
        period=period if cli_bounds else settings.setting("period"),
        as_of=as_of or settings.setting("as_of"),
        timezone=timezone or settings.setting("timezone", "UTC"),
        week_start=week_start or settings.setting("week_start", "monday"),
        grain=grain or settings.setting("grain", "day"),
    )


def _specs(
    settings: Any, paths: dict[str, str | None], mappings, presets, source_tz, format_in, encoding
) -> Any:
    from csmetrics.config import source_specs

    return source_specs(
        settings,
        paths,
        list(mappings or []),
        list(presets or []),
        source_timezone=source_tz,
        format_in=format_in,
        encoding=encoding,
    )


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
