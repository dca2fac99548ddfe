"""Onboarding's explain by hand: the activation rate by an accounts column."""

from __future__ import annotations

import polars as pl
import pytest

import csmetrics as cm

# Signups (first events) in October: u1, u2 (account a1, plan A), u3 (a2, plan B). Activation:
# `created_project` within 14 days. u1 and u3 activate; u2 never does. In September u4 (a2)
# signs up and activates. The export runs to December, so every activation window has elapsed.
EVENTS = pl.DataFrame(
    {
        "timestamp": [
            "2026-10-02",
            "2026-10-03",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
            "2026-09-10",
            "2026-09-11",
            "2026-12-01",
        ],
        "user_id": ["u1", "u1", "u2", "u3", "u3", "u4", "u4", "u9"],
        "account_id": ["a1", "a1", "a1", "a2", "a2", "a2", "a2", "a2"],
        "event": [
            "login",
            "created_project",
            "login",
            "login",
            "created_project",
            "login",
            "created_project",
            "login",
        ],
    }
)
ACCOUNTS = pl.DataFrame({"account_id": ["a1", "a2"], "plan": ["A", "B"]})


def test_activation_rate_by_plan() -> None:
    inputs = cm.load(events=EVENTS, accounts=ACCOUNTS)
    why = cm.explain(
        inputs,
        "onboarding.activation_rate",
        "plan",
        period="2026-10",
        settings={"activation_events": ["created_project"]},
    )
    # September: u4 of 1 activated: 1; October: u1, u3 of 3: 2/3
    assert (why.previous_value, why.value) == pytest.approx((1.0, 2 / 3))
    rows = {r["plan"]: r for r in why.segments.to_dicts()}
    # A: absent before, 1 of 2 now (w 2/3): +1/3; B: 1 of 1 (w 1) -> 1 of 1 (w 1/3): -2/3
    assert rows["A"]["contribution"] == pytest.approx(1 / 3)
    assert rows["B"]["contribution"] == pytest.approx(-2 / 3)
    assert (rows["B"]["rate_effect"], rows["B"]["mix_effect"]) == pytest.approx((0.0, -2 / 3))


def test_without_activation_events_it_says_why() -> None:
    inputs = cm.load(events=EVENTS, accounts=ACCOUNTS)
    with pytest.raises(cm.InputError, match="no activation events configured"):
        cm.explain(inputs, "onboarding.activation_rate", "plan", period="2026-10")
