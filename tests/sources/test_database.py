"""Database sources (ingest/sources/database.py): PostgreSQL (a real server, tests/sources/
postgres.py), DuckDB and SQLite files give the same metrics as the files they were loaded from;
only the mapped columns are fetched; credentials never show; errors are one line."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from tests.helpers import cli, one_line_error
from tests.sources.postgres import PASSWORD, Server, postgres_server

pytest.importorskip("connectorx")
duckdb = pytest.importorskip("duckdb")

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
TICKETS = SAMPLE / "tickets.csv"
WINDOW = {"period": "2026-10"}


def same_metrics(ours: cm.Report, theirs: cm.Report) -> None:
    assert ours.metrics.keys() == theirs.metrics.keys()
    for key, value in theirs.metrics.items():
        if value is None:
            assert ours.metrics[key] is None, key
        else:
            assert ours.metrics[key] == pytest.approx(value, rel=1e-12), key


@pytest.fixture(scope="module")
def from_files() -> cm.Report:
    return cm.support(cm.load(tickets=TICKETS, accounts=SAMPLE / "accounts.csv"), **WINDOW)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """PostgreSQL with the sample's tickets as text (as the CSV) and its accounts typed."""
    with postgres_server() as found:
        header = pl.read_csv(TICKETS, n_rows=0).columns
        columns = ", ".join(f'"{name}" text' for name in header)
        found.psql("-c", f"CREATE TABLE tickets ({columns})")
        found.psql("-c", f"\\copy tickets FROM '{TICKETS}' CSV HEADER")
        found.psql(
            "-c", "CREATE TABLE accounts (account_id text, name text, segment text, plan text, "
            "owner text, created_at timestamptz, seats integer)",
        )  # fmt: skip
        found.psql("-c", f"\\copy accounts FROM '{SAMPLE / 'accounts.csv'}' CSV HEADER")
        yield found


