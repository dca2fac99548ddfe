"""Only the rows a run needs are read from where the data lives (ingest/sources/pushdown.py):
from a Delta table, only the files whose statistics overlap the window and its look-back are
opened (the others are overwritten with garbage here, so opening one would fail); a database
is sent a WHERE clause. The metrics equal those from every row; the data's observed range is the
whole table's; computing another window on what was read warns."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from tests.helpers import cli

deltalake = pytest.importorskip("deltalake")
duckdb = pytest.importorskip("duckdb")

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
OCTOBER = {"period": "2026-10"}


def sample_events() -> pl.DataFrame:
    return pl.read_csv(SAMPLE / "events.csv").with_columns(
        pl.col("timestamp").str.to_datetime(time_zone="UTC")
    )


@pytest.fixture(scope="module")
def every_row() -> cm.Report:
    return cm.engagement(cm.load(events=SAMPLE / "events.csv"), **OCTOBER)


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """The sample's events (May to October) as a Delta table, a file per month."""
    path = tmp_path / "events"
    events = sample_events().with_columns(month=pl.col("timestamp").dt.strftime("%Y-%m"))
    deltalake.write_deltalake(path, events.to_arrow(), partition_by=["month"])
    return path


def spoil(table: Path, months: list[str]) -> None:
    for month in months:
        for file in (table / f"month={month}").glob("*.parquet"):
            file.write_bytes(b"not parquet")


def test_only_the_files_of_the_window_and_its_look_back_are_opened(
    table: Path, every_row: cm.Report
) -> None:
    # October and the 29 days before it (engagement's MAU30): September's and October's files
    spoil(table, ["2026-05", "2026-06", "2026-07", "2026-08"])
    report = cm.engagement(cm.load(events=str(table), families="engagement", **OCTOBER), **OCTOBER)
    assert report.metrics == every_row.metrics
    messages = [w.message for w in report.warnings]
    assert any("were read from the Delta table (2 of 6 files)" in m for m in messages)
    # the observed range is the table's, not the rows read: May 1 to Oct 31
    source = report.sources["events"]
    assert source["first_timestamp"] == every_row.sources["events"]["first_timestamp"]
    assert source["last_timestamp"] == every_row.sources["events"]["last_timestamp"]
    assert len(source["paths"]) == 2


def test_without_a_known_window_every_file_is_read(table: Path) -> None:
    spoil(table, ["2026-05"])
    with pytest.raises(cm.InputError, match="events"):
        cm.load(events=str(table))  # no window: every file, and one is broken


def test_the_command_line_asks_for_the_window_s_rows(
    table: Path, every_row: cm.Report, capsys: pytest.CaptureFixture[str]
) -> None:
    spoil(table, ["2026-05", "2026-06", "2026-07"])
    code, out, err = cli(
        capsys, "engagement", "--events", str(table), "--period", "2026-10", "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)["metrics"] == json.loads(every_row.to_json())["metrics"]


def test_another_window_on_the_rows_read_warns(table: Path) -> None:
    inputs = cm.load(events=str(table), families="engagement", **OCTOBER)
    report = cm.engagement(inputs, period="2026-07")
    assert report.warnings[0].code == "rows_not_read"


def test_a_duckdb_table_is_sent_the_window(
    tmp_path: Path, every_row: cm.Report, caplog: pytest.LogCaptureFixture
) -> None:
    """Naive timestamps (DuckDB's TIMESTAMP) are local times of the source's zone."""
    path = tmp_path / "events.duckdb"
    events = sample_events().with_columns(pl.col("timestamp").dt.replace_time_zone(None))
    with duckdb.connect(str(path)) as connection:
        connection.sql("CREATE TABLE events AS SELECT * FROM events")
    with caplog.at_level(logging.INFO, logger="csmetrics"):
        inputs = cm.load(events=f"{path}?table=events", families="engagement", **OCTOBER)
    sent = [r.getMessage() for r in caplog.records if "SQL sent" in r.getMessage()]
    assert any(
        "WHERE \"timestamp\" >= CAST('2026-09-02T00:00:00' AS timestamp) "
        "AND \"timestamp\" < CAST('2026-11-01T00:00:00' AS timestamp)" in m
        for m in sent
    ), sent
    # May to August are not fetched: 49,472 rows in all, 20,276 from Sep 2 on
    assert (
        inputs.sources["events"].rows
        == events.filter(pl.col("timestamp") >= pl.datetime(2026, 9, 2)).height
    )
    assert cm.engagement(inputs, **OCTOBER).metrics == every_row.metrics


def test_a_text_time_column_is_read_whole(tmp_path: Path, every_row: cm.Report) -> None:
    """Text would compare as text: every row is read, and the numbers are the same."""
    path = tmp_path / "events.duckdb"
    events = pl.read_csv(SAMPLE / "events.csv")
    with duckdb.connect(str(path)) as connection:
        connection.sql("CREATE TABLE events AS SELECT * FROM events")
    inputs = cm.load(events=f"{path}?table=events", families="engagement", **OCTOBER)
    assert inputs.sources["events"].rows == events.height
    assert inputs.sources["events"].read_span is None
    assert cm.engagement(inputs, **OCTOBER).metrics == every_row.metrics
