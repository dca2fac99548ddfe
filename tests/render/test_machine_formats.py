"""Machine formats keep full-precision numbers, counts as integers and units beside them
(issue 22, item 2)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from csmetrics.families.catalogue import METRICS
from tests.helpers import cli, write_events

EVENTS = [  # in the window u1 on two days, u2 on one: 2 active users, DAU 1 and 2 -> mean 1.5
    ("2026-09-30T09:00:00Z", "u4", "login", "a3"),  # before it: the data covers its first day
    ("2026-10-01T10:00:00Z", "u1", "login", "a1"),
    ("2026-10-02T10:00:00Z", "u1", "login", "a1"),
    ("2026-10-02T11:00:00Z", "u2", "login", "a2"),
    ("2026-10-03T09:00:00Z", "u3", "login", "a2"),  # after the window: the data covers it
]
WINDOW = ("--since", "2026-10-01", "--until", "2026-10-03")


def test_counts_are_whole_numbers_in_json_with_units(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_events(tmp_path, EVENTS)
    code, out, err = cli(capsys, "engagement", "--events", str(path), *WINDOW, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    metrics = report["metrics"]
    assert metrics["engagement.active_users"] == 2 and isinstance(
        metrics["engagement.active_users"], int
    )
    assert metrics["engagement.dau_mean"] == 1.5  # (1 + 2) / 2: a mean stays a float
    assert report["units"]["engagement.stickiness"] == "share"
    assert report["units"]["engagement.active_users"] == "users"


def test_csv_writes_counts_without_a_decimal_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_events(tmp_path, EVENTS)
    code, out, err = cli(capsys, "engagement", "--events", str(path), *WINDOW, "--format", "csv")
    assert code == 0, err
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows["engagement.active_users"]["value"] == "2"  # not "2.0"
    assert rows["engagement.dau_mean"]["value"] == "1.5"
    assert rows["engagement.active_users"]["unit"] == "users"


def test_which_metrics_are_whole_counts() -> None:
    whole = {m.id for m in METRICS if m.whole}
    # the declared counts, less the two means of counts (dau_mean, sessions_per_user)
    assert whole == {
        "engagement.active_users",
        "engagement.wau",
        "engagement.mau",
        "engagement.sessions_count",
        "engagement.active_accounts_count",
        "onboarding.signups_count",
        "support.tickets_created_count",
        "support.tickets_solved_count",
        "support.backlog_count",
        "voice.nps_responses_count",
        "revenue.paying_accounts_count",
        "health.red_accounts_count",
        "health.yellow_accounts_count",
    }
