"""The command line: each command parses options, calls one library function, renders the result.

Shared options are declared once, as groups, in options.py."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated

import typer

from csmetrics import CsMetricsError, __version__
from csmetrics.cli.help import Group
from csmetrics.render.values import printable

app = typer.Typer(
    name="csmetrics",
    cls=Group,
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


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 1 failed check, 2 user error, 3 internal error."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        app(args=args, prog_name="csmetrics")
    except SystemExit as exc:  # Typer exits on --help, --version and usage errors (code 2)
        return exc.code if isinstance(exc.code, int) else 0
    except CsMetricsError as exc:  # one line: a value quoted from the data is escaped
        print(f"csmetrics: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("csmetrics: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a path a write or read could not use: the user can fix it
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"csmetrics: error: {printable(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return 2
    except Exception as exc:
        return _internal_error(exc, args)
    except BaseException as exc:  # Polars' PanicException is not an Exception
        return _internal_error(exc, args)
    return 0


def _internal_error(exc: BaseException, args: list[str]) -> int:
    if "--verbose" in args:
        traceback.print_exc()
    first = (str(exc).splitlines() or [""])[0]
    print(
        f"csmetrics: internal error: {type(exc).__name__}: {printable(first)}"
        " (rerun with --verbose for the traceback)",
        file=sys.stderr,
    )
    return 3


def main() -> None:
    sys.exit(run())
