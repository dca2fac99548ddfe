"""The health command with each optional source given or missing: the components follow the
sources, the terminal shows bands and bars, filters and weights reach the family, and bad
options are one-line errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import cli

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
OPTIONAL = {"tickets": "support", "surveys": "sentiment", "billing": "billing"}


@pytest.mark.parametrize("given", [(), ("tickets",), ("surveys",), ("billing",), ("accounts",),
                                   ("tickets", "surveys", "billing", "accounts")])  # fmt: skip
def test_components_follow_the_sources(capsys, given: tuple[str, ...]) -> None:
    sources = [x for kind in ("events", *given) for x in (f"--{kind}", str(SAMPLE / f"{kind}.csv"))]
    code, out, _ = cli(capsys, "health", *sources, "--period", "2026-10", "--format", "json")
    assert code == 0
    report = json.loads(out)
    rows = report["tables"]["health"]
    assert rows, "every sample account is scored"
    for kind, component in OPTIONAL.items():
        assert (f"{component}_score" in rows[0]) == (kind in given), component
    assert ("name" in rows[0]) == ("accounts" in given)
    assert all(0 <= r["score"] <= 100 for r in rows if r["score"] is not None)
    left_out = [w for w in report["warnings"] if w["code"] == "components_left_out"]
    assert bool(left_out) == (set(OPTIONAL) - set(given) != set())


def test_terminal_bands_and_bars_and_filters(capsys) -> None:
    code, out, _ = cli(capsys, "health", "--config", str(SAMPLE / "csmetrics.toml"),
                       "--period", "2026-10", "--band", "red", "--quiet")  # fmt: skip
    assert code == 0
    assert "health" in out and "█" in out and "red" in out
    assert "yellow" not in out.split("health", 2)[-1]  # only red accounts are listed
    assert "\x1b[" not in out


def test_weight_and_owner_reach_the_family(capsys) -> None:
    code, out, _ = cli(capsys, "health", "--config", str(SAMPLE / "csmetrics.toml"),
                       "--period", "2026-10", "--weight", "billing=3", "--owner", "Ana Ruiz",
                       "--format", "json")  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["parameters"]["weights"]["billing"] == 3
    assert {r["owner"] for r in report["tables"]["health"]} == {"Ana Ruiz"}


def test_unknown_component_exit_2(capsys) -> None:
    code, out, err = cli(capsys, "health", "--events", str(SAMPLE / "events.csv"),
                         "--weight", "usage=2")  # fmt: skip
    assert code == 2 and out == ""
    assert "unknown component 'usage'" in err and "frequency" in err
    assert "Traceback" not in err


def test_events_without_account_id_exit_2(capsys, tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text("timestamp,user_id,event\n2026-10-01T10:00:00Z,u1,login\n")
    code, _, err = cli(capsys, "health", "--events", str(events))
    assert code == 2 and "account_id" in err and len(err.strip().splitlines()) == 1


def test_health_takes_engagements_inactive_events_from_the_config(capsys, tmp_path: Path) -> None:
    # one definition of an active event: [engagement] inactive_events applies to health too
    events = tmp_path / "events.csv"
    events.write_text(
        "timestamp,user_id,account_id,event\n"
        "2026-10-02T10:00:00Z,u1,a1,login\n"
        "2026-10-03T10:00:00Z,u2,a1,email_opened\n"
    )
    config = tmp_path / "csmetrics.toml"
    config.write_text(
        '[sources.events]\npath = "events.csv"\n[engagement]\ninactive_events = ["email_opened"]\n'
    )
    code, out, _ = cli(capsys, "health", "--config", str(config), "--period", "2026-10",
                       "--format", "json")  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["parameters"]["inactive_events"] == ["email_opened"]
    (row,) = report["tables"]["health"]
    assert row["frequency"] == 1  # u1 alone is active, on one day
