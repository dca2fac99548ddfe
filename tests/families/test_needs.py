"""A metric whose input is absent is null, never a number (issue 20, item 2): on the sample data,
each optional column of each source is dropped in turn, and every metric of every family that
reads the source is then either unchanged, or null with a warning naming the column, or changed
with a warning naming the column (a documented default, such as a month of service without
period columns). Nothing changes silently."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.errors import InputError
from csmetrics.families.catalogue import FAMILIES
from csmetrics.ingest.sources.schema import SCHEMAS

CONFIG = Path(__file__).parents[2] / "sample_data" / "csmetrics.toml"
PERIOD = "2026-10"


@pytest.fixture(scope="module")
def full() -> Any:
    return cm.load(config=CONFIG)


@pytest.fixture(scope="module")
def baseline(full: Any) -> dict[str, cm.Report]:
    return {name: _run(name, full) for name in FAMILIES}


def _run(name: str, inputs: Any) -> cm.Report:
    return getattr(cm, name)(inputs, period=PERIOD)


def _optional_columns() -> list[tuple[str, str]]:
    full = cm.load(config=CONFIG)
    return [
        (kind, column)
        for kind, source in full.sources.items()
        for column in source.columns
        if not SCHEMAS[kind][column].required
    ]


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize(("kind", "column"), _optional_columns())
def test_dropping_a_column_never_changes_a_metric_silently(
    kind: str, column: str, full: Any, baseline: dict[str, cm.Report]
) -> None:
    frame = full[kind].drop(column)
    dropped = cm.load(config=CONFIG, **{kind: frame})
    for name, family in FAMILIES.items():
        if kind not in family.sources:
            continue
        try:
            report = _run(name, dropped)
        except InputError as error:  # a column the family cannot run without
            assert column in str(error)
            continue
        before = baseline[name]
        for metric, value in report.metrics.items():
            if _same(value, before.metrics[metric]):
                continue
            reasons = [w.message for w in report.warnings if w.metric in (metric, None)]
            named = [m for m in reasons if column in m]
            assert named, f"{metric} changed ({before.metrics[metric]} -> {value}) silently"
            if value is None:
                codes = {w.code for w in report.warnings if w.metric == metric}
                assert "missing_column" in codes or "components_left_out" in codes, metric


def test_tickets_without_any_time_of_response_or_solve() -> None:
    # 3 tickets created in October; nothing says when (or whether) any was answered or solved
    tickets = pl.DataFrame(
        {
            "ticket_id": ["1", "2", "3"],
            "created_at": ["2026-10-01T10:00:00Z", "2026-10-02T10:00:00Z", "2026-10-03T10:00:00Z"],
            "agent_replies": [1, 2, 0],
        }
    )
    report = cm.support(cm.load(tickets=tickets), period=PERIOD)
    m = report.metrics
    assert m["support.tickets_created_count"] == 3  # 3 created: needs only created_at
    # before: unanswered_share 1.0 (3 / 3 "unanswered"), backlog 3, solved 0, FCR 0 / 0
    for metric in ("unanswered_share", "first_response_median_hours"):
        assert m[f"support.{metric}"] is None
        assert "none of the columns first_response_at, first_response_minutes" in _reason(
            report, metric
        )
    for metric in ("tickets_solved_count", "backlog_count", "first_contact_resolution_rate"):
        assert m[f"support.{metric}"] is None
        assert "none of the columns solved_at, resolution_minutes" in _reason(report, metric)
    volume = report.tables["volume"]
    assert volume["created"].sum() == 3
    assert volume["solved"].null_count() == volume["backlog"].null_count() == volume.height


def _reason(report: cm.Report, metric: str) -> str:
    (warning,) = [w for w in report.warnings if w.metric == f"support.{metric}"]
    assert warning.code == "missing_column"
    return warning.message
