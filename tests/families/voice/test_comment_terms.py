"""What comments say (families/voice/comments.py): a small hand-made corpus whose ranking is
written out, the privacy rules, and the property that a term used equally scores 0."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import csmetrics as cm

# Six detractors and six promoters. "slow" and "support slow" only among detractors, "easy"
# only among promoters, "dashboard" in four of each (equal), "the"/"yang" stop words (English,
# Indonesian), an e-mail address, a URL and a number in a detractor's words.
DETRACTORS = [
    "The support is slow, dashboard broken",
    "Support slow again!! 123 tickets",
    "support slow, mail me at anna@example.com",
    "Support slow yang lama sekali",
    "support slow https://status.example.com dashboard",
    "SLOW support slow dashboard",
]
PROMOTERS = [
    "Easy setup, dashboard",
    "easy and fast",
    "so easy",
    "Easy dashboard",
    "easy reports dashboard",
    "great, easy",
]


def corpus(low: list[str], high: list[str]) -> pl.DataFrame:
    comments = low + high
    scores = [2] * len(low) + [10] * len(high)
    return pl.DataFrame(
        {
            "submitted_at": ["2026-10-05"] * len(comments),
            "survey": ["nps"] * len(comments),
            "score": scores,
            "respondent_id": [f"r{i}" for i in range(len(comments))],
            "comment": comments,
        }
    )


def terms(frame: pl.DataFrame) -> pl.DataFrame:
    return cm.voice(cm.load(surveys=frame), period="2026-10").tables["comment_terms"]


def test_the_ranking_of_a_small_corpus() -> None:
    table = terms(corpus(DETRACTORS, PROMOTERS))
    rows = {r["term"]: r for r in table.to_dicts()}
    # used by at least five answers: slow (6 detractors), support (6), support slow (5: the
    # sixth says "slow support"), easy (6 promoters), dashboard (3 + 3 = 6)
    assert set(rows) == {"slow", "support", "support slow", "easy", "dashboard"}
    # by strength, either group: slow, support (6 of 6 detractors, none of the promoters) and
    # easy (6 of 6 promoters) lead, support slow (5) next; dashboard (3 and 3) last
    assert set(table["term"].to_list()[:3]) == {"slow", "support", "easy"}
    assert table["term"].to_list()[-1] == "dashboard"
    assert rows["slow"]["group"] == "detractors" and rows["easy"]["group"] == "promoters"
    assert (rows["slow"]["low_uses"], rows["slow"]["high_uses"]) == (6, 0)
    assert rows["slow"]["low_share"] == pytest.approx(1.0)
    assert rows["dashboard"]["low_share"] == pytest.approx(3 / 6)
    assert rows["dashboard"]["high_share"] == pytest.approx(3 / 6)
    # used as often in both groups, it sits between the two groups' own terms, near 0
    assert abs(rows["dashboard"]["score"]) < min(rows["slow"]["score"], -rows["easy"]["score"])


def test_private_text_never_makes_a_term() -> None:
    table = terms(corpus(DETRACTORS * 2, PROMOTERS * 2))
    found = " ".join(table["term"].to_list())
    for private in ("anna", "example", "https", "status", "123", "com"):
        assert private not in found.split()
    assert not {"the", "yang", "is", "at"} & set(found.split())  # stop words, both languages


def test_accents_fold_and_case_lowers() -> None:
    low = ["Café lent"] * 3 + ["cafe LENT"] * 2
    table = terms(corpus(low, ["parfait"] * 5))
    assert "cafe lent" in table["term"].to_list()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(["alpha", "bravo", "charlie", "delta", "echo"]), min_size=1, max_size=4
    ),
    st.integers(5, 9),
)
def test_a_term_used_equally_scores_zero(words: list[str], copies: int) -> None:
    comment = " ".join(words)
    table = terms(corpus([comment] * copies, [comment] * copies))
    assert table.height > 0
    assert all(math.isclose(s, 0.0, abs_tol=1e-12) for s in table["score"].to_list())
