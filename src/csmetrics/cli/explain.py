"""`explain`: why a metric changed, split by segment; the sources are loaded as the metric's
family reads them, with the segment columns kept."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from csmetrics.cli.app import app
from csmetrics.cli.options import OUTPUT_PANEL, SOURCE_PATHS, SourceOptions, WindowOptions, command
from csmetrics.cli.wiring import read_config, setup_logging, window_words

if TYPE_CHECKING:
    from csmetrics.api import Explanation

EXPLAIN_FORMATS = ("table", "json", "markdown", "csv")


MetricArg = Annotated[
    str,
    typer.Argument(
        help="The metric's id (csmetrics metrics --explainable lists them).",
        metavar="METRIC",
        show_default=False,
    ),
]
ByOpt = Annotated[
    list[str],
    typer.Option(
        "--by",
        metavar="COLUMN",
        help="A column of the metric's source or of the accounts; repeat to split by the "
        "combinations of several.",
    ),
]
CompareSinceOpt = Annotated[
    str | None,
    typer.Option(
        "--compare-since",
        metavar="DATE",
        help="Start of the window to compare with \\[default: the window of equal length before].",
        show_default=False,
    ),
]
CompareUntilOpt = Annotated[
    str | None,
    typer.Option("--compare-until", metavar="DATE", help="End of that window (exclusive)."),
]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help="table, json, markdown or csv.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", metavar="PATH", help="A file instead of stdout.", rich_help_panel=OUTPUT_PANEL
    ),
]


@command(
    app,
    sources=SOURCE_PATHS,
    window=True,
    epilog="Example: csmetrics explain engagement.stickiness --by segment --period 2026-10 "
    "--config csmetrics.toml",
)
def explain(
    metric: MetricArg,
    *,
    by: ByOpt,
    compare_since: CompareSinceOpt = None,
    compare_until: CompareUntilOpt = None,
    output_format: FormatOpt = "table",
    output: OutputOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Errors only on stderr.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Timings and tracebacks of internal errors.")
    ] = False,
    sources: SourceOptions,
    window: WindowOptions,
) -> None:
    """Why a metric changed between the previous window and the window, split by segment."""
    from csmetrics.api import ConfigError, explain_metric_family, load
    from csmetrics.api import explain as explain_change
    from csmetrics.cli.emit import stderr_console
    from csmetrics.cli.sources import load_arguments

    setup_logging(verbose, quiet)
    if output_format not in EXPLAIN_FORMATS:  # said before any source is read
        raise ConfigError(f"--format: expected {', '.join(EXPLAIN_FORMATS)}, got {output_format!r}")
    config = read_config(sources.config)
    family = explain_metric_family(metric)
    arguments = load_arguments(sources, config)
    inputs = load(**arguments, families=family, also_columns=by)
    why = explain_change(
        inputs,
        metric,
        by,
        compare_since=compare_since,
        compare_until=compare_until,
        **window_words(window),
    )
    _emit(why, output_format, output)
    if not quiet:
        for warning in why.warnings:
            stderr_console().print(
                f"warning: {warning.message}", style="bold red", highlight=False, markup=False
            )


def _emit(why: Explanation, fmt: str, output: Path | None) -> None:
    from csmetrics.cli.emit import stdout_console
    from csmetrics.render.explanation import markdown, render_explanation
    from csmetrics.render.files import write_text

    if fmt == "table" and output is None:
        render_explanation(why, stdout_console())
        return
    if fmt == "json":
        text = why.to_json()
    elif fmt == "markdown":
        text = markdown(why)
    elif fmt == "csv":
        text = why.segments.write_csv()
    else:
        text = _plain(why)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()  # before any warning on stderr, so a terminal shows them in order
    else:
        write_text(output, text)


def _plain(why: Explanation) -> str:
    import io

    from rich.console import Console

    from csmetrics.cli.emit import PLAIN_WIDTH
    from csmetrics.render.explanation import render_explanation

    buffer = io.StringIO()
    render_explanation(why, Console(file=buffer, width=PLAIN_WIDTH, color_system=None))
    return buffer.getvalue()
