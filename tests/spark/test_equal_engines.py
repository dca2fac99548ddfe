"""Spark and Polars give the same reports on random event logs: every metric, table cell, null
and warning (the family tests check each engine against hand-computed values; this checks them
against each other on inputs nobody computed by hand)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import csmetrics as cm
from tests.spark.compare import assert_same_outcome

START = datetime(2026, 10, 20, tzinfo=UTC)  # spans the end of DST in Europe (Oct 25)
EVENTS = st.tuples(
    st.integers(0, 30 * 24 * 4),  # quarter hours after START: 30 days
    st.sampled_from(["u1", "u2", "u3", "u4", "u5", "u6"]),
    st.sampled_from(["signed_up", "login", "report", "invited_user"]),
    st.sampled_from(["a1", "a2", None]),
    st.sampled_from(["s1", "s2", None]),
)
LOGS = st.lists(EVENTS, min_size=1, max_size=60)
SETTINGS = st.fixed_dictionaries(
    {
        "timezone": st.sampled_from(["UTC", "Europe/Paris", "America/Los_Angeles"]),
        "week_start": st.sampled_from(["monday", "sunday"]),
        "grain": st.sampled_from(["day", "week", "month"]),
    }
)
WINDOW = {"since": "2026-10-24", "until": "2026-11-14"}


def _frame(rows: list[tuple[Any, ...]], session_id: bool) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "timestamp": [START + timedelta(minutes=15 * m) for m, *_ in rows],
            "user_id": [r[1] for r in rows],
            "event": [r[2] for r in rows],
            "account_id": [r[3] for r in rows],
            "session_id": [r[4] for r in rows],
        },
        schema_overrides={"account_id": pl.String, "session_id": pl.String},
    )
    return frame if session_id else frame.drop("session_id")


def _both(frame: pl.DataFrame, spark: Any, **others: pl.DataFrame) -> tuple[cm.Inputs, cm.Inputs]:
    """The same rows read by each engine's loader: Polars from a Parquet file, Spark too (the
    `others` sources, Polars on both)."""
    folder = Path(tempfile.mkdtemp())
    path = folder / "events.parquet"
    frame.write_parquet(path)
    return (
        cm.load(events=path, engine="polars", **others),
        cm.load(events=str(path), engine=spark, **others),
    )


@settings(max_examples=5)
@given(LOGS, SETTINGS, st.booleans(), st.booleans())
def test_engagement_is_the_same_on_both_engines(spark, rows, window, session_id, mapped) -> None:
    polars_inputs, spark_inputs = _both(_frame(rows, session_id), spark)
    options: dict[str, Any] = {"session_gap": "45m", "inactive_events": ["invited_user"]}
    if mapped:
        options["features"] = {"reporting": ["report"], "setup": ["signed_up", "invited_user"]}
    assert_same_outcome(
        lambda: cm.engagement(spark_inputs, **options, **window, **WINDOW),
        lambda: cm.engagement(polars_inputs, **options, **window, **WINDOW),
    )


@settings(max_examples=5)
@given(LOGS, SETTINGS, st.sampled_from(["user", "account"]))
def test_onboarding_is_the_same_on_both_engines(spark, rows, window, level) -> None:
    polars_inputs, spark_inputs = _both(_frame(rows, False), spark)
    options: dict[str, Any] = {
        "level": level,
        "activation_events": ["report", "invited_user"],
        "activation_window": "3d",
        "value_event": "report",
        "steps": ["signed_up", "login", "report"],
        "conversion_window": "2d",
    }
    assert_same_outcome(
        lambda: cm.onboarding(spark_inputs, **options, **window, **WINDOW),
        lambda: cm.onboarding(polars_inputs, **options, **window, **WINDOW),
    )


@settings(max_examples=5)
@given(
    LOGS,
    SETTINGS,
    st.sampled_from(["on", "on_or_after"]),
    st.sampled_from(["first_time", "recurring"]),
    st.sampled_from(["day", "week", "month"]),
)
def test_retention_is_the_same_on_both_engines(spark, rows, window, mode, kind, cohorts) -> None:
    polars_inputs, spark_inputs = _both(_frame(rows, False), spark)
    options: dict[str, Any] = {
        "retention_mode": mode,
        "retention_type": kind,
        "cohort_grain": cohorts,
        "periods": 3,
        "signup_event": "signed_up",
    }
    assert_same_outcome(
        lambda: cm.retention(spark_inputs, **options, **window, **WINDOW),
        lambda: cm.retention(polars_inputs, **options, **window, **WINDOW),
    )


# a1 and a2 pay through the window, a3 pays too but has no events (ARPU's warning)
BILLING = pl.DataFrame(
    {
        "invoice_id": ["i1", "i2", "i3"],
        "account_id": ["a1", "a2", "a3"],
        "amount": ["100", "40", "10"],
        "issued_at": ["2026-10-01"] * 3,
        "period_start": ["2026-10-01"] * 3,
        "period_end": ["2027-10-01"] * 3,
    }
)


@settings(max_examples=3)
@given(LOGS, SETTINGS)
def test_revenue_arpu_is_the_same_on_both_engines(spark, rows, window) -> None:
    polars_inputs, spark_inputs = _both(_frame(rows, False), spark, billing=BILLING)
    options: dict[str, Any] = {"inactive_events": ["invited_user"], "timezone": window["timezone"]}
    assert_same_outcome(
        lambda: cm.revenue(spark_inputs, **options, **WINDOW),
        lambda: cm.revenue(polars_inputs, **options, **WINDOW),
    )
