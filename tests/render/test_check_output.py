"""`check` for CI (issue 22, item 5): values with units and the threshold they broke; the JSON
and the GitHub step summary hold the period, value, previous value, threshold, status and
message."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from csmetrics.cli import run
from csmetrics.results.checks import Check, evaluate
from tests.helpers import cli

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def test_a_reason_says_values_in_their_unit() -> None:
    share = Check("engagement.stickiness", {"min": 0.30})
    outcome = evaluate(share, "engagement.stickiness", 0.2713, 0.2654, "share")
    assert outcome.status == "fail"
    assert outcome.reason == "27.1% < min 30.0%"  # not "0.2713 < min 0.3"
    assert outcome.threshold == "min 30.0%"
    hours = Check("support.first_response_median_hours", {"max": 2.0, "warn_max": 1.0})
    outcome = evaluate(hours, "x", 3.025, None, "hours")  # 3.025 h = 3 h 1.5 min -> 3 h 2 min
    assert outcome.reason == "3 h 2 min > max 2 h"
    money = Check("revenue.mrr", {"max_decrease_pct": 5})
    outcome = evaluate(money, "revenue.mrr", 900.0, 1000.0, "money", "EUR")
    assert outcome.reason == "fell 10.0% (> 5%) from €1,000.00"  # (900 - 1000) / 1000


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    folder = tmp_path_factory.mktemp("check")
    config = folder / "csmetrics.toml"
    config.write_text(
        f'[sources.events]\npath = "{SAMPLE / "events.csv"}"\n'
        '[[checks]]\nmetric = "engagement.stickiness"\nmin = 0.30\n'
        '[[checks]]\nmetric = "engagement.active_users"\nmin = 100\n'
    )
    summary = folder / "summary.md"
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GITHUB_ACTIONS", "true")
        patch.setenv("GITHUB_STEP_SUMMARY", str(summary))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = run(
                ["check", "--config", str(config), "--period", "2026-10", "--format", "json"]
            )
    assert code == 1  # stickiness 27.1% is under 30%
    text = out.getvalue()
    return json.loads(text[: text.rindex("}") + 1]), summary.read_text()


def test_check_json_holds_the_period_and_each_checks_numbers(checked: tuple[dict, str]) -> None:
    data, _ = checked
    assert data["period"]["label"] == "2026-10"
    assert data["period"]["since"] == "2026-10-01T00:00:00Z"
    assert data["previous_period"]["since"] == "2026-09-01T00:00:00Z"
    assert (data["passed"], data["warned"], data["failed"]) == (1, 0, 1)
    stickiness, users = data["checks"]
    assert stickiness["unit"] == "share" and stickiness["status"] == "fail"
    assert round(stickiness["value"], 4) == 0.2713 and stickiness["previous"] is not None
    assert stickiness["threshold"] == {"min": 0.3}
    assert stickiness["message"] == "27.1% < min 30.0%"
    assert users["value"] == 211 and users["message"] == "within limits"


def test_the_step_summary_shows_the_same(checked: tuple[dict, str]) -> None:
    _, summary = checked
    assert "Period 2026-10 (compared with 2026-09; UTC): 1 passed" in summary
    assert "| check | value | previous | threshold | status | message |" in summary
    assert (
        "| engagement.stickiness | 27.1% | 26.5% | min 30.0% | ❌ fail | 27.1% \\< min 30.0% |"
        in summary
    )


def test_the_table_shows_units(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "csmetrics.toml"
    config.write_text(
        f'[sources.events]\npath = "{SAMPLE / "events.csv"}"\n'
        '[[checks]]\nmetric = "engagement.stickiness"\nmin = 0.30\n'
    )
    code, out, _ = cli(capsys, "check", "--config", str(config), "--period", "2026-10")
    assert code == 1
    assert "check  2026-10 (compared with 2026-09; UTC)" in out
    assert "27.1%" in out and "min 30.0%" in out and "0.2713" not in out


@pytest.mark.parametrize("width", (80, 120, 200))
def test_check_names_are_whole_at_any_width(width: int) -> None:
    from rich.console import Console

    from csmetrics.render.checks import render_table

    check = Check("support.tickets_created_count", {"min": 10})
    outcomes = [
        evaluate(check, f"support.tickets_created_count [channel={name}]", value, 5.0, "count")
        for name, value in (("chat", 21.0), ("email", 22.0), ("phone", 6.0), ("web", 9.0))
    ]
    console = Console(width=width, record=True, color_system=None)
    render_table(outcomes, console)
    text = console.export_text()
    for name in ("chat", "email", "phone", "web"):  # four rows told apart
        assert f"support.tickets_created_count [channel={name}]" in text
    assert "…" not in text and max(map(len, text.splitlines())) <= width
