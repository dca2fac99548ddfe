"""The `csmetrics` command: a thin layer over the library.

app.py holds the Typer app and the exit-code contract; options.py the option groups declared
once; wiring.py the shared plumbing; families.py the family commands; commands.py the others.
"""

from csmetrics.cli import commands, explain, families, operations  # noqa: F401  (registers commands)
from csmetrics.cli.app import app, main, run

__all__ = ["app", "main", "run"]
