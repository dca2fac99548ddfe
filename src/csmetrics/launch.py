"""The `csmetrics` executable's entry point.

When the arguments ask for an HTML page (`--format html`), the child process that draws its
charts (render/html/worker.py) is started here, before the command line's own imports (about
0.9 s: Typer, Rich, Polars and every family's command), so that its chart engine (about 0.7 s)
is ready by the time the command runs. On the sample's `report` this takes about 0.7 s off the
page's cost (docs/performance.md)."""

from __future__ import annotations

import itertools
import sys


def asks_for_html(arguments: list[str]) -> bool:
    """`--format html` or `--format=html` among the arguments."""
    pairs = itertools.pairwise(arguments)
    return "--format=html" in arguments or any(a == "--format" and b == "html" for a, b in pairs)


def main() -> None:
    if asks_for_html(sys.argv[1:]):
        from csmetrics.render.html.worker import start_early

        start_early()
    from csmetrics.cli import main as run_command_line

    run_command_line()
