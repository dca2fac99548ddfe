"""Where results go: stdout for machines (tables, JSON, Markdown), stderr for people (warnings,
progress). Colour only on a terminal, never with NO_COLOR (Rich honours it)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from csmetrics.api import ConfigError

if TYPE_CHECKING:
    from csmetrics.api import Report
    from csmetrics.render.html.page import Draw

OUTPUT_FORMATS = ("table", "json", "csv", "parquet", "markdown", "html")
PLAIN_WIDTH = 160


def _plain_requested() -> bool:
    """NO_COLOR (no-color.org) set to anything non-empty: no ANSI codes at all, not even bold."""
    return bool(os.environ.get("NO_COLOR"))


class StdoutConsole(Console):
    """A Console for results on stdout. When the reader goes away (`| head`), Rich would exit
    with code 1; like every Unix tool, csmetrics stops quietly instead (cli.run exits 0)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def stdout_console(file: Any = None) -> Console:
    target = file or sys.stdout
    terminal = hasattr(target, "isatty") and target.isatty()
    return StdoutConsole(
        file=target,
        width=None if terminal else PLAIN_WIDTH,
        soft_wrap=False,
        highlight=False,
        markup=False,  # text from the data is never Rich markup; styles come as Text
        color_system=None if _plain_requested() else "auto",
    )


def stderr_console() -> Console:
    return Console(
        stderr=True,
        highlight=False,
        markup=False,
        soft_wrap=True,
        color_system=None if _plain_requested() else "auto",
    )


@contextlib.contextmanager
def progress(label: str, disabled: bool) -> Iterator[None]:
    """A spinner on stderr while the query runs, only when stderr is a terminal."""
    console = stderr_console()
    if disabled or not console.is_terminal:
        yield
        return
    with console.status(label):
        yield


@contextlib.contextmanager
def family_progress(disabled: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar over the families on stderr (only on a terminal); yields the callback
    that announces the next family."""
    console = stderr_console()
    if disabled or not console.is_terminal:
        yield lambda name: None
        return
    from rich.progress import Progress

    from csmetrics.api import families

    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("report", total=len(families()))

        def advance(name: str) -> None:
            bar.update(task, advance=1, description=f"computing {name}")

        yield advance


def emit(
    report: Report,
    fmt: str,
    output: str | None,
    *,
    quiet: bool = False,
    draw: Draw | None = None,
) -> None:
    """The report as `fmt` to `output` (stdout when None or '-'); `draw`: how the html page's
    charts are drawn (a chart worker's; default: in this process)."""
    from csmetrics.render import files, terminal
    from csmetrics.render.html.page import report_html

    if fmt not in OUTPUT_FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(OUTPUT_FORMATS)}, got {fmt!r}")
    path = None if output is None or output == "-" else Path(output)
    if fmt in ("csv", "parquet"):
        _emit_tables(report, fmt, output if path is not None else None, quiet=quiet)
    elif fmt == "json":
        _text_out(files.json_text(report), path)
    elif fmt == "markdown":
        _text_out(files.markdown_text(report), path)
    elif fmt == "html":
        _text_out(report_html(report) if draw is None else report_html(report, draw), path)
    elif path is None:
        terminal.render(report, stdout_console())
    else:
        _text_out(_plain_table(report), path)
    if not quiet:
        terminal.render_warnings(report, stderr_console())


def emit_page(html: str, folder: Path | None, *, open_page: bool, quiet: bool) -> None:
    """`report --format html`: the page's path on stdout when the bundle holds it (unless
    `quiet`), else the page itself; with `open_page`, the page opened in the default browser (written to a
    temporary file when there is no bundle)."""
    page = None if folder is None else folder / "report.html"
    if page is None and open_page:
        page = Path(tempfile.mkdtemp(prefix="csmetrics-")) / "report.html"
        page.write_text(html, encoding="utf-8")
    if page is None:
        sys.stdout.write(html)
        sys.stdout.flush()
        return
    if folder is not None and not quiet:  # a cron job's --quiet: nothing to mail
        sys.stdout.write(f"{page}\n")
    if open_page and not webbrowser_open(page.resolve().as_uri()) and not quiet:
        stderr_console().print(
            f"no browser to open it in; the page is {page}", highlight=False, markup=False
        )


def webbrowser_open(uri: str) -> bool:
    """Open `uri` in the default browser; False when the machine has none."""
    import webbrowser

    try:
        return webbrowser.get().open(uri)
    except webbrowser.Error:
        return False


def _emit_tables(report: Report, fmt: str, output: str | None, *, quiet: bool) -> None:
    """CSV or Parquet: to a folder, to a file with the tables beside it, or (CSV only) the
    metrics on stdout."""
    from csmetrics.render import files

    say = stderr_console().print if not quiet else (lambda *_, **__: None)
    if output is None:
        if fmt == "parquet":
            raise ConfigError(
                "--format parquet is binary: give a file or a folder with --output PATH"
            )
        sys.stdout.write(files.metrics_csv_text(report))
        sys.stdout.flush()
        if report.tables:
            say(
                f"tables not written ({', '.join(report.tables)}): give --output FILE.csv "
                "or --output DIR/ to write them",
                highlight=False,
            )
        return
    if files.names_a_file(output):
        written = files.write_metrics_file(report, Path(output), fmt)
        say(f"wrote {len(written)} files: {', '.join(str(p) for p in written)}", highlight=False)
        return
    written = files.write_tables(report, Path(output), fmt)
    say(f"wrote {len(written)} files to {output}", highlight=False)


def _plain_table(report: Report) -> str:
    """The terminal table as plain text (no colour), for a file."""
    import io

    from csmetrics.render import terminal

    buffer = io.StringIO()
    console = Console(file=buffer, width=PLAIN_WIDTH, color_system=None, markup=False)
    terminal.render(report, console)
    return buffer.getvalue()


def _text_out(text: str, path: Path | None) -> None:
    from csmetrics.render.files import write_text

    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_text(path, text)


def emit_profiles(profiles: list[dict[str, Any]], fmt: str) -> None:
    from csmetrics.render.profile import profiles_json, render_profiles

    if fmt == "json":
        sys.stdout.write(profiles_json(profiles))
    elif fmt == "table":
        render_profiles(profiles, stdout_console())
    else:
        raise ConfigError(f"--format: expected table or json, got {fmt!r}")


def emit_catalogue(family: str | None, fmt: str, explainable: bool = False) -> None:
    from csmetrics.api import catalogue, explainable_metrics, families
    from csmetrics.render.catalogue import catalogue_markdown, render_catalogue

    if family is not None and family not in families():
        raise ConfigError(f"--family: unknown family {family!r} (known: {', '.join(families())})")
    metrics, tables = catalogue(family)
    kinds = explainable_metrics()
    chosen = [m for m in metrics if m.id in kinds or not explainable]
    if fmt == "json":
        rows = [
            {
                "id": m.id,
                "family": m.family,
                "unit": m.unit,
                "direction": m.direction,
                "definition": m.definition,
                "sources": list(m.sources),
                "columns": list(m.needs),
                "explain": kinds.get(m.id),  # how `explain` splits it; null: it cannot
            }
            for m in chosen
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(catalogue_markdown(chosen, tables))
    elif fmt == "table":
        render_catalogue(chosen, stdout_console())
    else:
        raise ConfigError(f"--format: expected table, json or markdown, got {fmt!r}")
