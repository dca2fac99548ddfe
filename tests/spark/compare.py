"""Comparing a Spark report with the Polars report of the same inputs: counts exactly, ratios
to 1e-9, the same null cells, the same warnings."""

from __future__ import annotations

import math
from collections.abc import Callable

import polars as pl
import pytest

import csmetrics as cm

TOLERANCE = 1e-9


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def assert_same_table(ours: pl.DataFrame, theirs: pl.DataFrame, name: str) -> None:
    assert ours.schema == theirs.schema, name
    assert ours.height == theirs.height, name
    for column in theirs.columns:
        a, b = ours[column], theirs[column]
        assert a.is_null().equals(b.is_null()), f"{name}.{column}: null cells differ"
        if b.dtype.is_float():
            pairs = zip(a.to_list(), b.to_list(), strict=True)
            assert all(close(x, y) for x, y in pairs), f"{name}.{column}: {a} != {b}"
        else:
            assert a.equals(b), f"{name}.{column}: {a.to_list()} != {b.to_list()}"


def assert_same_report(ours: cm.Report, theirs: cm.Report) -> None:
    assert ours.metrics.keys() == theirs.metrics.keys()
    for key, value in theirs.metrics.items():
        assert close(ours.metrics[key], value), f"{key}: {ours.metrics[key]} != {value}"
    assert ours.tables.keys() == theirs.tables.keys()
    for name, table in theirs.tables.items():
        assert_same_table(ours.tables[name], table, name)
    assert [(w.code, w.message, w.count) for w in ours.warnings] == [
        (w.code, w.message, w.count) for w in theirs.warnings
    ]
    for kind, info in theirs.sources.items():
        for key in ("rows", "rows_used", "rows_in_window", "first_timestamp", "last_timestamp"):
            assert ours.sources[kind].get(key) == info.get(key), f"{kind}.{key}"


def assert_same_outcome(spark: Callable[[], cm.Report], polars: Callable[[], cm.Report]) -> None:
    """Both runs give the same report, or both fail with the same input error."""
    try:
        expected = polars()
    except cm.InputError as error:
        with pytest.raises(cm.InputError) as raised:
            spark()
        assert str(raised.value) == str(error)
        return
    computed = spark()
    # the report records what computed it: Spark ran, not a fallback to Polars
    assert (computed.engine, expected.engine) == ("spark", "polars")
    assert_same_report(computed, expected)
