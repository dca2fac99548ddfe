"""max_deviation checks, the [anomaly] and [explain] settings through the API, the config and the
command line, and "What moved" in report's outputs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

import csmetrics as cm
from tests.helpers import cli
from tests.test_bands import _tickets

SPIKE = date(2026, 10, 20)
DAY = {"since": str(SPIKE), "until": str(SPIKE + timedelta(days=1))}
CHECK = {"metric": "support.tickets_created_count", "max_deviation": 3}


@pytest.fixture(scope="module")
def inputs() -> cm.Inputs:
    return cm.load(tickets=_tickets(SPIKE))


def test_max_deviation_fails_an_outlier(inputs: cm.Inputs) -> None:
    [outcome] = cm.check(inputs, [CHECK], **DAY)
    assert outcome.status == "fail"
    assert outcome.reason.startswith("robust z +") and "beyond max_deviation 3" in outcome.reason
    [calm] = cm.check(inputs, [CHECK], since="2026-10-19", until="2026-10-20")
    assert calm.status == "pass"


def test_max_deviation_without_history_fails_unless_allowed(inputs: cm.Inputs) -> None:
    early = {"since": "2026-09-25", "until": "2026-09-26"}  # 4 days after the data starts
    [outcome] = cm.check(inputs, [CHECK], **early)
    assert outcome.status == "fail" and outcome.reason.startswith("too little history: 4 ")
    [allowed] = cm.check(inputs, [{**CHECK, "allow_missing": True}], **early)
    assert allowed.status == "pass" and "(allowed)" in allowed.reason


def test_max_deviation_with_by_is_a_config_error(inputs: cm.Inputs) -> None:
    with pytest.raises(cm.ConfigError, match="max_deviation needs the metric's history"):
        cm.check(inputs, [{**CHECK, "by": "channel"}], **DAY)


def test_the_threshold_from_the_api_and_the_config_agree(inputs: cm.Inputs, tmp_path: Path) -> None:
    assert not cm.report(inputs, anomaly_threshold=100, **DAY).bands[CHECK["metric"]].flagged
    config = tmp_path / "csmetrics.toml"
    config.write_text("[anomaly]\nthreshold = 100\nwindows = 8\n")
    configured = cm.load(tickets=_tickets(SPIKE), config=config)
    band = cm.report(configured, **DAY).bands[CHECK["metric"]]
    assert not band.flagged and band.windows == 8
    assert cm.report(configured, anomaly_bands=False, **DAY).bands == {}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[anomaly]\nwindows = 20\n", r"\[anomaly\] windows: expected a whole number from 8 to 12"),
        ("[explain]\nby = 3\n", r"\[explain\] by"),
        ("[anomaly]\nband = true\n", r"unknown key 'band' \(known: bands, windows, threshold\)"),
    ],
)
def test_a_wrong_setting_names_the_file_and_key(tmp_path: Path, table: str, message: str) -> None:
    config = tmp_path / "csmetrics.toml"
    config.write_text(table)
    with pytest.raises(cm.ConfigError, match=message):
        cm.read_config(config)


def test_report_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    _tickets(SPIKE).write_csv(path)
    args = ("report", "--tickets", str(path), "--since", DAY["since"], "--until", DAY["until"])
    code, out, _ = cli(capsys, *args, "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["what_moved"][0]["metric"] == CHECK["metric"]
    code, out, _ = cli(capsys, *args, "--format", "json", "--no-bands")
    assert json.loads(out)["families"]["support"]["bands"] == {}
    code, out, _ = cli(capsys, *args, "--format", "markdown")
    assert "## What moved" in out and "⚑ unusual" in out


def test_the_limit_reads_in_robust_z_units(inputs: cm.Inputs) -> None:
    [outcome] = cm.check(
        inputs, [{"metric": "support.unanswered_share", "max_deviation": 3.5}], **DAY
    )
    assert outcome.threshold == "max_deviation 3.5 z"  # not 350.0% for a share
