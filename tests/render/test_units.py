"""Values and changes as people read them (issue 22, items 2 and 3): hand-written expectations
across every declared unit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmetrics.families.catalogue import METRICS
from csmetrics.render.units import change, duration, format_value, money, verdict


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        (7629.66, "EUR", "€7,629.66"),
        (7629.664, "USD", "$7,629.66"),
        (-1234.5, "GBP", "-£1,234.50"),
        (12000.0, "JPY", "¥12,000"),  # no minor unit
        (1_250_000.0, "IDR", "IDR 1,250,000.00"),  # a code without a symbol
        (1_250_000.0, "VND", "VND 1,250,000"),
        (-0.001, "EUR", "€0.00"),  # no "-€0.00"
        (99.0, None, "99.00"),
    ],
)
def test_money(value: float, currency: str | None, shown: str) -> None:
    assert money(value, currency) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.72, "minutes", "43 s"),  # 0.72 x 60 = 43.2 s
        (4.1666, "minutes", "4 min 10 s"),  # 250 s
        (288.16, "minutes", "4 h 48 min"),  # 17,290 s = 4 h 48.2 min
        (2.0833, "hours", "2 h 5 min"),  # 125 min
        (3.02, "hours", "3 h 1 min"),  # 181.2 min
        (0.03, "hours", "1 min 48 s"),  # 108 s
        (38.4, "hours", "1.6 days"),  # 1.6 x 24
        (0.0, "days", "0 days"),
        (-2.5, "days", "-2.5 days"),  # paid early
        (0.5, "hours", "30 min"),
        (0.999, "hours", "1 h"),  # 59.94 min rounds to the hour
        (250.0, "days", "250 days"),
    ],
)
def test_durations_in_the_largest_readable_unit(value: float, unit: str, shown: str) -> None:
    assert duration(value, unit) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.4532, "share", "45.3%"),
        (211.0, "users", "211"),
        (1234.0, "count", "1,234"),
        (211.37, "users", "211.4"),  # a mean of daily counts
        (-16.666, "score", "-16.7"),  # NPS
        (4.321, "score", "4.32"),  # a CSAT mean
        (2.345, "ratio", "2.35"),
        (None, "share", "n/a"),
        (float("nan"), "money", "n/a"),
    ],
)
def test_format_value(value: float | None, unit: str, shown: str) -> None:
    assert format_value(value, unit, "EUR") == shown


@pytest.mark.parametrize(
    ("value", "previous", "unit", "shown"),
    [
        (0.80, 0.333, "share", "+46.7 pp"),  # CSAT 33.3% -> 80.0%, not +140%
        (50.0, -16.67, "score", "+66.7 pts"),  # NPS, not +400%
        (7629.66, 6000.0, "money", "+27.2%"),  # 1,629.66 / 6,000
        (90.0, 100.0, "users", "-10.0%"),
        (3.0, 0.0, "count", "new"),
        (0.0, 0.0, "count", "±0%"),
        (2.0, 1.5, "ratio", "+0.50"),
        (3.57, 4.08, "score", "-0.51 pts"),  # a CSAT mean: two decimals, as it is shown
        (None, 1.0, "count", ""),
    ],
)
def test_change_in_points_for_rates_and_scores(
    value: float | None, previous: float, unit: str, shown: str
) -> None:
    assert change(value, previous, unit) == shown


def test_verdict_says_better_or_worse_without_colour() -> None:
    assert verdict(0.8, 0.3, "higher") == ("▲ better", "green")
    assert verdict(0.8, 0.3, "lower") == ("▲ worse", "red")  # churn went up
    assert verdict(2.0, 3.0, "lower") == ("▼ better", "green")  # response time went down
    assert verdict(2.0, 3.0, "neutral") == ("▼ down", "")
    assert verdict(2.0, 2.0, "higher") == ("= same", "")
    assert verdict(None, 2.0, "higher") == ("", "")


def test_every_declared_unit_has_a_format() -> None:
    known = {"share", "money", "minutes", "hours", "days", "users", "accounts", "sessions"}
    known |= {"count", "score", "ratio"}
    assert {metric.unit for metric in METRICS} <= known


@given(st.floats(-1e9, 1e9, allow_nan=False), st.sampled_from(["minutes", "hours", "days"]))
def test_a_duration_is_never_cut_or_empty(value: float, unit: str) -> None:
    shown = duration(value, unit)
    assert shown and shown[-1] in "snhy"  # ends in a unit: s, min, h, days
    assert ("-" in shown) == (value * {"minutes": 60, "hours": 3600, "days": 86400}[unit] <= -0.5)
