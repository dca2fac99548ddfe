"""An Iceberg table as a source (ingest/sources/iceberg.py), written here through a SQL catalog
(SQLite) as a lakehouse would: read from its folder at its current snapshot or a pinned one
(PATH@SNAPSHOT, or the `version` key), the snapshot read told, a snapshot it does not have one
line; with a known window, only the data files of the window's partitions are opened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from tests.helpers import cli, one_line_error

pytest.importorskip("pyiceberg")
sql_catalog = pytest.importorskip("pyiceberg.catalog.sql")

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
OCTOBER = {"period": "2026-10"}


class Table:
    def __init__(self, folder: Path, snapshots: list[int]) -> None:
        self.folder, self.snapshots = folder, snapshots


@pytest.fixture(scope="module")
def every_row() -> cm.Report:
    return cm.engagement(cm.load(events=SAMPLE / "events.csv"), **OCTOBER)


@pytest.fixture
def table(tmp_path: Path) -> Iterator[Table]:
    """The sample's events, a partition per month; snapshot 1 appends ten of May's rows again
    (the first snapshot is the sample as it is)."""
    catalog = sql_catalog.SqlCatalog(
        "lake", uri=f"sqlite:///{tmp_path}/catalog.db", warehouse=tmp_path.as_uri()
    )
    catalog.create_namespace("cs")
    events = (
        pl.read_csv(SAMPLE / "events.csv")
        .with_columns(pl.col("timestamp").str.to_datetime(time_zone="UTC"))
        .with_columns(month=pl.col("timestamp").dt.strftime("%Y-%m"))
        .to_arrow()
    )
    created = catalog.create_table("cs.events", schema=events.schema)
    with created.update_spec() as spec:
        spec.add_identity("month")
    created.append(events)
    created.append(events.slice(0, 10))
    folder = Path(created.location().removeprefix("file://"))
    yield Table(folder, [s.snapshot_id for s in created.snapshots()])
    catalog.engine.dispose()


def active_users(source: str) -> float | None:
    report = cm.engagement(cm.load(events=source), period="2026-05")
    return report.metrics["engagement.events"]


def test_the_current_snapshot_gives_the_files_metrics(table: Table, every_row: cm.Report) -> None:
    report = cm.engagement(cm.load(events=str(table.folder)), **OCTOBER)
    assert report.metrics == every_row.metrics


def test_a_pinned_snapshot_reads_that_snapshot(table: Table) -> None:
    # May's events: the first snapshot holds them once; the second ten of them again (with
    # the same event ids, so deduplication drops them: read, then counted as repeats)
    first = cm.load(events=f"{table.folder}@{table.snapshots[0]}")
    latest = cm.load(events=str(table.folder))
    assert latest.sources["events"].rows == first.sources["events"].rows + 10


def test_the_config_pins_a_snapshot(table: Table, tmp_path: Path) -> None:
    config = tmp_path / "csmetrics.toml"
    config.write_text(
        f'[sources.events]\npath = "{table.folder}"\nversion = {table.snapshots[0]}\n'
    )
    pinned = cm.load(config=config)
    assert (
        pinned.sources["events"].rows
        == cm.load(events=SAMPLE / "events.csv").sources["events"].rows
    )


def test_the_snapshot_read_is_told(table: Table, capsys: pytest.CaptureFixture[str]) -> None:
    first, latest = table.snapshots
    code, out, err = cli(
        capsys, "validate", "--events", f"{table.folder}@{first}", "--format", "json"
    )
    assert code == 0, err
    # the first snapshot: one file per month of the six
    assert f"Iceberg table {table.folder}, snapshot {first} (latest {latest}), 6 files" in out


def test_a_snapshot_that_does_not_exist_is_one_line(
    table: Table, capsys: pytest.CaptureFixture[str]
) -> None:
    err = one_line_error(capsys, "engagement", "--events", f"{table.folder}@12345")
    assert f"{table.folder}: the Iceberg table has no snapshot 12345" in err


def test_only_the_window_s_partitions_are_opened(table: Table, every_row: cm.Report) -> None:
    # October and the 29 days before it: the files of May to August are never opened
    for month in ("2026-05", "2026-06", "2026-07", "2026-08"):
        for file in (table.folder / "data" / f"month={month}").glob("*.parquet"):
            file.write_bytes(b"not parquet")
    inputs = cm.load(events=str(table.folder), families="engagement", **OCTOBER)
    report = cm.engagement(inputs, **OCTOBER)
    assert report.metrics == every_row.metrics
    # six months' files and May's second one: September's and October's are read
    assert any("the Iceberg table (2 of 7 files)" in w.message for w in report.warnings)
    assert (
        report.sources["events"]["first_timestamp"]
        == every_row.sources["events"]["first_timestamp"]
    )


def test_a_spark_session_without_iceberg_says_so(
    table: Table, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyspark")
    err = one_line_error(capsys, "engagement", "--events", str(table.folder), "--engine", "spark")
    assert "an Iceberg table, which this Spark session cannot read" in err
