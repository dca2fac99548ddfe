"""Support's explain by hand: a ratio (first contact resolution) and a median by channel."""

from __future__ import annotations

import polars as pl
import pytest

import csmetrics as cm

# October: email t1 (solved, 1 reply: first contact), t2 (solved, 3 replies);
#          chat t3 (solved, 1 reply).
# November: email t4 (solved, 1 reply), chat t5 (1 reply, reopened), chat t6 (1 reply), and t7
#          without a channel (solved, 2 replies).
TICKETS = pl.DataFrame(
    {
        "ticket_id": [f"t{i}" for i in range(1, 8)],
        "created_at": [
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
            "2026-11-05",
            "2026-11-06",
            "2026-11-07",
            "2026-11-08",
        ],
        "first_response_at": [
            "2026-10-05T01:00:00",
            "2026-10-06T02:00:00",
            "2026-10-07T03:00:00",
            "2026-11-05T04:00:00",
            "2026-11-06T01:00:00",
            "2026-11-07T02:00:00",
            "2026-11-08T06:00:00",
        ],
        "solved_at": ["2026-10-09"] * 3 + ["2026-11-20"] * 4,
        "agent_replies": [1, 3, 1, 1, 1, 1, 2],
        "reopens": [0, 0, 0, 0, 1, 0, 0],
        "channel": ["email", "email", "chat", "email", "chat", "chat", None],
    }
)


@pytest.fixture(scope="module")
def inputs() -> cm.Inputs:
    return cm.load(tickets=TICKETS)


def test_first_contact_resolution_by_channel(inputs: cm.Inputs) -> None:
    why = cm.explain(inputs, "support.first_contact_resolution_rate", "channel", period="2026-11")
    # October: 2 of 3 solved at first contact; November: t4 and t6 of 4, so 2 / 4
    assert (why.previous_value, why.value) == pytest.approx((2 / 3, 0.5))
    rows = {r["channel"]: r for r in why.segments.to_dicts()}
    # email: 1 of 2 (w 2/3) -> 1 of 1 (w 1/4): 1/4 * 1 - 2/3 * 1/2 = -1/12
    assert rows["email"]["contribution"] == pytest.approx(1 / 4 - 1 / 3)
    # chat: 1 of 1 (w 1/3) -> 1 of 2 (w 2/4): 2/4 * 1/2 - 1/3 * 1 = -1/12
    # rate (1/3 + 1/2) / 2 * (1/2 - 1) = -5/24, mix (1 + 1/2) / 2 * (1/2 - 1/3) = 1/8
    assert (rows["chat"]["rate_effect"], rows["chat"]["mix_effect"]) == pytest.approx(
        (-5 / 24, 1 / 8)
    )
    # the ticket without a channel is a segment of its own: 0 of 1 (w 1/4), absent before
    assert rows[None]["contribution"] == pytest.approx(0.0)
    assert rows[None]["weight"] == pytest.approx(0.25)
    assert sum(r["contribution"] for r in rows.values()) == pytest.approx(0.5 - 2 / 3)


def test_a_median_shows_each_channel_without_contributions(inputs: cm.Inputs) -> None:
    why = cm.explain(inputs, "support.first_response_median_hours", "channel", period="2026-11")
    # November: 4 h, 1 h, 2 h, 6 h: median 3 h; October 1 h, 2 h, 3 h: median 2 h
    assert (why.previous_value, why.value) == pytest.approx((2.0, 3.0))
    rows = {r["channel"]: r for r in why.segments.to_dicts()}
    assert rows["chat"]["value"] == pytest.approx(1.5)  # median of 1 h and 2 h
    assert rows["chat"]["previous_value"] == pytest.approx(3.0)
    assert rows["chat"]["weight"] == pytest.approx(0.5)  # 2 of the 4 answered
    assert rows["chat"]["contribution"] is None
