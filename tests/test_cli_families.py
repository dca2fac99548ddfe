"""The onboarding and retention commands: options and config keys reach the family, and the
terminal shows the heatmap, lifecycle bars and funnel bars, readable without colour."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import cli

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "csmetrics.toml"


def test_onboarding_options_and_funnel_bars(capsys) -> None:
    code, out, _ = cli(
        capsys, "onboarding", "--config", str(SAMPLE), "--period", "2026-10", "--quiet",
        "--activation-event", "created_project", "--activation-event", "invited_user",
        "--step", "signed_up", "--step", "created_project", "--activation-window", "7d",
    )  # fmt: skip
    assert code == 0
    assert "funnel" in out and "█" in out and "from start" in out
    assert "\x1b[" not in out  # no colour codes off a terminal


def test_onboarding_json_parameters(capsys) -> None:
    code, out, _ = cli(
        capsys, "onboarding", "--config", str(SAMPLE), "--period", "2026-10", "--format", "json",
        "--activation-event", "created_project", "--value-event", "invited_user",
        "--conversion-window", "2d", "--signup-event", "signed_up", "--level", "account",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["parameters"]["value_event"] == "invited_user"
    assert report["parameters"]["conversion_window_days"] == 2
    assert report["parameters"]["level"] == "account"
    assert report["metrics"]["onboarding.signups_count"] > 0


def test_onboarding_config_table(capsys, tmp_path: Path) -> None:
    config = tmp_path / "csmetrics.toml"
    config.write_text(
        f'[sources.events]\npath = "{SAMPLE.parent / "events.csv"}"\n'
        '[onboarding]\nactivation_events = ["created_project"]\nsteps = ["signed_up", "created_project"]\n'
    )
    code, out, _ = cli(capsys, "onboarding", "--config", str(config), "--format", "json")
    assert code == 0
    assert json.loads(out)["parameters"]["steps"] == ["signed_up", "created_project"]


def test_bad_level_is_a_usage_error(capsys) -> None:
    code, _, err = cli(capsys, "onboarding", "--config", str(SAMPLE), "--level", "team")
    assert code == 2 and "--level: expected one of user, account" in err


def test_retention_heatmap_and_lifecycle(capsys) -> None:
    code, out, _ = cli(
        capsys, "retention", "--config", str(SAMPLE), "--period", "2026-10", "--periods", "4",
        "--quiet",
    )  # fmt: skip
    assert code == 0
    assert "100%" in out and "*" in out and "not yet observable" in out  # heatmap and legend
    assert "▓ returning" in out and "░ dormant" in out  # lifecycle bars and legend


def test_retention_options_reach_the_family(capsys) -> None:
    code, out, _ = cli(
        capsys, "retention", "--config", str(SAMPLE), "--period", "2026-Q3", "--format", "json",
        "--grain", "month", "--periods", "2", "--retention-type", "recurring",
        "--retention-mode", "on_or_after", "--return-event", "login",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["parameters"]["cohort_grain"] == "month"  # --grain sets the cohort grain
    assert report["parameters"]["retention_type"] == "recurring"
    assert set(report["metrics"]) == {
        "retention.period_1_rate",
        "retention.period_3_rate",
        "retention.user_churn_rate",
    }


def test_bad_retention_mode(capsys) -> None:
    code, _, err = cli(
        capsys, "retention", "--config", str(SAMPLE), "--retention-mode", "sometimes"
    )
    assert code == 2 and "--retention-mode: expected one of on, on_or_after" in err
