"""A window past the data (issue 20, item 11): said at the top of every output, and in `check`
an exit-2 error unless allow_stale."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.errors import InputError
from tests.helpers import cli, one_line_error

# two users active on 2026-10-30 and 2026-10-31: the export stops at the end of October
EVENTS = pl.DataFrame(
    {
        "timestamp": ["2026-10-30T09:00:00Z", "2026-10-31T09:00:00Z", "2026-10-31T10:00:00Z"],
        "user_id": ["u1", "u1", "u2"],
        "event": ["login", "login", "login"],
    }
)


def _codes(report: cm.Report) -> list[str]:
    return [w.code for w in report.warnings]


def test_a_window_after_the_data_says_so_first() -> None:
    report = cm.engagement(cm.load(events=EVENTS), period="last-7d", as_of="2026-11-20")
    assert _codes(report)[0] == "window_after_data"
    message = report.warnings[0].message
    assert "the data ends 2026-10-31 10:00" in message
    assert "before the window starts (2026-11-13 00:00)" in message


def test_a_window_before_the_data_says_so() -> None:
    report = cm.engagement(cm.load(events=EVENTS), period="2026-09")
    assert _codes(report)[0] == "window_before_data"
    assert "the data starts 2026-10-30 09:00" in report.warnings[0].message


def test_a_window_running_past_the_data_says_how_far() -> None:
    # the window ends 2026-11-05 00:00; the data 2026-10-31 10:00: 4.6 days without data
    report = cm.engagement(cm.load(events=EVENTS), since="2026-10-25", until="2026-11-05")
    (warning,) = [w for w in report.warnings if w.code == "window_past_data"]
    assert "4.6 days before the window's end" in warning.message


def test_a_window_inside_the_data_has_no_such_warning() -> None:
    report = cm.engagement(cm.load(events=EVENTS), period="2026-10")
    assert not {"window_after_data", "window_before_data", "window_past_data"} & set(_codes(report))


def test_terminal_and_markdown_show_it_above_the_numbers(capsys, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    EVENTS.write_csv(path)
    args = ["engagement", "--events", str(path), "--period", "last-7d", "--as-of", "2026-11-20"]
    _, table, _ = cli(capsys, *args)
    assert table.index("the data ends") < table.index("Active users")
    _, markdown, _ = cli(capsys, *args, "--format", "markdown")
    assert markdown.index("> **Warning:** events: the data ends") < markdown.index("| metric |")
    _, text, _ = cli(capsys, *args, "--format", "json")
    assert json.loads(text)["warnings"][0]["code"] == "window_after_data"


CHECKS = [{"metric": "engagement.active_users", "min": 1}]


def test_check_refuses_a_stale_window_unless_allowed(tmp_path: Path) -> None:
    inputs = cm.load(events=EVENTS)
    with pytest.raises(InputError, match=r"the data ends 2026-10-31 10:00 .* before the window"):
        cm.check(inputs, CHECKS, period="last-7d", as_of="2026-11-20")
    # allowed: the check judges the window as it is (0 active users fails min 1)
    (outcome,) = cm.check(inputs, CHECKS, period="last-7d", as_of="2026-11-20", allow_stale=True)
    assert outcome.status == "fail"


def test_check_on_the_command_line_exits_2_and_the_config_can_allow(capsys, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    EVENTS.write_csv(path)
    config = tmp_path / "csmetrics.toml"
    body = f'[sources.events]\npath = "{path}"\n'
    body += '[[checks]]\nmetric = "engagement.active_users"\nmin = 1\n'
    config.write_text(body)
    args = ["check", "--config", str(config), "--period", "last-7d", "--as-of", "2026-11-20"]
    assert "the data ends 2026-10-31 10:00" in one_line_error(capsys, *args)
    assert cli(capsys, *args, "--allow-stale")[0] == 1  # judged: 0 active users < 1
    config.write_text("allow_stale = true\n" + body)
    assert cli(capsys, *args)[0] == 1
