"""Voice's explain by hand: NPS by an accounts column, as a ratio of +-100 points per answer."""

from __future__ import annotations

import polars as pl
import pytest

import csmetrics as cm

# September: a1 (enterprise) 10, 10; a2 (smb) 3, 8. October: a1 9; a2 2, 0, 9; a3 (no
# account row) 10.
SURVEYS = pl.DataFrame(
    {
        "submitted_at": [
            "2026-09-05",
            "2026-09-06",
            "2026-09-07",
            "2026-09-08",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
            "2026-10-08",
            "2026-10-09",
        ],
        "survey": ["nps"] * 9,
        "score": [10, 10, 3, 8, 9, 2, 0, 9, 10],
        "account_id": ["a1", "a1", "a2", "a2", "a1", "a2", "a2", "a2", "a3"],
    }
)
ACCOUNTS = pl.DataFrame({"account_id": ["a1", "a2"], "segment": ["enterprise", "smb"]})


def test_nps_by_segment() -> None:
    why = cm.explain(
        cm.load(surveys=SURVEYS, accounts=ACCOUNTS), "voice.nps", "segment", period="2026-10"
    )
    # September: 2 promoters, 1 detractor of 4: 25; October: 3 promoters, 2 detractors of 5: 20
    assert (why.previous_value, why.value) == pytest.approx((25.0, 20.0))
    rows = {r["segment"]: r for r in why.segments.to_dicts()}
    # enterprise: 100 (w 1/2) -> 100 (w 1/5): contribution 20 - 50 = -30, all of it mix
    assert (rows["enterprise"]["rate_effect"], rows["enterprise"]["mix_effect"]) == pytest.approx(
        (0, -30)
    )
    # smb: -50 (w 1/2) -> -100/3 (w 3/5): 3/5 * -100/3 - 1/2 * -50 = -20 + 25 = 5
    assert rows["smb"]["contribution"] == pytest.approx(5.0)
    # a3 has no account row: the missing segment, 100 on 1 of 5 answers, +20
    assert rows[None]["contribution"] == pytest.approx(20.0)
    assert why.segments["segment"].to_list() == ["enterprise", None, "smb"]
