"""A name that matches nothing (issue 20, item 10): an event, a funnel step, a feature's event,
an owner, a header, a period or a time zone is said with the closest names that exist."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.errors import ConfigError, InputError

EVENTS = pl.DataFrame(
    {
        "timestamp": [f"2026-10-0{d}T09:00:00Z" for d in (1, 2, 3, 4)],
        "user_id": ["u1", "u1", "u2", "u2"],
        "account_id": ["a1", "a1", "a2", "a2"],
        "event": ["signed_up", "created_project", "signed_up", "dashboard_viewed"],
    }
)


def _unknown(report: cm.Report) -> list[str]:
    return [w.message for w in report.warnings if w.code == "unknown_name"]


def test_a_misspelt_activation_event_and_step_are_said_once_with_the_closest() -> None:
    report = cm.onboarding(
        cm.load(events=EVENTS),
        period="2026-10",
        activation_events=["created_projct"],
        steps=["signed_up", "created_projct"],
    )
    # the value event defaults to the last activation event: one name, three settings
    assert _unknown(report) == [
        "onboarding: 'created_projct' (--activation-event, --value-event, --step) never occurs "
        "in the events' event column; did you mean 'created_project'?"
    ]
    # and the number it explains: nobody activated on a name nobody used
    assert report.metrics["onboarding.activation_rate"] == 0.0


def test_names_that_occur_give_no_warning() -> None:
    report = cm.onboarding(
        cm.load(events=EVENTS), period="2026-10", activation_events=["created_project"]
    )
    assert _unknown(report) == []


def test_a_features_event_and_a_return_event() -> None:
    inputs = cm.load(events=EVENTS)
    engagement = cm.engagement(inputs, period="2026-10", features={"Dash": ["dashbord_viewed"]})
    assert "did you mean 'dashboard_viewed'?" in _unknown(engagement)[0]
    retention = cm.retention(inputs, period="2026-10", return_events=["loginn"])
    assert _unknown(retention) == [
        "retention: 'loginn' (--return-event) never occurs in the events' event column"
    ]


def test_an_owner_nobody_has() -> None:
    accounts = pl.DataFrame({"account_id": ["a1", "a2"], "owner": ["Ana Ruiz", "Bo Lind"]})
    report = cm.health(cm.load(events=EVENTS, accounts=accounts), owner="Ana Ruis")
    assert _unknown(report) == [
        "health: 'Ana Ruis' (--owner) never occurs in the accounts' owner column; "
        "did you mean 'Ana Ruiz'?"
    ]


def test_a_misspelt_period_and_time_zone() -> None:
    inputs = cm.load(events=EVENTS)
    with pytest.raises(ConfigError, match="did you mean 'last-week'"):
        cm.engagement(inputs, period="last-weeek")
    with pytest.raises(ConfigError, match="did you mean 'Europe/Paris'"):
        cm.engagement(inputs, period="2026-10", timezone="Europe/Pariss")


def test_a_header_close_to_an_expected_one(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("timestamp,usr_id,event\n2026-10-01T09:00:00Z,u1,login\n")
    with pytest.raises(InputError, match="did you mean 'usr_id'"):
        cm.load(events=path)
