"""Revenue's headline metrics and every monthly MRR movement agree with an independent DuckDB SQL
implementation, on the sample and on five years of generated lines."""

from __future__ import annotations

import pytest

import csmetrics as cm
from tests.families.reference import bounds
from tests.families.revenue.reference_duckdb import movements_reference, revenue_reference

REVENUE_WINDOWS = [
    ("2026-10-01", "2026-11-01"),  # a month
    ("2026-01-01", "2026-07-01"),  # a half year
    ("2026-11-09", "2026-11-16"),  # a week: no month end inside, movement metrics null
]


@pytest.mark.parametrize(("since", "until"), REVENUE_WINDOWS)
@pytest.mark.parametrize("source", ["sample", "generated"])
def test_revenue_matches_duckdb(
    sample_events, generated_billing, source: str, since: str, until: str
) -> None:
    path = (
        generated_billing if source == "generated" else sample_events["csv"].parent / "billing.csv"
    )
    # the sample's events give ARPU its users (email_opened does not make a user active)
    events = sample_events["csv"] if source == "sample" else None
    inactive = ("email_opened",)
    ours = cm.revenue(
        cm.load(billing=str(path), events=events and str(events)),
        since=since,
        until=until,
        inactive_events=inactive,
    )
    theirs = revenue_reference(
        str(path), *bounds(since, until), events=events and str(events), inactive=inactive
    )
    assert ours.metrics.keys() == theirs.keys()
    for key, value in theirs.items():
        # csmetrics rounds each line's monthly amount to a millionth (exact sums after that)
        if value is None:
            assert ours.metrics[key] is None, key
        else:
            assert ours.metrics[key] == pytest.approx(value, rel=1e-7, abs=1e-4), key
    if "mrr_movements" in ours.tables:
        rows = [
            (row[0], *(float(v) for v in row[1:]))
            for row in ours.tables["mrr_movements"]
            .select(
                "month",
                "starting",
                "new",
                "expansion",
                "contraction",
                "churn",
                "reactivation",
                "ending",
            )
            .iter_rows()
        ]
        expected = movements_reference(str(path), *bounds(since, until))
        assert [r[0] for r in rows] == [r[0] for r in expected]
        for mine, reference in zip(rows, expected, strict=True):
            assert mine[1:] == pytest.approx(reference[1:], rel=1e-7, abs=1e-3), mine[0]
