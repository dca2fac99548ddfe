"""A Delta Lake table as a source (ingest/sources/lake.py): read as the table's files at a
version, never as the folder's every Parquet file; a version pinned with PATH@VERSION; the version
read told; a version that does not exist is one line and exit 2."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from tests.helpers import cli, one_line_error

deltalake = pytest.importorskip("deltalake")

ROWS = pl.DataFrame(
    {
        "timestamp": [f"2026-10-{d:02d}T10:00:00Z" for d in (1, 2, 3, 4)],
        "user_id": ["u1", "u2", "u3", "u4"],
        "event": ["login"] * 4,
        "month": ["2026-10"] * 4,
    }
)
WINDOW = {"since": "2026-10-01", "until": "2026-11-01"}


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """Version 0: u1, u2; version 1 appends u3; version 2 overwrites with u1-u4, so the folder
    still holds version 0's and 1's files, which a plain Parquet read would count again."""
    path = tmp_path / "events"
    deltalake.write_deltalake(path, ROWS.head(2).to_arrow(), partition_by=["month"])
    deltalake.write_deltalake(path, ROWS[2:3].to_arrow(), mode="append", partition_by=["month"])
    deltalake.write_deltalake(path, ROWS.to_arrow(), mode="overwrite", partition_by=["month"])
    return path


def active_users(source: str | Path) -> float | None:
    return cm.engagement(cm.load(events=str(source)), **WINDOW).metrics["engagement.active_users"]


def test_the_latest_version_reads_only_its_files(table: Path) -> None:
    on_disk = list(table.rglob("*.parquet"))
    assert len(on_disk) == 3  # versions 0, 1 and 2 each left a file
    # u1-u4 once each (the folder read as Parquet would find 2 + 1 + 4 = 7 rows)
    assert active_users(table) == 4
    inputs = cm.load(events=str(table))
    assert inputs["events"].height == 4


def test_a_pinned_version_reads_that_version(table: Path) -> None:
    assert active_users(f"{table}@0") == 2  # u1, u2
    assert active_users(f"{table}@1") == 3  # u1, u2, u3


def test_the_version_read_is_told(table: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "validate", "--events", f"{table}@1")
    assert code == 0, err
    # version 1: version 0's file and the one version 1 appended
    assert f"Delta table {table}, version 1 (latest 2), 2 files" in out


def test_a_version_that_does_not_exist_is_one_line(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = one_line_error(capsys, "engagement", "--events", f"{table}@9")
    assert f"{table}: the Delta table has no version 9 (versions 0 to 2)" in err


def test_the_same_numbers_as_the_parquet_file(table: Path, tmp_path: Path) -> None:
    parquet = tmp_path / "events.parquet"
    ROWS.write_parquet(parquet)
    ours = cm.engagement(cm.load(events=str(table)), **WINDOW)
    theirs = cm.engagement(cm.load(events=parquet), **WINDOW)
    assert ours.metrics == theirs.metrics


def test_a_spark_session_without_delta_says_so(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyspark")
    err = one_line_error(capsys, "engagement", "--events", str(table), "--engine", "spark")
    assert "a Delta table, which this Spark session cannot read" in err


def test_the_config_pins_a_version(table: Path, tmp_path: Path) -> None:
    config = tmp_path / "csmetrics.toml"
    config.write_text(f'[sources.events]\npath = "{table}"\nversion = 0\n')
    report = cm.engagement(cm.load(config=config), **WINDOW)
    assert report.metrics["engagement.active_users"] == 2  # u1, u2
