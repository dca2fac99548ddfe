"""The command line on bad and unusual input: one-line errors (exit 2) naming the file, the
column and what was expected; formats, encodings and compression; validate's profile."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from tests.helpers import cli, one_line_error, write_events

ROWS = [
    ("2026-11-02T09:00:00Z", "u1", "login", "a1"),
    ("2026-11-02T09:10:00Z", "u2", "report", "a2"),
]


@pytest.fixture
def events(tmp_path: Path) -> Path:
    return write_events(tmp_path, ROWS)


def test_missing_path(capsys, tmp_path: Path) -> None:
    err = one_line_error(capsys, "engagement", "--events", str(tmp_path / "nope.csv"))
    assert "nope.csv" in err


def test_glob_matching_nothing(capsys, tmp_path: Path) -> None:
    err = one_line_error(capsys, "engagement", "--events", str(tmp_path / "*.parquet"))
    assert "matches no data file" in err


BAD_CSV = {
    "missing required column": (
        "timestamp,who,event\n2026-11-02,u1,login\n",
        ["'user_id'", "--map events.user_id=HEADER"],
    ),
    "unparseable timestamp": (
        "timestamp,user_id,event\n2026-11-02T10:00:00Z,u1,login\nyesterday,u2,login\n",
        ["'timestamp'", "'yesterday'", "ISO 8601"],
    ),
    "ambiguous day/month": (
        "timestamp,user_id,event\n08-04-2023 20:52,u1,login\n",
        ["08-04-2023 20:52", "formats"],
    ),
    "empty file": ("", ["header"]),
}


@pytest.mark.parametrize("case", list(BAD_CSV))
def test_bad_csv_names_file_column_and_expectation(capsys, tmp_path: Path, case: str) -> None:
    text, expected = BAD_CSV[case]
    path = tmp_path / "ev.csv"
    path.write_text(text)
    err = one_line_error(capsys, "engagement", "--events", str(path))
    for fragment in ["ev.csv", *expected]:
        assert fragment in err


def test_map_option_names_the_header(capsys, tmp_path: Path) -> None:
    path = tmp_path / "ev.csv"
    path.write_text("Time;User ID;Event\n2026-11-02T10:00:00Z;00123;login\n")
    code, out, _ = cli(
        capsys,
        "engagement",
        "--events",
        str(path),
        "--map",
        "events.user_id=User ID",
        "--map",
        "events.timestamp=Time",
        "--map",
        "events.event=Event",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["metrics"]["engagement.wau"] == 1


def test_format_from_config_reads_day_first(capsys, tmp_path: Path) -> None:
    (tmp_path / "ev.csv").write_text("timestamp,user_id,event\n08-04-2023 20:52,u1,login\n")
    (tmp_path / "csmetrics.toml").write_text(
        '[sources.events]\npath = "ev.csv"\nformats = { timestamp = "%d-%m-%Y %H:%M" }\n'
    )
    code, out, _ = cli(
        capsys, "engagement", "--config", str(tmp_path / "csmetrics.toml"), "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["sources"]["events"]["first_timestamp"] == "2023-04-08T20:52:00Z"


def test_unknown_extension(capsys, tmp_path: Path) -> None:
    path = tmp_path / "events.xlsx"
    path.write_bytes(b"PK\x03\x04")
    err = one_line_error(capsys, "engagement", "--events", str(path))
    assert "events.xlsx" in err and "--format-in" in err


def test_file_of_another_format(capsys, tmp_path: Path) -> None:
    # CSV text saved as .parquet is read by what its first bytes are (issue 20, item 13)
    path = tmp_path / "events.parquet"
    path.write_text("timestamp,user_id,event\n2026-11-02,u1,login\n")
    code, out, _ = cli(capsys, "engagement", "--events", str(path), "--format", "json")
    assert code == 0 and '"engagement.active_users": 1' in out
    # bytes that are neither Parquet nor text stay a one-line error naming the file
    path.write_bytes(b"\x00\x01\x02garbage")
    err = one_line_error(capsys, "engagement", "--events", str(path))
    assert "events.parquet" in err and "parquet" in err


def test_not_utf8_without_encoding(capsys, tmp_path: Path) -> None:
    # a spreadsheet's Latin-1/Windows-1252 file is detected and read, with a note that says so
    path = tmp_path / "ev.csv"
    path.write_bytes("timestamp,user_id,event\n2026-11-02,Jos\xe9,login\n".encode("latin-1"))
    code, _, err = cli(capsys, "engagement", "--events", str(path))
    assert code == 0
    assert "ev.csv" in err and "Windows-1252" in err and "--encoding" in err
    code, _, err = cli(capsys, "engagement", "--events", str(path), "--encoding", "latin-1")
    assert code == 0 and "Windows-1252" not in err


def test_bad_option_values(capsys, events: Path) -> None:
    assert "--period" in one_line_error(
        capsys, "engagement", "--events", str(events), "--period", "fortnight"
    )
    assert "--timezone" in one_line_error(
        capsys, "engagement", "--events", str(events), "--timezone", "Mars/Base"
    )
    assert "--session-gap" in one_line_error(
        capsys, "engagement", "--events", str(events), "--session-gap", "soon"
    )
    assert "--map" in one_line_error(
        capsys, "engagement", "--events", str(events), "--map", "user_id"
    )


def test_no_events_source(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert "--events" in one_line_error(capsys, "engagement")


def test_required_value_missing_drops_rows_with_warning(capsys, tmp_path: Path) -> None:
    path = tmp_path / "ev.csv"
    path.write_text(
        "timestamp,user_id,event\n2026-11-02T10:00:00Z,u1,login\n2026-11-02T11:00:00Z,,login\n"
    )
    code, out, err = cli(capsys, "engagement", "--events", str(path), "--format", "json")
    assert code == 0
    assert "1 rows without user_id" in err
    assert any(w["code"] == "missing_value" for w in json.loads(out)["warnings"])


def test_quiet_silences_warnings(capsys, tmp_path: Path) -> None:
    path = tmp_path / "ev.csv"
    path.write_text(
        "timestamp,user_id,event\n2026-11-02T10:00:00Z,u1,login\n2026-11-02T11:00:00Z,,login\n"
    )
    code, _, err = cli(capsys, "engagement", "--events", str(path), "--quiet")
    assert code == 0 and err == ""


def test_gzipped_csv_and_ndjson(capsys, tmp_path: Path) -> None:
    (tmp_path / "ev.csv.gz").write_bytes(
        gzip.compress(b"timestamp,user_id,event\n2026-11-02T10:00:00Z,u1,login\n")
    )
    lines = (
        b'{"event":"login","properties":{"distinct_id":"u1","time":1762077600,"$insert_id":"x1"}}\n'
    )
    (tmp_path / "mixpanel.json.gz").write_bytes(gzip.compress(lines + lines))
    assert cli(capsys, "engagement", "--events", str(tmp_path / "ev.csv.gz"))[0] == 0
    code, out, err = cli(
        capsys,
        "engagement",
        "--events",
        str(tmp_path / "mixpanel.json.gz"),
        "--preset",
        "events=mixpanel",
        "--format",
        "json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["sources"]["events"]["first_timestamp"] == "2025-11-02T10:00:00Z"
    assert any(w["code"] == "duplicate_rows" for w in report["warnings"])


def test_validate_shows_preset_fallback_headers_and_dedup(capsys, tmp_path: Path) -> None:
    path = tmp_path / "amplitude.csv"
    path.write_text(
        "user_id,device_id,event_type,event_time,session_id,uuid\n"
        ",d1,a,2026-10-02 10:00:00,-1,x1\n"
        "u2,d2,a,2026-10-02 11:00:00,1762074900000,x2\n"
        "u2,d2,a,2026-10-02 11:00:00,1762074900000,x2\n"
    )
    code, out, _ = cli(capsys, "validate", "--events", str(path))
    assert code == 0
    assert "read with the amplitude preset" in out
    assert "user_id, then device_id" in out  # the fallback header for a missing user_id
    assert "duplicates found by event_id: 1 rows removed" in out


def test_spark_engine_without_pyspark_says_how_to_install(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now fails
    path = write_events(tmp_path, [("2026-11-02T09:00:00Z", "u1", "login", "a1")])
    err = one_line_error(capsys, "engagement", "--events", str(path), "--engine", "spark")
    assert "pip install 'csmetrics[spark]'" in err
