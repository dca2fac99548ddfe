"""The command line: output formats, exit codes, one-line input errors, config precedence."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from csmetrics.cli import app
from tests.helpers import cli, write_events

ROWS = [
    ("2026-11-02T09:00:00Z", "u1", "login", '=HYPERLINK("x")'),
    ("2026-11-02T09:10:00Z", "u2", "report", "a2"),
    ("2026-11-03T10:00:00Z", "u1", "login", '=HYPERLINK("x")'),
]


@pytest.fixture
def events(tmp_path: Path) -> Path:
    return write_events(tmp_path, ROWS)


def test_table_output_is_plain_without_terminal(capsys, events: Path) -> None:
    code, out, err = cli(capsys, "engagement", "--events", str(events))
    assert code == 0
    assert "Daily active users (mean)" in out and "feature_adoption" in out
    assert "\x1b[" not in out  # no colour codes when not a terminal
    # one day of data, both days partial: messages for people go to stderr only
    assert "warning: engagement.dau_mean: no complete day" in err and "warning" not in out


def test_json_output_follows_schema(capsys, events: Path) -> None:
    code, out, _ = cli(
        capsys,
        "engagement",
        "--events",
        str(events),
        "--format",
        "json",
        "--since",
        "2026-11-02",
        "--until",
        "2026-11-04",
    )
    assert code == 0
    report = json.loads(out)
    assert report["schema_version"] == 1 and report["family"] == "engagement"
    assert report["window"] == {
        "since": "2026-11-02T00:00:00Z",
        "until": "2026-11-04T00:00:00Z",
        "timezone": "UTC",
        "grain": "day",
        "label": "2026-11-02_2026-11-03",
    }
    assert report["metrics"]["engagement.wau"] == 2
    assert report["sources"]["events"]["rows"] == 3
    assert report["tables"]["activity"][0]["bucket"] == "2026-11-02"
    assert report["parameters"]["session_gap_minutes"] == 30


def test_json_to_file_and_markdown(capsys, events: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    assert (
        cli(
            capsys,
            "engagement",
            "--events",
            str(events),
            "--format",
            "json",
            "--output",
            str(target),
        )[0]
        == 0
    )
    assert json.loads(target.read_text())["family"] == "engagement"
    code, out, _ = cli(capsys, "engagement", "--events", str(events), "--format", "markdown")
    assert code == 0 and out.startswith("# engagement") and "| metric | value | unit |" in out


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_table_folders(capsys, events: Path, tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "tables"
    code, _, _ = cli(
        capsys, "engagement", "--events", str(events), "--format", fmt, "--output", str(folder)
    )
    assert code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        f"engagement.{t}.{fmt}"
        for t in (
            "metrics",
            "activity",
            "active_days_distribution",
            "feature_adoption",
            "account_activity",
        )
    )
    metrics = (
        pl.read_csv(folder / "engagement.metrics.csv")
        if fmt == "csv"
        else pl.read_parquet(folder / "engagement.metrics.parquet")
    )
    assert metrics.columns == ["id", "value", "unit"]


def test_csv_cells_are_formula_safe(capsys, events: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    cli(capsys, "engagement", "--events", str(events), "--format", "csv", "--output", str(folder))
    text = (folder / "engagement.account_activity.csv").read_text()
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text


def test_csv_needs_an_output_folder(capsys, events: Path) -> None:
    code, out, err = cli(capsys, "engagement", "--events", str(events), "--format", "csv")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "--output DIR" in err


def _one_line_error(capsys, *args: str) -> str:
    code, out, err = cli(capsys, *args)
    assert code == 2, err
    assert out == ""
    assert err.startswith("csmetrics: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_missing_path(capsys, tmp_path: Path) -> None:
    err = _one_line_error(capsys, "engagement", "--events", str(tmp_path / "nope.csv"))
    assert "nope.csv" in err


def test_glob_matching_nothing(capsys, tmp_path: Path) -> None:
    err = _one_line_error(capsys, "engagement", "--events", str(tmp_path / "*.parquet"))
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
    err = _one_line_error(capsys, "engagement", "--events", str(path))
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
    err = _one_line_error(capsys, "engagement", "--events", str(path))
    assert "events.xlsx" in err and "--format-in" in err


def test_file_of_another_format(capsys, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    path.write_text("timestamp,user_id,event\n2026-11-02,u1,login\n")
    err = _one_line_error(capsys, "engagement", "--events", str(path))
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
    assert "--period" in _one_line_error(
        capsys, "engagement", "--events", str(events), "--period", "fortnight"
    )
    assert "--timezone" in _one_line_error(
        capsys, "engagement", "--events", str(events), "--timezone", "Mars/Base"
    )
    assert "--session-gap" in _one_line_error(
        capsys, "engagement", "--events", str(events), "--session-gap", "soon"
    )
    assert "--map" in _one_line_error(
        capsys, "engagement", "--events", str(events), "--map", "user_id"
    )


def test_no_events_source(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert "--events" in _one_line_error(capsys, "engagement")


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


def test_config_precedence_and_relative_paths(
    capsys, tmp_path: Path, events: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "csmetrics.toml").write_text(
        f'period = "2026-11"\n[sources.events]\npath = "{events.name}"\n[engagement]\nsession_gap = "1m"\n'
    )
    monkeypatch.chdir(tmp_path / "..")
    code, out, _ = cli(
        capsys, "engagement", "--config", str(tmp_path / "csmetrics.toml"), "--format", "json"
    )
    report = json.loads(out)
    assert code == 0 and report["window"]["label"] == "2026-11"
    assert report["parameters"]["session_gap_minutes"] == 1
    code, out, _ = cli(
        capsys,
        "engagement",
        "--config",
        str(tmp_path / "csmetrics.toml"),
        "--format",
        "json",
        "--session-gap",
        "2h",
        "--since",
        "2026-11-02",
        "--until",
        "2026-11-03",
    )
    report = json.loads(out)
    assert (
        report["parameters"]["session_gap_minutes"] == 120
        and report["window"]["until"] == "2026-11-03T00:00:00Z"
    )


def test_unknown_config_key(capsys, tmp_path: Path) -> None:
    (tmp_path / "csmetrics.toml").write_text('timezon = "UTC"\n')
    err = _one_line_error(capsys, "engagement", "--config", str(tmp_path / "csmetrics.toml"))
    assert "csmetrics.toml" in err and "'timezon'" in err


def test_validate_profiles_sources(capsys) -> None:
    code, out, _ = cli(
        capsys, "validate", "--config", "sample_data/csmetrics.toml", "--format", "json"
    )
    assert code == 0
    profiles = {p["source"]: p for p in json.loads(out)}
    assert set(profiles) == {"events", "tickets", "billing", "surveys", "accounts"}
    assert profiles["events"]["rows"] > profiles["events"]["rows_used"]  # duplicates dropped
    assert (
        profiles["events"]["duplicates"]
        == profiles["events"]["rows"] - profiles["events"]["rows_used"]
    )


def test_metrics_catalogue(capsys) -> None:
    code, out, _ = cli(capsys, "metrics", "--family", "engagement", "--format", "json")
    assert code == 0
    ids = [m["id"] for m in json.loads(out)]
    assert "engagement.stickiness" in ids and all(i.startswith("engagement.") for i in ids)
    assert _one_line_error(capsys, "metrics", "--family", "nope")


def test_docs_page_matches_registry(capsys) -> None:
    code, out, _ = cli(capsys, "metrics", "--format", "markdown")
    assert code == 0
    assert Path("docs/metrics.md").read_text() == out, "docs/metrics.md is stale: run make docs"


def test_every_command_has_help_with_an_example(capsys) -> None:
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        code, out, _ = cli(capsys, name, "--help")
        assert code == 0
        assert command.callback.__doc__, name  # type: ignore[union-attr]
        assert "Example: csmetrics" in out, name


def test_version(capsys) -> None:
    code, out, _ = cli(capsys, "--version")
    assert code == 0 and out.strip() == "csmetrics 0.1.0"


def test_sample_is_deterministic(capsys, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert (
            cli(
                capsys,
                "sample",
                "--output-dir",
                str(tmp_path / name),
                "--accounts",
                "5",
                "--months",
                "2",
                "--seed",
                "3",
            )[0]
            == 0
        )
    for file in ("accounts.csv", "events.csv", "tickets.csv", "billing.csv", "surveys.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file


def test_init_writes_a_config_that_parses(capsys, tmp_path: Path) -> None:
    target = tmp_path / "csmetrics.toml"
    assert cli(capsys, "init", "--output", str(target))[0] == 0
    from csmetrics.config import load_config

    assert load_config(target).sources["events"]["path"] == (tmp_path / "events.csv").as_posix()
    assert "already exists" in _one_line_error(capsys, "init", "--output", str(target))


def test_colour_only_when_forced_and_never_with_no_color(capsys, events: Path, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")  # what a terminal looks like to Rich
    _, coloured, _ = cli(capsys, "engagement", "--events", str(events))
    assert "\x1b[" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = cli(capsys, "engagement", "--events", str(events))
    assert "\x1b[" not in plain


def test_internal_error_exit_3_with_hint(capsys, events: Path, monkeypatch) -> None:
    import csmetrics.runner

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(csmetrics.runner, "run_family", broken)
    code, out, err = cli(capsys, "engagement", "--events", str(events))
    assert code == 3 and out == ""
    assert "internal error: RuntimeError: boom" in err and "--verbose" in err
    assert "Traceback" not in err
    code, _, err = cli(capsys, "engagement", "--events", str(events), "--verbose")
    assert code == 3 and "Traceback" in err


def test_python_dash_m(events: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "csmetrics",
            "engagement",
            "--events",
            str(events),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and json.loads(done.stdout)["family"] == "engagement"


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_piping_into_head_exits_quietly(tmp_path: Path, fmt: str) -> None:
    # 4,000 accounts make the report far larger than a pipe's 64 KiB buffer, so `head -1`
    # closes the pipe while csmetrics is still writing
    rows = [f"2026-11-02T10:00:00Z,u{i},login,account-{i:05d}" for i in range(4000)]
    events = tmp_path / "events.csv"
    events.write_text("timestamp,user_id,event,account_id\n" + "\n".join(rows) + "\n")
    command = (
        f"{sys.executable} -m csmetrics engagement --events {events} --format {fmt} --quiet"
        " | head -1;"
        " exit ${PIPESTATUS[0]}"
    )
    done = subprocess.run(
        command, shell=True, executable="/bin/bash", capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""


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
