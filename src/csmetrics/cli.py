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


def _option(kind: Any, flag: str, help_text: str, panel: str | None = None, **extra: Any) -> Any:
    """An option type for a command signature: `kind` annotated with its Typer option."""
    # Rich markup would swallow "[default: UTC]" and "[tool.csmetrics]" as tags: escape them.
    text = help_text.replace("[", "\\[")
    return Annotated[kind, typer.Option(flag, help=text, rich_help_panel=panel, **extra)]


_TEXT = str | None
_TEXTS = list[str] | None
_UNSHOWN = {"show_default": False}

ConfigOpt = _option(
    Path | None,
    "--config",
    "Config file (default: ./csmetrics.toml, else [tool.csmetrics] in ./pyproject.toml).",
    **_UNSHOWN,
)
EventsOpt = _option(
    _TEXT, "--events", "Product events: a file, a quoted glob or a folder.", SOURCES_PANEL
)
TicketsOpt = _option(_TEXT, "--tickets", "Help-desk tickets.", SOURCES_PANEL)
BillingOpt = _option(_TEXT, "--billing", "Invoice lines.", SOURCES_PANEL)
SurveysOpt = _option(_TEXT, "--surveys", "NPS/CSAT/CES responses.", SOURCES_PANEL)
AccountsOpt = _option(_TEXT, "--accounts", "Account dimension.", SOURCES_PANEL)
MapOpt = _option(
    _TEXTS,
    "--map",
    'Column mapping SOURCE.COLUMN=HEADER (repeatable), e.g. events.user_id="User ID".',
    SOURCES_PANEL,
)
PresetOpt = _option(
    _TEXTS,
    "--preset",
    "Known export layout SOURCE=NAME (segment, amplitude, mixpanel, posthog, zendesk, "
    "freshdesk, intercom, stripe, chargebee).",
    SOURCES_PANEL,
)
FormatInOpt = _option(
    _TEXT,
    "--format-in",
    "Input format when the extension does not tell: csv, parquet or ndjson.",
    SOURCES_PANEL,
)
EncodingOpt = _option(
    _TEXT, "--encoding", "CSV text encoding when not UTF-8 (e.g. latin-1).", SOURCES_PANEL
)
SourceTzOpt = _option(
    _TEXT,
    "--source-timezone",
    "Time zone of timestamps without an offset [default: UTC].",
    SOURCES_PANEL,
    **_UNSHOWN,
)
SinceOpt = _option(
    _TEXT, "--since", "Window start (date or ISO datetime, inclusive).", WINDOW_PANEL
)
UntilOpt = _option(_TEXT, "--until", "Window end (exclusive).", WINDOW_PANEL)
PeriodOpt = _option(
    _TEXT,
    "--period",
    "last-week, last-month, last-quarter, this-week, this-month, last-7d, last-30d, last-90d, "
    "2026-10, 2026-W46, 2026-Q3 or all [default: all].",
    WINDOW_PANEL,
    **_UNSHOWN,
)
AsOfOpt = _option(
    _TEXT,
    "--as-of",
    "The 'now' relative periods count from (cron: set it for reproducible reruns).",
    WINDOW_PANEL,
)
TimezoneOpt = _option(
    _TEXT,
    "--timezone",
    "IANA time zone of calendar buckets [default: UTC].",
    WINDOW_PANEL,
    **_UNSHOWN,
)
WeekStartOpt = _option(
    _TEXT, "--week-start", "monday (ISO) or sunday [default: monday].", WINDOW_PANEL, **_UNSHOWN
)
GrainOpt = _option(
    _TEXT,
    "--grain",
    "Time-series buckets: day, week or month [default: day].",
    WINDOW_PANEL,
    **_UNSHOWN,
)
FormatOpt = _option(str, "--format", "table, json, csv, parquet or markdown.", OUTPUT_PANEL)
OutputOpt = _option(
    Path | None,
    "--output",
    "File (json, markdown) or folder (csv, parquet: one file per table); '-' or absent: stdout.",
    OUTPUT_PANEL,
)
QuietOpt = _option(bool, "--quiet", "Errors only on stderr.", OUTPUT_PANEL)
VerboseOpt = _option(
    bool,
    "--verbose",
    "Timings and query plans on stderr, and tracebacks of internal errors.",
    OUTPUT_PANEL,
)
NoProgressOpt = _option(bool, "--no-progress", "No spinner on stderr.", OUTPUT_PANEL)


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