@pytest.fixture
def no_password_around(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    pgpass = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    return pgpass


def test_postgres_tables_give_the_files_metrics(
    server: Server, from_files: cm.Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    inputs = cm.load(
        tickets=f"{server.uri()}?table=tickets", accounts=f"{server.uri()}?table=accounts"
    )
    same_metrics(cm.support(inputs, **WINDOW), from_files)


def test_only_the_mapped_columns_are_fetched_and_the_sql_is_logged(
    server: Server, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    server.psql("-c", "CREATE TABLE IF NOT EXISTS wide AS SELECT *, 'x' AS subject FROM tickets")
    with caplog.at_level(logging.INFO, logger="csmetrics"):
        cm.load(tickets=f"{server.uri()}?table=wide", families="support")
    (sent,) = [r.getMessage() for r in caplog.records if "SQL sent" in r.getMessage()]
    assert '"created_at"' in sent and '"subject"' not in sent  # no family reads a subject
    assert sent.endswith('FROM "wide"') and PASSWORD not in sent


def test_a_typed_time_column_is_sent_the_window(
    server: Server, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Support reads the backlog (every ticket created before the window) and nothing after
    it: for September, only the tickets created before October are fetched."""
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    server.psql("-c", "CREATE TABLE IF NOT EXISTS typed AS SELECT * FROM tickets")
    server.psql(
        "-c",
        "ALTER TABLE typed ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz",
    )
    september = {"period": "2026-09"}
    accounts = SAMPLE / "accounts.csv"
    with caplog.at_level(logging.INFO, logger="csmetrics"):
        inputs = cm.load(
            tickets=f"{server.uri()}?table=typed",
            accounts=accounts,
            families="support",
            **september,
        )
    sent = [r.getMessage() for r in caplog.records if "SQL sent" in r.getMessage()]
    bound = "WHERE \"created_at\" < CAST('2026-10-01T00:00:00+00:00' AS timestamptz)"
    assert any(m.endswith(bound) for m in sent), sent
    created = pl.read_csv(TICKETS).get_column("created_at").str.to_datetime(time_zone="UTC")
    before_october = int((created < datetime(2026, 10, 1, tzinfo=UTC)).sum())
    assert 0 < before_october < created.len()  # October's tickets are not fetched
    assert inputs.sources["tickets"].rows == before_october
    report = cm.support(inputs, **september)
    from_files = cm.support(cm.load(tickets=TICKETS, accounts=accounts), **september)
    same_metrics(report, from_files)
    # the observed range is the table's (a min/max query), not the rows fetched
    assert (
        report.sources["tickets"]["last_timestamp"]
        == from_files.sources["tickets"]["last_timestamp"]
    )


def test_a_query_and_the_config(
    server: Server, tmp_path: Path, from_files: cm.Report, no_password_around: Path
) -> None:
    # the password from a .pgpass file, as libpq reads it
    no_password_around.write_text(f"127.0.0.1:{server.port}:postgres:csm:{PASSWORD}\n")
    config = tmp_path / "csmetrics.toml"
    config.write_text(
        f'[sources.tickets]\nuri = "{server.uri()}"\n'
        "query = \"SELECT * FROM tickets WHERE created_at >= '2026-01-01'\"\n"
        f'[sources.accounts]\nuri = "{server.uri()}"\ntable = "accounts"\n'
    )
    same_metrics(cm.support(cm.load(config=config), **WINDOW), from_files)


def test_a_wrong_password_is_one_line_without_it(
    server: Server, capsys: pytest.CaptureFixture[str], no_password_around: Path
) -> None:
    uri = server.uri().replace("csm@", "csm:not-the-password@") + "?table=tickets"
    err = one_line_error(capsys, "support", "--tickets", uri)
    assert "not-the-password" not in err and "csm:***@127.0.0.1" in err


def test_a_wrong_table_and_a_missing_column_are_one_line(
    server: Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    err = one_line_error(capsys, "support", "--tickets", f"{server.uri()}?table=tix")
    assert "(table tix)" in err and "tix" in err.split("):", 1)[1]
    server.psql("-c", "CREATE TABLE IF NOT EXISTS no_created AS SELECT ticket_id FROM tickets")
    err = one_line_error(capsys, "support", "--tickets", f"{server.uri()}?table=no_created")
    assert "no_created" in err and "'created_at'" in err


def test_an_unreachable_server_is_one_line(
    capsys: pytest.CaptureFixture[str], no_password_around: Path
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once closed
    uri = f"postgresql://csm:pw@127.0.0.1:{port}/postgres?table=tickets"
    err = one_line_error(capsys, "support", "--tickets", uri)
    assert f"127.0.0.1:{port}" in err and ":pw@" not in err


@pytest.mark.parametrize("suffix", [".duckdb", ".sqlite"])
def test_database_files_give_the_files_metrics(
    tmp_path: Path, suffix: str, from_files: cm.Report
) -> None:
    path = tmp_path / f"support{suffix}"
    tickets = pl.read_csv(TICKETS, infer_schema=False)
    if suffix == ".duckdb":
        with duckdb.connect(str(path)) as connection:
            connection.sql("CREATE TABLE tickets AS SELECT * FROM tickets")
    else:
        with sqlite3.connect(path) as connection:
            header = ", ".join(f'"{c}" TEXT' for c in tickets.columns)
            connection.execute(f"CREATE TABLE tickets ({header})")
            marks = ", ".join("?" for _ in tickets.columns)
            connection.executemany(f"INSERT INTO tickets VALUES ({marks})", tickets.rows())
    inputs = cm.load(tickets=f"{path}?table=tickets", accounts=SAMPLE / "accounts.csv")
    same_metrics(cm.support(inputs, **WINDOW), from_files)


def test_a_database_without_a_table_or_query_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "support.duckdb"
    duckdb.connect(str(path)).close()
    code, _, err = cli(capsys, "support", "--tickets", str(path))
    assert code == 2 and "name a table (?table=NAME" in err


def test_pgpass_lines_match_as_libpq_reads_them(no_password_around: Path) -> None:
    from csmetrics.ingest.sources.database import pgpass_password

    no_password_around.write_text(
        "# a comment\n"
        "other:5432:*:csm:wrong\n"
        "db.internal:5432:helpdesk:csm:pa\\:ss\\\\word\n"  # pa:ss\\word, escaped
        "*:*:*:readonly:any-host\n"
    )
    assert pgpass_password("db.internal", 5432, "helpdesk", "csm") == "pa:ss\\word"
    assert pgpass_password("anywhere", 6543, "x", "readonly") == "any-host"
    assert pgpass_password("db.internal", 5433, "helpdesk", "csm") is None


def test_a_password_in_the_uri_never_reaches_the_report(
    server: Server, no_password_around: Path
) -> None:
    uri = f"{server.uri(password=True)}?table=tickets"
    report = cm.support(cm.load(tickets=uri), **WINDOW)
    assert report.sources["tickets"]["paths"] == [f"{server.uri()}?table=tickets".replace(
        "csm@", "csm:***@"
    )]  # fmt: skip
    assert PASSWORD not in report.to_json()
