"""`report` and `check`: the bundle and its atomic write, period-over-period values, every
threshold kind, JUnit, GitHub Actions output, exit codes, and the `init` round trip."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.results.checks import Check, evaluate, exit_code
from tests.helpers import cli

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"

# Two ISO weeks: W46 (11-09..11-16) is the window, W45 (11-02..11-09) the previous one.
EVENTS = pl.DataFrame(
    {
        "timestamp": [
            "2026-11-02T10:00:00Z",  # W45: u1, u2
            "2026-11-03T10:00:00Z",
            "2026-11-10T10:00:00Z",  # W46: u1, u2, u3
            "2026-11-11T10:00:00Z",
            "2026-11-12T10:00:00Z",
            "2026-11-17T10:00:00Z",  # after the window
        ],
        "user_id": ["u1", "u2", "u1", "u2", "u3", "u1"],
        "event": ["login"] * 6,
    }
)


def test_previous_window_values_by_hand() -> None:
    bundle = cm.report(cm.load(events=EVENTS), period="2026-W46")
    value, previous = bundle.value("engagement.active_users")
    assert (value, previous) == (3, 2)  # W46: u1, u2, u3; W45: u1, u2
    assert bundle.label == "2026-W46"
    assert set(bundle.current) == {"onboarding", "engagement", "retention"}  # events only


def test_bundle_files(tmp_path: Path) -> None:
    bundle = cm.report(cm.load(events=EVENTS), period="2026-W46")
    folder = bundle.write(tmp_path)
    assert folder == tmp_path / "2026-W46"
    data = json.loads((folder / "report.json").read_text())
    engagement = data["families"]["engagement"]
    assert engagement["metrics"]["engagement.active_users"] == 3
    assert engagement["previous"]["engagement.active_users"] == 2
    assert "activity" in engagement["tables"]
    assert data["previous_window"]["since"] == "2026-11-02T00:00:00Z"
    assert (
        "| Active users in the window | 3 | 2 | +50.0% ▲ better |"
        in (folder / "report.md").read_text()
    )
    assert pl.read_parquet(folder / "engagement.activity.parquet").height == 7


def test_a_killed_write_leaves_the_old_bundle_intact(tmp_path: Path, monkeypatch) -> None:
    bundle = cm.report(cm.load(events=EVENTS), period="2026-W46")
    folder = bundle.write(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    calls = {"n": 0}
    original = pl.DataFrame.write_parquet

    def dies_midway(self, *args, **kwargs):  # the process "dies" after two tables
        calls["n"] += 1
        if calls["n"] > 2:
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "write_parquet", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        bundle.write(tmp_path)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["2026-W46"]  # no half-written folder left


def test_a_reader_never_finds_the_bundle_missing(tmp_path: Path, monkeypatch) -> None:
    # a pause between the steps of the switch, and a reader polling the path all along
    import threading
    import time

    from csmetrics.render import bundle as writer

    report = cm.report(cm.load(events=EVENTS), period="2026-W46")
    folder = report.write(tmp_path)
    original = writer._exchange
    swapped: list[bool] = []

    def slow_exchange(first: Path, second: Path) -> bool:
        time.sleep(0.05)
        swapped.append(original(first, second))
        return swapped[-1]

    monkeypatch.setattr(writer, "_exchange", slow_exchange)
    missing: list[int] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            if not (folder / "report.json").exists():
                missing.append(1)

    reader = threading.Thread(target=poll)
    reader.start()
    for _ in range(10):
        report.write(tmp_path)
    done.set()
    reader.join()
    assert missing == [] and swapped == [True] * 10  # one atomic swap per write
    assert [p.name for p in tmp_path.iterdir()] == ["2026-W46"]  # nothing hidden left


def test_the_next_run_removes_folders_of_killed_runs(tmp_path: Path) -> None:
    dead = tmp_path / ".2026-W46.tmp-999999999-abc"  # no such process
    live = tmp_path / f".2026-W46.tmp-{os.getpid()}-def"  # a run still writing
    for folder in (dead, live):
        folder.mkdir()
        (folder / "report.json").write_text("{}")
    cm.report(cm.load(events=EVENTS), period="2026-W46").write(tmp_path)
    assert not dead.exists() and live.exists()


def _check(**limits) -> Check:
    return Check("engagement.stickiness", {k: float(v) for k, v in limits.items()})


@pytest.mark.parametrize(
    ("limits", "value", "previous", "status"),
    [
        ({"min": 0.2}, 0.25, None, "pass"),
        ({"min": 0.2}, 0.15, None, "fail"),
        ({"max": 0.3}, 0.35, None, "fail"),
        ({"min": 0.1, "warn_min": 0.2}, 0.15, None, "warn"),
        ({"max": 0.5, "warn_max": 0.3}, 0.4, None, "warn"),
        ({"warn_max": 0.3}, 0.2, None, "pass"),
        ({"max_increase_pct": 10}, 0.33, 0.30, "pass"),  # +10.0% is not above 10%
        ({"max_increase_pct": 10}, 0.34, 0.30, "fail"),  # +13.3%
        ({"max_decrease_pct": 5}, 0.29, 0.30, "pass"),  # -3.3%
        ({"max_decrease_pct": 5}, 0.27, 0.30, "fail"),  # -10%
        ({"max_decrease_pct": 5}, 0.27, None, "fail"),  # nothing to compare with
        ({"min": 0.1}, None, None, "fail"),  # null fails
    ],
)
def test_threshold_kinds(limits, value, previous, status) -> None:
    assert evaluate(_check(**limits), "x", value, previous).status == status


def test_allow_missing_and_exit_codes() -> None:
    lenient = Check("engagement.stickiness", {"min": 0.1}, allow_missing=True)
    passed = evaluate(lenient, "x", None, None)
    warned = evaluate(_check(min=0.1, warn_min=0.2), "x", 0.15, None)
    failed = evaluate(_check(min=0.2), "x", 0.1, None)
    assert passed.status == "pass"
    assert exit_code([passed, warned]) == 0  # warnings allowed
    assert exit_code([passed, warned, failed]) == 1


def _config(tmp_path: Path, checks: str) -> Path:
    for name in ("events.csv", "tickets.csv", "surveys.csv"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    config = tmp_path / "csmetrics.toml"
    config.write_text(
        '[sources.events]\npath = "events.csv"\n[sources.tickets]\npath = "tickets.csv"\n'
        '[sources.surveys]\npath = "surveys.csv"\n' + checks
    )
    return config


CHECKS = """
[[checks]]
metric = "engagement.stickiness"
min = 0.9
[[checks]]
metric = "support.first_response_median_hours"
max = 100
warn_max = 1
[[checks]]
metric = "support.tickets_created_count"
by = "channel"
min = 1
[[checks]]
metric = "voice.nps"
min = -100
"""


def test_check_command_fails_with_junit_and_json(capsys, tmp_path: Path) -> None:
    config = _config(tmp_path, CHECKS)
    junit = tmp_path / "checks.xml"
    code, out, _ = cli(
        capsys, "check", "--config", str(config), "--period", "2026-10", "--format", "json",
        "--junit", str(junit),
    )  # fmt: skip
    assert code == 1  # stickiness ~0.27 < 0.9
    result = json.loads(out)
    statuses = {c["check"]: c["status"] for c in result["checks"]}
    assert statuses["engagement.stickiness"] == "fail"
    assert statuses["support.first_response_median_hours"] == "warn"
    assert statuses["support.tickets_created_count [channel=email]"] in ("pass", "fail")
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and int(suite.get("tests", "0")) == len(result["checks"])
    assert int(suite.get("failures", "0")) == result["failed"] >= 1


def test_check_inside_github_actions(capsys, tmp_path: Path, monkeypatch) -> None:
    config = _config(tmp_path, CHECKS)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = cli(capsys, "check", "--config", str(config), "--period", "2026-10")
    assert code == 1
    assert "::error title=csmetrics check engagement.stickiness::" in out
    assert "::warning title=csmetrics check support.first_response_median_hours::" in out
    assert "| engagement.stickiness |" in summary.read_text()


def test_unknown_metric_suggests_the_closest(capsys, tmp_path: Path) -> None:
    config = _config(tmp_path, '[[checks]]\nmetric = "engagement.stickyness"\nmin = 0.1\n')
    code, _, err = cli(capsys, "check", "--config", str(config))
    assert code == 2 and "did you mean engagement.stickiness" in err


def test_report_command_writes_the_bundle(capsys, tmp_path: Path) -> None:
    config = _config(tmp_path, "")
    code, out, _ = cli(
        capsys, "report", "--config", str(config), "--period", "last-month", "--as-of",
        "2026-11-05", "--output-dir", str(tmp_path / "reports"),
    )  # fmt: skip
    assert code == 0
    assert (tmp_path / "reports" / "2026-10" / "report.json").is_file()
    assert "previous" in out and "support" in out and "voice" in out
    again = cli(
        capsys, "report", "--config", str(config), "--period", "last-month", "--as-of",
        "2026-11-05", "--format", "json",
    )  # fmt: skip
    first = json.loads(again[1])["families"]["engagement"]["metrics"]
    third = json.loads(
        cli(capsys, "report", "--config", str(config), "--period", "2026-10", "--format", "json")[1]
    )["families"]["engagement"]["metrics"]
    assert first == third  # a rerun with --as-of gives identical numbers


def test_init_round_trip(capsys, tmp_path: Path) -> None:
    for csv in SAMPLE.glob("*.csv"):
        shutil.copy(csv, tmp_path / csv.name)
    config = tmp_path / "csmetrics.toml"
    assert cli(capsys, "init", "--output", str(config))[0] == 0
    code, _, err = cli(capsys, "init", "--output", str(config))
    assert code == 2 and "already exists" in err  # never overwritten without --force
    code, out, _ = cli(capsys, "check", "--config", str(config), "--period", "2026-10")
    assert code == 0, out  # the starter config's checks run and pass on the sample data
    sections = ("[sources.events]", "[onboarding]", "[retention]", "[support]", "[voice]")
    assert all(section in config.read_text() for section in sections)
