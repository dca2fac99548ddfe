"""Engagement's explain by hand: stickiness as a ratio whose weights are shares of MAU30."""

from __future__ import annotations

import polars as pl
import pytest

import csmetrics as cm

# u1 (account a1, plan A) and u2 (a2, plan B); u3's event after the window only marks how far
# the export reaches, so that Nov 1-4 are complete days (Oct 31 starts before the data).
EVENTS = pl.DataFrame(
    {
        "timestamp": [
            "2026-11-01T10:00:00Z",
            "2026-11-03T10:00:00Z",
            "2026-11-04T10:00:00Z",  # u1
            "2026-10-31T23:00:00Z",
            "2026-11-01T10:00:00Z",
            "2026-11-02T10:00:00Z",  # u2
            "2026-11-03T10:00:00Z",
            "2026-11-05T10:00:00Z",  # u3
        ],
        "user_id": ["u1"] * 3 + ["u2"] * 4 + ["u3"],
        "account_id": ["a1"] * 3 + ["a2"] * 4 + ["a2"],
        "event": ["login"] * 8,
    }
)
ACCOUNTS = pl.DataFrame({"account_id": ["a1", "a2"], "plan": ["A", "B"]})


@pytest.fixture(scope="module")
def why() -> cm.Explanation:
    inputs = cm.load(events=EVENTS, accounts=ACCOUNTS)
    return cm.explain(
        inputs, "engagement.stickiness", "plan", since="2026-11-03", until="2026-11-05"
    )


def test_stickiness_splits_by_hand(why: cm.Explanation) -> None:
    # previous window Nov 1-2: Nov 1 DAU {u1, u2} / MAU30 {u1, u2} = 1, Nov 2 {u2} / 2 = 0.5
    # window Nov 3-4:          Nov 3 {u1, u2} / 2 = 1, Nov 4 {u1} / 2 = 0.5
    assert (why.previous_value, why.value) == pytest.approx((0.75, 0.75))
    rows = {r["plan"]: r for r in why.segments.to_dicts()}
    a, b = rows["A"], rows["B"]
    # A (u1): before it was active 1 of 2 days (r 0.5), now 2 of 2 (r 1); always half of MAU30
    assert (a["previous_value"], a["value"]) == pytest.approx((0.5, 1.0))
    assert (a["previous_weight"], a["weight"]) == pytest.approx((0.5, 0.5))
    # A: rate (0.5 + 0.5) / 2 * (1 - 0.5) = 0.25; mix 0; contribution 0.5 * 1 - 0.5 * 0.5
    assert (a["rate_effect"], a["mix_effect"], a["contribution"]) == pytest.approx((0.25, 0, 0.25))
    # B (u2) the other way round: 1 -> 0.5, -0.25
    assert (b["previous_value"], b["value"], b["contribution"]) == pytest.approx((1.0, 0.5, -0.25))


def test_the_sentences_say_it_in_words(why: cm.Explanation) -> None:
    from csmetrics.render.explanation import sentences

    said = sentences(why)
    assert said[0] == (
        "Stickiness (DAU/MAU) held at 75.0% between "
        "2026-11-01_2026-11-02 and 2026-11-03_2026-11-04."
    )
    # plan A's own stickiness doubled while its share of MAU30 held: all of it rate
    assert said[1] == (
        "plan A: its own value rose from 50.0% to 100.0% and its share of MAU30 held at 50.0%; "
        "+25.0 pp of the change (+25.0 pp rate, ±0.0 pp mix)."
    )
