"""Values in their JSON form, one rule for every output: instants as ISO 8601 UTC with `Z`,
NaN and infinities as null, exact decimals as numbers with the same digits."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import polars as pl

from csmetrics.core.timeparts import UTC
from csmetrics.core.window import Window


def iso(value: datetime | None) -> str | None:
    """ISO 8601 UTC with `Z`."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def number_or_null(value: object) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value  # type: ignore[return-value]


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float):
        return number_or_null(value)
    return value


def table_records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The table's rows as JSON-ready dicts. NaN and infinities become null in Polars; exact
    decimals (money) become JSON numbers with the same digits; only temporal columns are
    converted value by value (a table of 20k accounts has none)."""
    decimals = [name for name, dtype in frame.schema.items() if dtype.is_decimal()]
    frame = frame.with_columns(pl.col(decimals).cast(pl.Float64))
    floats = [name for name, dtype in frame.schema.items() if dtype.is_float()]
    finite = frame.with_columns(
        pl.when(pl.col(name).is_finite()).then(pl.col(name)).alias(name) for name in floats
    )
    temporal = [name for name, dtype in frame.schema.items() if dtype.is_temporal()]
    rows = finite.to_dicts()
    for row in rows if temporal else ():
        for name in temporal:
            row[name] = jsonable(row[name])
    return rows


def window_json(window: Window) -> dict[str, Any]:
    """A window as the bundle's and explain's JSON give it: its bounds, zone and label."""
    return {
        "since": iso(window.since),
        "until": iso(window.until),
        "timezone": window.timezone,
        "label": window.name,
    }
