"""Voice of customer on small hand-computed cases; arithmetic next to each assert."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import csmetrics as cm

COLUMNS = ["submitted_at", "score", "survey", "respondent_id", "account_id", "comment"]
# Window: November 2026.
CASE = [
    ("2026-11-02T10:00:00Z", 10, "nps", "r1", "a1", "love it"),
    ("2026-11-05T10:00:00Z", 3, "nps", "r1", "a1", "changed my mind"),  # r1's latest: 3
    ("2026-11-06T10:00:00Z", 9, "nps", "r2", "a2", None),
    ("2026-11-07T10:00:00Z", 7, "nps", "r3", "a2", None),
    ("2026-11-08T10:00:00Z", 6, "nps", None, "a1", None),  # no respondent: each answer counts
    ("2026-11-09T10:00:00Z", 10, "nps", None, "a3", None),
    ("2026-11-10T10:00:00Z", 5, "csat", "r4", "a1", None),
    ("2026-11-20T10:00:00Z", 2, "csat", "r4", "a1", None),  # r4's latest: 2
    ("2026-11-11T10:00:00Z", 3, "csat", "r5", "a2", None),
    ("2026-11-12T10:00:00Z", 6, "ces", "r6", "a2", None),
    ("2026-11-13T10:00:00Z", 2, "ces", "r7", "a3", None),
    ("2026-10-30T10:00:00Z", 0, "nps", "r8", "a3", None),  # before the window
]
WINDOW = {"since": "2026-11-01", "until": "2026-12-01"}
ACCOUNTS = pl.DataFrame({"account_id": ["a1", "a2", "a3"], "segment": ["smb", "smb", "ent"]})


def voice(rows: list[tuple], **options) -> cm.Report:
    surveys = pl.DataFrame(rows, schema=COLUMNS, orient="row")
    return cm.voice(cm.load(surveys=surveys, accounts=options.pop("accounts", None)), **options)


@pytest.fixture
def case() -> cm.Report:
    return voice(CASE, **WINDOW)


def test_nps_counts_each_respondents_latest_answer(case) -> None:
    # r1 3 (detractor), r2 9 (promoter), r3 7, anonymous 6 (detractor) and 10 (promoter)
    # n = 5, p = d = 2/5: NPS 0; margin 100 * 1.96 * sqrt((0.4 + 0.4 - 0) / 5) = 78.4
    assert case.metrics["voice.nps"] == pytest.approx(0)
    assert case.metrics["voice.nps_margin_of_error"] == pytest.approx(78.4)
    assert case.metrics["voice.nps_responses_count"] == 5


def test_csat_and_ces(case) -> None:
    # CSAT: r4 2 (latest), r5 3 -> none 4-5, mean 2.5; CES 6 and 2 -> mean 4, easy 1/2
    assert case.metrics["voice.csat_rate"] == 0
    assert case.metrics["voice.csat_mean"] == pytest.approx(2.5)
    assert case.metrics["voice.ces_mean"] == pytest.approx(4)
    assert case.metrics["voice.ces_easy_share"] == pytest.approx(0.5)


def test_trend_and_distribution(case) -> None:
    trend = case.tables["nps_trend"]  # day grain: 11-05 holds r1's latest answer of that day
    row = trend.filter(pl.col("bucket") == pl.date(2026, 11, 5)).row(0, named=True)
    assert (row["responses"], row["detractors"], row["nps"]) == (1, 1, -100)
    nps = case.tables["score_distribution"].filter(pl.col("survey") == "nps")
    assert nps["responses"].sum() == 5 and nps["share"].sum() == pytest.approx(1)


def test_breakdown_by_an_accounts_column() -> None:
    report = voice(CASE, accounts=ACCOUNTS, by="segment", **WINDOW)
    rows = {r["segment"]: r for r in report.tables["by_segment"].to_dicts()}
    # smb (a1, a2): r1 3, r2 9, r3 7, anonymous 6 -> p 1/4, d 2/4: NPS -25
    assert rows["smb"]["nps"] == pytest.approx(-25)
    # ent (a3): anonymous 10 -> NPS 100
    assert rows["ent"]["nps"] == pytest.approx(100)
    trend = report.tables["nps_trend_by_segment"]
    # day buckets: on 11-09 the only answer is ent's anonymous 10
    row = trend.filter(pl.col("bucket") == pl.date(2026, 11, 9)).row(0, named=True)
    assert (row["segment"], row["responses"], row["nps"]) == ("ent", 1, 100)


def test_comments_only_when_asked(case) -> None:
    assert "comments" not in case.tables
    assert "love it" not in case.to_json()
    report = voice(CASE, include_comments=True, **WINDOW)
    # only counted answers: r1's latest comment, not the superseded one
    assert report.tables["comments"]["comment"].to_list() == ["changed my mind"]


def test_csat_from_tickets_when_no_csat_survey() -> None:
    tickets = pl.DataFrame(
        {
            "ticket_id": ["t1", "t2", "t3", "t4"],
            "created_at": ["2026-11-02", "2026-11-03", "2026-11-04", "2026-10-01"],
            "satisfaction": ["good", "4", "bad", "5"],  # t4 is before the window
        }
    )
    report = cm.voice(cm.load(tickets=tickets), **WINDOW)
    assert report.metrics["voice.csat_rate"] == pytest.approx(2 / 3)  # good, 4 of 3 rated
    assert report.metrics["voice.nps"] is None


def test_needs_surveys_or_tickets() -> None:
    with pytest.raises(cm.InputError, match="voice needs surveys or tickets"):
        cm.voice(cm.load(accounts=ACCOUNTS))


ANSWERS = st.lists(
    st.tuples(st.integers(0, 10), st.sampled_from(["r1", "r2", "r3", None]), st.integers(0, 29)),
    min_size=1,
    max_size=40,
)


@given(ANSWERS)
def test_nps_is_within_bounds_and_matches_its_definition(answers) -> None:
    rows = [
        (f"2026-11-{1 + day:02d}T10:00:00Z", score, "nps", who, "a1", None)
        for score, who, day in answers
    ]
    report = voice(rows, **WINDOW)
    nps = report.metrics["voice.nps"]
    assert nps is not None and -100 <= nps <= 100
    latest: dict[str, tuple[int, int]] = {}
    anonymous = []
    for score, who, day in answers:
        if who is None:
            anonymous.append(score)
        elif who not in latest or (day, score) > latest[who]:
            latest[who] = (day, score)
    scores = [s for _, s in latest.values()] + anonymous
    p = sum(s >= 9 for s in scores) / len(scores)
    d = sum(s <= 6 for s in scores) / len(scores)
    assert nps == pytest.approx(100 * (p - d))
    margin = 100 * 1.96 * math.sqrt(max(p + d - (p - d) ** 2, 0) / len(scores))
    assert report.metrics["voice.nps_margin_of_error"] == pytest.approx(margin)
