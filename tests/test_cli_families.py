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


def test_support_command_with_business_hours_and_breakdown(capsys, tmp_path: Path) -> None:
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("2026-10-12\n")
    code, out, _ = cli(
        capsys, "support", "--config", str(SAMPLE), "--period", "2026-10", "--format", "json",
        "--business-hours", "mon-fri 09:00-17:00", "--holidays", str(holidays),
        "--sla-first-response", "4h", "--by", "priority",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["parameters"]["business_hours"] == "mon-fri 09:00-17:00"
    assert report["parameters"]["holidays"] == ["2026-10-12"]
    assert {row["priority"] for row in report["tables"]["by_priority"]} >= {"low", "high"}
    assert report["metrics"]["support.sla_first_response_breach_rate"] is not None


def test_support_bad_breakdown(capsys) -> None:
    code, _, err = cli(capsys, "support", "--config", str(SAMPLE), "--by", "mood")
    assert code == 2 and "--by: expected one of channel, priority, group, assignee" in err


def test_voice_command_trend_chart_and_no_comments(capsys) -> None:
    code, out, _ = cli(
        capsys, "voice", "--config", str(SAMPLE), "--period", "2026-Q3", "--grain", "month",
        "--quiet",
    )  # fmt: skip
    assert code == 0
    assert "nps_trend" in out and "●" in out  # the trend with its margin
    # what comments say, in terms; no comment's text without --include-comments
    assert "comment_terms" in out and "slow" in out
    from csmetrics.sample.service import COMMENTS

    assert not any(text in out for bank in COMMENTS.values() for text in bank)
    assert "\ncomments" not in out


def test_voice_comments_on_request(capsys, tmp_path: Path) -> None:
    surveys = tmp_path / "surveys.csv"
    surveys.write_text("submitted_at,score,survey,comment\n2026-11-02,9,nps,Great support\n")
    code, out, _ = cli(
        capsys, "voice", "--surveys", str(surveys), "--format", "json", "--include-comments"
    )
    assert code == 0 and json.loads(out)["tables"]["comments"][0]["comment"] == "Great support"
    code, out, _ = cli(capsys, "voice", "--surveys", str(surveys), "--format", "json")
    assert code == 0 and "Great support" not in out


def test_voice_survey_kind_option(capsys, tmp_path: Path) -> None:
    surveys = tmp_path / "nps.csv"
    surveys.write_text("submitted_at,score\n2026-11-02,9\n2026-11-03,2\n")
    code, out, _ = cli(
        capsys, "voice", "--surveys", str(surveys), "--survey", "nps", "--format", "json"
    )
    assert code == 0 and json.loads(out)["metrics"]["voice.nps"] == 0  # (1 - 1) / 2
