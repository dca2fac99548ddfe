"""The `csmetrics` command: a thin layer over the library (app.py), options in options.py."""

from csmetrics.cli.app import app, main, run

__all__ = ["app", "main", "run"]
