"""Every engagement, onboarding, retention, support, voice and revenue headline metric (and every
retention cohort cell and monthly MRR movement) agrees with an independent DuckDB SQL
implementation on generated data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from bench.billing import write_billing
from bench.reference import engagement_reference
from bench.reference_lifecycle import onboarding_reference, retention_reference
from bench.reference_revenue import movements_reference, revenue_reference
from bench.reference_service import support_reference, voice_reference

import csmetrics as cm
from csmetrics.families.engagement import EngagementParams
from csmetrics.sample import SampleOptions, write_sample
from tests.helpers import engagement

WINDOWS = [
    ("2026-09-01", "2026-10-01"),  # a month, with MAU30 reaching into August
    ("2026-10-12", "2026-10-19"),  # a week
    ("2026-08-15", "2026-10-31"),  # window ending on the data's last (partial) day
]


@pytest.fixture(scope="module")
def sample_events(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sample")
    out = {}
    for fmt in ("parquet", "csv"):
        target = folder / fmt
        write_sample(target, SampleOptions(seed=11, accounts=25, months=4, events_format=fmt))
        out[fmt] = target / f"events.{fmt}"
    return out


@pytest.mark.parametrize(("since", "until"), WINDOWS)
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_engagement_matches_duckdb(sample_events, fmt: str, since: str, until: str) -> None:
    path = sample_events[fmt]
    params = EngagementParams(inactive_events=("email_opened",))
    ours = engagement(path, params, since=since, until=until).metrics
    bounds = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in (since, until)]
    theirs = engagement_reference(str(path), *bounds, inactive=("email_opened",))
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key


ONBOARDING = {
    "activation": ("created_project", "invited_user"),
    "window_days": 7,
    "steps": ("signed_up", "created_project", "invited_user", "connected_integration"),
    "conversion_days": 3,
}


@pytest.mark.parametrize(("since", "until"), WINDOWS)
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_onboarding_matches_duckdb(sample_events, fmt: str, since: str, until: str) -> None:
    path = sample_events[fmt]
    ours = cm.onboarding(
        cm.load(events=str(path)),
        activation_events=ONBOARDING["activation"],
        activation_window="7d",
        steps=ONBOARDING["steps"],
        conversion_window="3d",
        since=since,
        until=until,
    ).metrics
    bounds = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in (since, until)]
    theirs = onboarding_reference(str(path), *bounds, **ONBOARDING)
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        _same(ours[key], value, key)


@pytest.mark.parametrize(("since", "until"), [*WINDOWS, ("2026-09-07", "2026-10-05")])
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_retention_matches_duckdb(sample_events, fmt: str, since: str, until: str) -> None:
    path = sample_events[fmt]
    report = cm.retention(
        cm.load(events=str(path)),
        periods=6,
        inactive_events=["email_opened"],
        since=since,
        until=until,
        grain="week",
    )
    bounds = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in (since, until)]
    theirs, cells = retention_reference(str(path), *bounds, inactive=("email_opened",))
    for key, value in theirs.items():
        _same(report.metrics[key], value, key)
    table = report.tables["cohorts"].filter(pl.col("offset") > 0, pl.col("users").is_not_null())
    assert table.height > 0
    for cohort, offset, users in table.select("cohort", "offset", "users").rows():
        assert users == cells.get((cohort, offset), 0), (cohort, offset)


def _same(ours: object, theirs: object, key: str) -> None:
    if theirs is None:
        assert ours is None, key
    else:
        assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-9), key


@pytest.mark.parametrize(("since", "until"), WINDOWS)
@pytest.mark.parametrize("business", [False, True])
def test_support_matches_duckdb(sample_events, since: str, until: str, business: bool) -> None:
    path = sample_events["csv"].parent / "tickets.csv"
    options = {"business_hours": "mon-fri 09:00-17:00"} if business else {}
    ours = cm.support(
        cm.load(tickets=str(path)), sla_first_response="4h", since=since, until=until, **options
    ).metrics
    bounds = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in (since, until)]
    theirs = support_reference(str(path), *bounds, sla_hours=4, business=business)
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        _same(ours[key], value, key)


@pytest.mark.parametrize(("since", "until"), WINDOWS)
def test_voice_matches_duckdb(sample_events, since: str, until: str) -> None:
    path = sample_events["csv"].parent / "surveys.csv"
    ours = cm.voice(cm.load(surveys=str(path)), since=since, until=until).metrics
    bounds = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in (since, until)]
    theirs = voice_reference(str(path), *bounds)
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        _same(ours[key], value, key)


REVENUE_WINDOWS = [
    ("2026-10-01", "2026-11-01"),  # a month
    ("2026-01-01", "2026-07-01"),  # a half year
    ("2026-11-09", "2026-11-16"),  # a week: no month end inside, movement metrics null
]


@pytest.fixture(scope="module")
def generated_billing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five years of lines of 1,500 accounts: annual plans, upgrades, discounts, fees, voids."""
    path = tmp_path_factory.mktemp("billing") / "billing.parquet"
    write_billing(path, accounts=1_500, seed=5)
    return path


@pytest.mark.parametrize(("since", "until"), REVENUE_WINDOWS)
@pytest.mark.parametrize("source", ["sample", "generated"])
def test_revenue_matches_duckdb(
    sample_events, generated_billing, source: str, since: str, until: str
) -> None:
    path = (
        generated_billing if source == "generated" else sample_events["csv"].parent / "billing.csv"
    )
    ours = cm.revenue(cm.load(billing=str(path)), since=since, until=until)
    bounds = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in (since, until)]
    theirs = revenue_reference(str(path), *bounds)
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
        expected = movements_reference(str(path), *bounds)
        assert [r[0] for r in rows] == [r[0] for r in expected]
        for mine, reference in zip(rows, expected, strict=True):
            assert mine[1:] == pytest.approx(reference[1:], rel=1e-7, abs=1e-3), mine[0]
