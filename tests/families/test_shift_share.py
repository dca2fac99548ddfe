"""The decomposition of a change by segment (families/shift_share.py, metrics.md "Why it
changed"): two-segment examples computed by hand, and the properties that make it trustworthy:
contributions add up to the change, rate and mix add up to each contribution."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csmetrics.families.explainer import AMOUNT, DENOMINATOR, NUMERATOR, OBSERVATION
from csmetrics.families.shift_share import UNITS, decompose, total_of


def sums(rows: list[tuple[str | None, float, float]]) -> pl.DataFrame:
    """Per-segment (segment, numerator, denominator) of one window of a ratio."""
    return pl.DataFrame(
        {
            "plan": [r[0] for r in rows],
            NUMERATOR: [float(r[1]) for r in rows],
            DENOMINATOR: [float(r[2]) for r in rows],
            UNITS: [int(r[2]) for r in rows],
        },
        schema={
            "plan": pl.String,
            NUMERATOR: pl.Float64,
            DENOMINATOR: pl.Float64,
            UNITS: pl.UInt32,
        },
    )


def total(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.col(NUMERATOR, DENOMINATOR, UNITS).sum())


def test_a_ratio_splits_into_rate_and_mix_by_hand() -> None:
    # previous: A 20 of 100 (r 0.2, w 0.5), B 60 of 100 (r 0.6, w 0.5): M0 = 80 / 200 = 0.4
    # now:      A 30 of 100 (r 0.3, w 0.25), B 180 of 300 (r 0.6, w 0.75): M1 = 210 / 400 = 0.525
    before = sums([("A", 20, 100), ("B", 60, 100)])
    now = sums([("A", 30, 100), ("B", 180, 300)])
    rows = {r["plan"]: r for r in decompose("ratio", ["plan"], now, before).to_dicts()}
    a, b = rows["A"], rows["B"]
    # A: rate (0.5 + 0.25) / 2 * (0.3 - 0.2) = 0.0375; mix (0.2 + 0.3) / 2 * (0.25 - 0.5) = -0.0625
    assert a["rate_effect"] == pytest.approx(0.0375)
    assert a["mix_effect"] == pytest.approx(-0.0625)
    assert a["contribution"] == pytest.approx(0.25 * 0.3 - 0.5 * 0.2)  # -0.025
    # B: rate (0.5 + 0.75) / 2 * 0 = 0; mix (0.6 + 0.6) / 2 * (0.75 - 0.5) = 0.15
    assert b["rate_effect"] == pytest.approx(0.0)
    assert b["mix_effect"] == pytest.approx(0.15)
    assert b["contribution"] == pytest.approx(0.75 * 0.6 - 0.5 * 0.6)  # 0.15
    assert (a["value"], a["previous_value"], a["weight"], a["previous_weight"]) == pytest.approx(
        (0.3, 0.2, 0.25, 0.5)
    )
    assert total_of("ratio", total(now)) - total_of("ratio", total(before)) == pytest.approx(
        -0.025 + 0.15
    )
    # sorted by the absolute contribution: B (0.15) before A (0.025)
    assert decompose("ratio", ["plan"], now, before)["plan"].to_list() == ["B", "A"]


def test_a_segment_that_appears_has_zero_weight_and_rate_before() -> None:
    # previous: A 1 of 2 (M0 = 0.5); now: A 1 of 2, new C 3 of 6: M1 = 4 / 8 = 0.5
    before = sums([("A", 1, 2)])
    now = sums([("A", 1, 2), ("C", 3, 6)])
    rows = {r["plan"]: r for r in decompose("ratio", ["plan"], now, before).to_dicts()}
    c = rows["C"]
    # C: w 0 -> 0.75, r 0 -> 0.5: rate 0.375 * 0.5 = 0.1875, mix 0.25 * 0.75 = 0.1875
    assert (c["rate_effect"], c["mix_effect"], c["contribution"]) == pytest.approx(
        (0.1875, 0.1875, 0.375)
    )
    assert c["previous_value"] is None and c["previous_weight"] == 0.0
    # A: w 1 -> 0.25 at r 0.5: mix 0.5 * -0.75 = -0.375; the two cancel, as M did not move
    assert rows["A"]["contribution"] == pytest.approx(-0.375)


def test_the_missing_segment_is_a_row_of_its_own() -> None:
    before = sums([("A", 1, 4), (None, 1, 4)])
    now = sums([("A", 2, 4), (None, 3, 4)])
    segments = decompose("ratio", ["plan"], now, before)
    assert segments["plan"].to_list() == [None, "A"]  # null: 0.25 -> 0.375; A: 0.125 -> 0.25
    assert segments["contribution"].to_list() == pytest.approx([0.25, 0.125])


def test_an_additive_metric_contributes_its_own_change() -> None:
    # MRR by plan: A 100 -> 150 (+50), B 300 -> 250 (-50), C 0 -> 40 (+40): total 400 -> 440
    before = pl.DataFrame({"plan": ["A", "B"], AMOUNT: [100.0, 300.0], UNITS: [1, 3]})
    now = pl.DataFrame({"plan": ["A", "B", "C"], AMOUNT: [150.0, 250.0, 40.0], UNITS: [1, 2, 1]})
    rows = {r["plan"]: r for r in decompose("additive", ["plan"], now, before).to_dicts()}
    assert [rows[p]["contribution"] for p in "ABC"] == [50.0, -50.0, 40.0]
    assert rows["C"]["previous_value"] == 0.0
    assert rows["A"]["weight"] == pytest.approx(150 / 440)
    assert rows["A"]["rate_effect"] is None


def test_a_quantile_shows_values_and_shares_without_contributions() -> None:
    before = pl.DataFrame({"plan": ["A", "B"], OBSERVATION: [2.0, 4.0], UNITS: [3, 1]})
    now = pl.DataFrame({"plan": ["A", "B"], OBSERVATION: [3.0, 1.0], UNITS: [1, 3]})
    segments = decompose("quantile", ["plan"], now, before)
    assert segments["plan"].to_list() == ["B", "A"]  # by share now: 3 of 4, then 1 of 4
    assert segments["weight"].to_list() == [0.75, 0.25]
    assert segments["contribution"].to_list() == [None, None]


def test_an_empty_denominator_leaves_contributions_null() -> None:
    before = sums([("A", 0, 0)])
    now = sums([("A", 1, 2)])
    segments = decompose("ratio", ["plan"], now, before)
    assert segments["contribution"].to_list() == [None]
    assert total_of("ratio", total(before)) is None


SEGMENT_NAMES = st.sampled_from(["a", "b", "c", "d", None])


@st.composite
def window_sums(draw: st.DrawFn) -> pl.DataFrame:
    """One window's segments: some present, each with a numerator within its denominator."""
    names = draw(st.lists(SEGMENT_NAMES, min_size=1, max_size=5, unique=True))
    rows = []
    for name in names:
        denominator = draw(st.integers(1, 10_000))
        rows.append((name, draw(st.integers(0, denominator)), denominator))
    return sums(rows)


