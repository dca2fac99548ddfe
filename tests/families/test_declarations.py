"""Each family emits exactly the metrics and tables it declares (families/<family>/metrics.py):
a metric computed but not declared has no unit or definition, one declared but never computed
is a promise the catalogue cannot keep."""

from __future__ import annotations

from pathlib import Path

import pytest

import csmetrics as cm
from csmetrics.families.catalogue import FAMILIES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample() -> cm.Inputs:
    return cm.load(config=ROOT / "sample_data" / "csmetrics.toml")


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_a_family_emits_exactly_its_declared_metrics(sample: cm.Inputs, name: str) -> None:
    family = FAMILIES[name]
    declared = [metric.id for metric in family.metrics]
    # retention's headline offsets depend on the cohort grain (1 and 7 days, 1 and 4 weeks, 1
    # and 3 months): the three grains together emit every declared metric
    grains = ("day", "week", "month") if name == "retention" else (None,)
    emitted: dict[str, None] = {}
    for grain in grains:
        settings = {"cohort_grain": grain} if grain else {}
        report = cm.compute_family(name, sample, settings, {"period": "2026-10"})
        ids = list(report.metrics)
        assert ids == [m for m in declared if m in ids]  # in the declaration's order
        emitted.update(dict.fromkeys(ids))
    assert sorted(emitted) == sorted(declared)
    declared_tables = {table.name for table in family.tables}
    # breakdown tables are declared once as by_<column>
    tables = {t if not t.startswith("by_") else "by_<column>" for t in report.tables}
    assert tables <= declared_tables, tables - declared_tables
    assert all(metric.family == name for metric in family.metrics)
