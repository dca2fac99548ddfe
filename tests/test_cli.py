"""The command line: output formats, exit codes, one-line input errors, config precedence."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from csmetrics.cli import app
from tests.helpers import cli, one_line_error, write_events

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
    assert code == 0 and out.startswith("# engagement") and "| metric | value |" in out


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


def test_csv_without_output_prints_the_metrics_and_names_the_tables_left_out(
    capsys, events: Path
) -> None:
    code, out, err = cli(capsys, "engagement", "--events", str(events), "--format", "csv")
    assert code == 0
    metrics = pl.read_csv(out.encode())
    assert metrics.columns == ["id", "value", "unit"]
    assert "engagement.dau_mean" in metrics["id"].to_list()
    assert "tables not written (activity" in err and "--output FILE.csv" in err


def test_parquet_without_output_is_refused_in_one_line(capsys, events: Path) -> None:
    code, out, err = cli(capsys, "engagement", "--events", str(events), "--format", "parquet")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "--output PATH" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_output_file_holds_the_metrics_and_the_tables_go_beside_it(
    capsys, events: Path, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"out.{fmt}"
    code, _, err = cli(
        capsys, "engagement", "--events", str(events), "--format", fmt, "--output", str(target)
    )
    assert code == 0 and target.is_file()
    read = pl.read_csv if fmt == "csv" else pl.read_parquet
    assert read(target).columns == ["id", "value", "unit"]
    assert read(tmp_path / f"out.activity.{fmt}").height > 0
    assert not (tmp_path / f"out.{fmt}").is_dir()
    assert f"out.activity.{fmt}" in err


def test_output_path_ending_in_slash_is_a_folder_even_with_a_dot(
    capsys, events: Path, tmp_path: Path
) -> None:
    folder = f"{tmp_path}/tables.v2/"
    code, _, _ = cli(
        capsys, "engagement", "--events", str(events), "--format", "csv", "--output", folder
    )
    assert code == 0
    assert (tmp_path / "tables.v2" / "engagement.metrics.csv").is_file()


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
    err = one_line_error(capsys, "engagement", "--config", str(tmp_path / "csmetrics.toml"))
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
    assert one_line_error(capsys, "metrics", "--family", "nope")


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


def test_help_shows_placeholders_not_python_types(capsys) -> None:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    for name in ["", *names]:
        code, out, _ = cli(capsys, *([name] if name else []), "--help")
        assert code == 0
        # Typer's own labels: <str>, <bool>, <path>, <list[str]>, <int>
        assert not re.search(r"<(str|bool|path|int|float|list\[\w+\])>", out), (name, out)
    code, out, _ = cli(capsys, "retention", "--help")
    assert "--cohort-grain" in out and "day|week|month" in out  # a choice lists its words
    assert re.search(r"--since\s+DATE", out) and re.search(r"--events\s+PATH", out)
    assert re.search(r"--quiet\s+Errors only", out)  # a flag takes no value: no placeholder
    code, out, _ = cli(capsys, "engagement", "--help")
    assert re.search(r"--session-gap\s+DURATION", out)


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
    from csmetrics.ingest.config import load_config

    assert load_config(target).sources["events"]["path"] == (tmp_path / "events.csv").as_posix()
    assert "already exists" in one_line_error(capsys, "init", "--output", str(target))


def test_colour_only_when_forced_and_never_with_no_color(capsys, events: Path, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")  # what a terminal looks like to Rich
    _, coloured, _ = cli(capsys, "engagement", "--events", str(events))
    assert "\x1b[" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = cli(capsys, "engagement", "--events", str(events))
    assert "\x1b[" not in plain


def test_internal_error_exit_3_with_hint(capsys, events: Path, monkeypatch) -> None:
    import csmetrics.api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(csmetrics.api, "compute_family", broken)
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


def test_text_from_the_data_is_never_read_as_terminal_markup(capsys, tmp_path: Path) -> None:
    rows = [
        ("2026-11-02T10:00:00Z", "u1", "[bold]signup[/bold]", "[acme]"),
        ("2026-11-02T11:00:00Z", "u2", "login", "[acme]"),
    ]
    path = write_events(tmp_path, rows)
    code, out, err = cli(capsys, "engagement", "--events", str(path), "--inactive-event", "[red]x")
    assert code == 0
    assert "[bold]signup[/bold]" in out and "[acme]" in out  # shown as written
    assert "[red]x" in err  # the unknown name's warning, not a colour tag
    code, out, _ = cli(capsys, "validate", "--events", str(path))
    assert code == 0 and str(path) in out


def test_help_texts_keep_their_brackets(capsys) -> None:
    code, out, _ = cli(capsys, "check", "--help")
    assert code == 0 and "[[checks]]" in out
