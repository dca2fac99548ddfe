"""Shared test helpers: write small event tables, run a family, run the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from csmetrics.cli import run
from csmetrics.core.window import build_window
from csmetrics.families.catalogue import FAMILIES
from csmetrics.families.engagement import EngagementParams
from csmetrics.families.runner import run_family
from csmetrics.ingest.sources import SourceSpec
from csmetrics.results.report import Report

EVENT_COLUMNS = ("timestamp", "user_id", "event", "account_id")


def events_frame(rows: list[tuple], columns: tuple[str, ...] = EVENT_COLUMNS) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=list(columns), orient="row")


def write_events(
    folder: Path,
    rows: list[tuple],
    columns: tuple[str, ...] = EVENT_COLUMNS,
    name: str = "events.csv",
) -> Path:
    path = folder / name
    frame = events_frame(rows, columns)
    if name.endswith(".parquet"):
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    return path


def engagement(path: Path | str, params: EngagementParams | None = None, **window: Any) -> Report:
    spec = SourceSpec("events", str(path))
    return run_family(
        FAMILIES["engagement"],
        {"events": spec},
        build_window(**window),
        params or EngagementParams(),
    )


def cli(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(capsys, *args: str) -> str:
    """The one-line input error (exit 2, nothing on stdout, no traceback) the command gives."""
    code, out, err = cli(capsys, *args)
    assert code == 2, err
    assert out == ""
    assert err.startswith("csmetrics: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for the servers tests start)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
