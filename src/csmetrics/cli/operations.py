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
    chart_worker,
    load_sources,
    read_config,
    setup_logging,
    window_words,
)

if TYPE_CHECKING:
    from csmetrics.api import Bundle, Config, Inputs, Report
    from csmetrics.render.html.worker import ChartWorker

FormatOpt = Annotated[
    str, typer.Option("--format", help="table or json.", rich_help_panel=OUTPUT_PANEL)
]
QuietOpt = Annotated[bool, typer.Option("--quiet", help="Errors only on stderr.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", help="Timings and tracebacks.")]
NoProgressOpt = Annotated[bool, typer.Option("--no-progress", help="No progress bar.")]
SUMMARY_FORMATS = ("table", "json", "markdown", "slack", "html")
ANOMALY_PANEL = "Anomalies"


def _config_error(message: str) -> Exception:
    from csmetrics.api import ConfigError

    return ConfigError(message)


def _inputs(sources: SourceOptions, config: Config, window: WindowOptions) -> Inputs:
    """Every configured source, loaded once for every family (events: only the columns some
    family reads; the small sources whole, as a check's `by` may name any column; of a
    database or lakehouse table, the rows the window and its earlier windows need)."""
    from csmetrics.api import families

    return load_sources(sources, config, list(families()), window=window_words(window))


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
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="table (the terminal), json, markdown (a wiki, an e-mail), slack (mrkdwn) or "
            "html (one self-contained page: report.html in the bundle, else on stdout).",
            rich_help_panel=OUTPUT_PANEL,
            metavar="FORMAT",
        ),
    ] = "table",
    open_page: Annotated[
        bool,
        typer.Option(
            "--open",
            help="With --format html, open the page in the default browser.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = False,
    explain_by: Annotated[
        list[str] | None,
        typer.Option(
            "--explain-by",
            metavar="COLUMN",
            help='Split each headline outside its usual range by this column in "What '
            'moved" (repeatable; config: \\[explain] by).',
            rich_help_panel=ANOMALY_PANEL,
        ),
    ] = None,
    bands: Annotated[
        bool | None,
        typer.Option(
            "--bands/--no-bands",
            help="Each headline against its usual range over the earlier windows \\[default: "
            "bands; config: \\[anomaly] bands].",
            rich_help_panel=ANOMALY_PANEL,
            show_default=False,
        ),
    ] = None,
    anomaly_threshold: Annotated[
        float | None,
        typer.Option(
            "--anomaly-threshold",
            metavar="Z",
            help="Robust z beyond which a headline is flagged \\[default: 3; config: "
            "\\[anomaly] threshold].",
            rich_help_panel=ANOMALY_PANEL,
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", help="Nothing on success (cron); errors on stderr.")
    ] = False,
    verbose: VerboseOpt = False,
    no_progress: NoProgressOpt = False,
    sources: SourceOptions,
    window: WindowOptions,
) -> None:
    """Every family whose sources are configured, with the previous window for comparison."""
    from csmetrics.cli.emit import stderr_console
    from csmetrics.render.bundle import write_bundle
    from csmetrics.render.html.page import bundle_html

    setup_logging(verbose, quiet)
    if output_format not in SUMMARY_FORMATS:  # said before any source is read
        raise _config_error(
            f"--format: expected {', '.join(SUMMARY_FORMATS)}, got {output_format!r}"
        )
    if open_page and output_format != "html":
        raise _config_error(f"--open: opens the html page; give --format html, not {output_format}")
    config = read_config(sources.config)
    # the worker starts first: its engine starts on the other core while the sources load
    anomaly = {
        "explain_by": explain_by or None,
        "anomaly_bands": bands,
        "anomaly_threshold": anomaly_threshold,
    }
    with chart_worker(output_format == "html") as worker:
        inputs = _inputs(sources, config, window)
        bundle = _bundle(inputs, window, worker, quiet or no_progress, anomaly)
        page = None if worker is None else bundle_html(bundle, worker.draw)
    folder = None
    if output_dir is not None:
        folder = write_bundle(bundle, output_dir, page=page)
        if not quiet:
            stderr_console().print(f"wrote {folder}", highlight=False)
    _emit_summary(bundle, output_format, page, folder, open_page=open_page, quiet=quiet)


def _bundle(
    inputs: Inputs,
    window: WindowOptions,
    worker: ChartWorker | None,
    quiet: bool,
    anomaly: dict[str, Any],
) -> Bundle:
    """The report's bundle; with a chart worker, each family's charts are drawn ahead."""
    from csmetrics.api import report as compute_report
    from csmetrics.cli.emit import family_progress
    from csmetrics.render.html.page import specs_of

    def ahead(report: Report) -> None:
        if worker is not None:
            worker.ahead(specs_of(report))

    with family_progress(quiet) as advance:
        return compute_report(
            inputs, on_family=advance, on_report=ahead, **anomaly, **window_words(window)
        )


def _emit_summary(
    bundle: Bundle, fmt: str, page: str | None, folder: Path | None, *, open_page: bool, quiet: bool
) -> None:
    from csmetrics.cli.emit import emit_page, stdout_console
    from csmetrics.render.files import indented_json
    from csmetrics.render.summary import markdown, render_summary, slack

    if page is not None:
        emit_page(page, folder, open_page=open_page, quiet=quiet)
    elif fmt == "json":
        sys.stdout.write(indented_json(bundle.to_json_dict()) + "\n")
    elif fmt in ("markdown", "slack"):
        sys.stdout.write((markdown if fmt == "markdown" else slack)(bundle))
    elif not quiet:  # cron mails what a job prints: a quiet run that went well prints nothing
        render_summary(bundle, stdout_console())


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
    allow_stale: Annotated[
        bool | None,
        typer.Option(
            "--allow-stale",
            help="Check even when the window lies outside the data (default: an error, exit 2; "
            "config: allow_stale).",
            show_default=False,
        ),
    ] = None,
    sources: SourceOptions,
    window: WindowOptions,
) -> None:
    """Evaluate the config's \\[\\[checks]]; exit 1 when any fails (warnings pass)."""
    from csmetrics.api import check as evaluate_checks
    from csmetrics.api import checks_of, exit_code
    from csmetrics.cli.emit import family_progress, stdout_console
    from csmetrics.render.checks import as_json, publish_to_github, render_table, write_junit

    setup_logging(verbose, quiet)
    config = read_config(sources.config)
    checks_of(config)  # a mistake in [[checks]] is said before any source is read
    inputs = _inputs(sources, config, window)
    with family_progress(quiet or no_progress) as advance:
        outcomes = evaluate_checks(
            inputs, on_family=advance, allow_stale=allow_stale, **window_words(window)
        )
    if junit is not None:
        write_junit(outcomes, junit)
    if output_format == "json":
        sys.stdout.write(as_json(outcomes) + "\n")
    elif output_format == "table":
        render_table(outcomes, stdout_console())
    else:
        raise _config_error(f"--format: expected table or json, got {output_format!r}")
    publish_to_github(outcomes, print)
    raise typer.Exit(exit_code(outcomes))
