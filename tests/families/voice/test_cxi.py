"""The CX index by hand, on each declared scale (metrics.md, voice): per component 100 x
(positive - negative) / answers, the index the mean of the four components."""

from __future__ import annotations

import polars as pl
import pytest

import csmetrics as cm

COMPONENTS = ("effort", "empathy", "understanding", "efficiency")


def answers(scores: dict[str, list[int]]) -> pl.DataFrame:
    rows = [
        (f"2026-10-{day + 1:02d}", "cxi", component, score, f"r{component}{day}")
        for component, values in scores.items()
        for day, score in enumerate(values)
    ]
    return pl.DataFrame(
        rows, schema=["submitted_at", "survey", "component", "score", "respondent_id"], orient="row"
    )


def voice(frame: pl.DataFrame, **settings: object) -> cm.Report:
    return cm.voice(cm.load(surveys=frame), period="2026-10", **settings)  # type: ignore[arg-type]


def test_a_five_point_scale() -> None:
    # 1-5: positive 4-5, negative 1-2
    report = voice(answers({
        "effort": [5, 4, 3, 1],          # 2 positive, 1 negative of 4: 100 x 1/4 = 25
        "empathy": [5, 5, 5, 5],         # 100
        "understanding": [1, 2, 3, 3],   # 0 - 2 of 4: -50
        "efficiency": [4, 2, 3, 3, 5],   # 2 - 1 of 5: 20
    }))  # fmt: skip
    metrics = report.metrics
    assert metrics["voice.cxi_effort"] == pytest.approx(25.0)
    assert metrics["voice.cxi_empathy"] == pytest.approx(100.0)
    assert metrics["voice.cxi_understanding"] == pytest.approx(-50.0)
    assert metrics["voice.cxi_efficiency"] == pytest.approx(20.0)
    assert metrics["voice.cxi"] == pytest.approx((25 + 100 - 50 + 20) / 4)  # 23.75
    table = report.tables["cxi_components"]
    assert table.row(by_predicate=pl.col("component") == "efficiency", named=True) == {
        "component": "efficiency", "answers": 5, "positive": 2, "negative": 1, "index": 20.0
    }  # fmt: skip


def test_a_seven_point_scale() -> None:
    # 1-7: positive 6-7, negative 1-2; a 5 is neither
    scores = {c: [7, 6, 5, 2] for c in COMPONENTS}  # 2 - 1 of 4: 25 each
    report = voice(answers(scores), cxi_scale="1-7")
    assert report.metrics["voice.cxi"] == pytest.approx(25.0)
    # read as 1-5, the 6s and 7s are outside the scale: left out and said
    five = voice(answers(scores))
    assert five.metrics["voice.cxi_effort"] == pytest.approx(0.0)  # 5 and 2: 1 - 1 of 2
    assert any(w.code == "cxi_outside_scale" and w.count == 8 for w in five.warnings)


def test_an_eleven_point_scale() -> None:
    # 0-10 as NPS: positive 9-10, negative 0-6
    scores = {c: [10, 9, 8, 6, 0] for c in COMPONENTS}  # 2 - 2 of 5: 0
    scores["empathy"] = [10, 10, 7, 8]  # 2 - 0 of 4: 50
    report = voice(answers(scores), cxi_scale="0-10")
    assert report.metrics["voice.cxi_empathy"] == pytest.approx(50.0)
    assert report.metrics["voice.cxi"] == pytest.approx((0 + 50 + 0 + 0) / 4)


def test_a_component_without_answers_makes_the_index_null_with_a_reason() -> None:
    report = voice(answers({"effort": [5], "empathy": [5], "understanding": [1]}))
    assert report.metrics["voice.cxi"] is None
    assert report.metrics["voice.cxi_efficiency"] is None
    reasons = {w.metric: w.message for w in report.warnings}
    assert reasons["voice.cxi"] == (
        "no CX index answers for efficiency in the window: the index needs all four"
    )
    assert report.metrics["voice.cxi_understanding"] == pytest.approx(-100.0)


def test_only_a_respondents_latest_answer_per_component_counts() -> None:
    frame = answers({c: [5] for c in COMPONENTS})
    again = pl.DataFrame(
        [("2026-10-20", "cxi", "effort", 1, "reffort0")],  # the same respondent, later
        schema=frame.columns, orient="row",
    )  # fmt: skip
    report = voice(pl.concat([frame, again]))
    assert report.metrics["voice.cxi_effort"] == pytest.approx(-100.0)  # 1: negative
    assert report.metrics["voice.cxi_empathy"] == pytest.approx(100.0)


def test_by_a_segment_works_as_for_nps() -> None:
    frame = answers({c: [5, 1] for c in COMPONENTS}).with_columns(
        account_id=pl.Series(["a1", "a2"] * 4)
    )
    accounts = pl.DataFrame({"account_id": ["a1", "a2"], "segment": ["smb", "enterprise"]})
    report = cm.voice(cm.load(surveys=frame, accounts=accounts), period="2026-10", by="segment")
    rows = {r["segment"]: r for r in report.tables["by_segment"].to_dicts()}
    assert rows["smb"]["cxi"] == pytest.approx(100.0)  # every a1 answer is a 5
    assert rows["enterprise"]["cxi"] == pytest.approx(-100.0)


def test_the_worked_example_of_the_docs() -> None:
    # docs/decisions.md: 20 answers per component on 1-5; indexes 40, 60, 10, 45 -> 38.75
    counts = {
        "effort": (6, 6, 4, 3, 1),
        "empathy": (8, 6, 4, 2, 0),
        "understanding": (3, 5, 6, 4, 2),
        "efficiency": (5, 7, 5, 2, 1),
    }
    scores = {
        c: [score for score, n in zip((5, 4, 3, 2, 1), row, strict=True) for _ in range(n)]
        for c, row in counts.items()
    }
    frame = pl.DataFrame(
        [("2026-10-05", "cxi", c, s, f"{c}{i}") for c, values in scores.items() for i, s in enumerate(values)],
        schema=["submitted_at", "survey", "component", "score", "respondent_id"], orient="row",
    )  # fmt: skip
    report = voice(frame)
    assert [report.metrics[f"voice.cxi_{c}"] for c in COMPONENTS] == pytest.approx([40, 60, 10, 45])
    assert report.metrics["voice.cxi"] == pytest.approx(38.75)