@settings(max_examples=300, deadline=None)
@given(before=window_sums(), now=window_sums())
def test_ratio_contributions_add_up_to_the_change(before: pl.DataFrame, now: pl.DataFrame) -> None:
    segments = decompose("ratio", ["plan"], now, before)
    change = total_of("ratio", total(now)) - total_of("ratio", total(before))
    assert math.isclose(segments["contribution"].sum(), change, abs_tol=1e-9)
    effects = segments["rate_effect"] + segments["mix_effect"]
    assert (effects - segments["contribution"]).abs().max() < 1e-9
    # every segment of either window is a row, the null one included
    seen = set(before["plan"].to_list()) | set(now["plan"].to_list())
    assert set(segments["plan"].to_list()) == seen


@settings(max_examples=300, deadline=None)
@given(
    before=st.dictionaries(SEGMENT_NAMES, st.floats(-1e6, 1e6), min_size=1),
    now=st.dictionaries(SEGMENT_NAMES, st.floats(-1e6, 1e6), min_size=1),
)
def test_additive_contributions_add_up_to_the_change(
    before: dict[str | None, float], now: dict[str | None, float]
) -> None:
    def frame(values: dict[str | None, float]) -> pl.DataFrame:
        return pl.DataFrame(
            {"plan": list(values), AMOUNT: list(values.values()), UNITS: [1] * len(values)},
            schema={"plan": pl.String, AMOUNT: pl.Float64, UNITS: pl.UInt32},
        )

    segments = decompose("additive", ["plan"], frame(now), frame(before))
    change = sum(now.values()) - sum(before.values())
    scale = 1 + sum(map(abs, now.values())) + sum(map(abs, before.values()))
    assert math.isclose(segments["contribution"].sum(), change, abs_tol=1e-9 * scale)
