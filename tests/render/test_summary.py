"""`report` for people and for cron (issue 22, item 4): warnings once and the important first,
bookkeeping left to report.json, red accounts named, --quiet silent, Markdown and Slack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

import csmetrics as cm
from csmetrics.render.summary import markdown, render_summary, slack
from tests.helpers import cli

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
CONFIG = str(SAMPLE / "csmetrics.toml")
PERIOD = ("--period", "2026-10")


@pytest.fixture(scope="module")
def bundle(sample_bundle: cm.Bundle) -> cm.Bundle:
    return sample_bundle


def test_report_md_says_each_warning_once_and_no_bookkeeping(bundle: cm.Bundle) -> None:
    text = markdown(bundle)
    # the events' duplicates feed four families (onboarding, engagement, retention, health)
    assert sum(len(r.warnings) for r in bundle.current.values()) > 20
    assert text.count("49 rows repeat another row") == 1
    assert "## Data notes" in text
    assert "read only for" not in text and "were not used" not in text  # in report.json
    surveys_end = "the data ends 2026-10-30 19:01"
    assert text.count(surveys_end) == 1  # the voice family's coverage warning, at the top
    assert text.index(surveys_end) < text.index("## onboarding")


def test_report_md_names_the_red_accounts_with_mrr_and_first_reason(bundle: cm.Bundle) -> None:
    health = bundle.current["health"]
    red = health.tables["health"].filter(band="red")
    assert red.height == health.metrics["health.red_accounts_count"] == 4
    text = markdown(bundle)
    assert "### Red accounts (4)" in text
    red_section = text.split("### Red accounts (4)")[1].split("\n## ")[0]
    lines = [line for line in red_section.splitlines() if line.startswith("- **")]
    assert len(lines) == 4
    # most MRR first: three at €49.00, then €40.83
    assert lines[0].startswith("- **Loflow Labs** (acc\\_00003): MRR €49.00; 0 of 5 seats active")
    assert "MRR €40.83" in lines[3]


def test_terminal_shows_a_few_notes_per_family_then_a_count(bundle: cm.Bundle) -> None:
    console = Console(width=120, record=True, color_system=None)
    render_summary(bundle, console)
    text = console.export_text()
    assert text.count("! events: 49 rows repeat another row") == 1  # once, in the data notes
    assert "read only for" not in text
    assert "▲ better" in text or "▼ better" in text
    assert text.count("warning: voice: surveys: the data ends") == 1


def test_slack_escapes_and_leaves_out_empty_metrics(bundle: cm.Bundle) -> None:
    text = slack(bundle)
    assert text.startswith("*csmetrics report 2026-10")
    assert "*n/a*" not in text
    # no SLA configured (support) and no churn or contraction to divide by (quick ratio)
    assert "_1 metric without a value (see report.md)_" in text
    assert "<" not in text.replace("&lt;", "")


def test_quiet_report_prints_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = cli(capsys, "report", "--config", CONFIG, *PERIOD, "--quiet")
    assert (code, out, err) == (0, "", "")
    code, out, err = cli(
        capsys, "report", "--config", CONFIG, *PERIOD, "--quiet", "--output-dir", str(tmp_path)
    )
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "2026-10" / "report.json").exists()  # written, just not said


def test_markdown_format_is_report_md(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = cli(
        capsys, "report", "--config", CONFIG, *PERIOD, "--format", "markdown",
        "--output-dir", str(tmp_path), "--no-progress",
    )  # fmt: skip
    assert code == 0
    assert out == (tmp_path / "2026-10" / "report.md").read_text()
    data = json.loads((tmp_path / "2026-10" / "report.json").read_text())
    assert any(  # the bookkeeping is kept there
        w["code"] == "rows_before_window" for w in data["families"]["engagement"]["warnings"]
    )


def test_an_unknown_format_is_refused_before_reading(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "report", "--config", CONFIG, "--format", "html5")
    assert code == 2 and out == ""
    assert "--format: expected table, json, markdown, slack, html, got 'html5'" in err
