"""Findings about values that do not block a run, as warnings: spreadsheet zero dates and
implausible times in any time column, an id value holding most rows, amounts that look like
cents. Computed from a source's quality counts (whichever engine counted them) or, for the
amount hint, from how the file holds the column."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.ingest.sources.canonical import LoadedSource, amount_unit

PLAUSIBLE_START = datetime(2000, 1, 1, tzinfo=UTC)


def plausible_end() -> datetime:
    """The first instant after next year: later times are more likely a unit or format error."""
    return datetime(datetime.now(UTC).year + 2, 1, 1, tzinfo=UTC)


def observed_range(value: pl.Expr) -> list[pl.Expr]:
    """The source's first and last time among plausible values (a stray year 9999 or 0001 is
    warned by `implausible_times` and left out of the range an open window takes); all of
    them when none is plausible (`implausible_range` says so)."""
    plausible = value.filter((value >= PLAUSIBLE_START) & (value < plausible_end()))
    return [
        pl.coalesce(plausible.min(), value.min()).alias("first"),
        pl.coalesce(plausible.max(), value.max()).alias("last"),
    ]


def implausible_times(value: pl.Expr, name: str) -> list[pl.Expr]:
    """A time column's values before 2000 or after next year: how many, the earliest and the
    latest of them."""
    outside = value.filter((value < PLAUSIBLE_START) | (value >= plausible_end()))
    return [
        outside.len().alias(f"{name}__implausible"),
        outside.min().alias(f"{name}__implausible_min"),
        outside.max().alias(f"{name}__implausible_max"),
    ]


def minor_units_hint(source: LoadedSource) -> list[DataWarning]:
    """Amounts that look like minor units (a header saying cents, or whole numbers held in an
    integer column, as APIs write cents) read as units: a hint naming amount_unit."""
    if source.spec.kind != "billing" or "amount" not in source.headers:
        return []
    if amount_unit(source.spec) == "cents" or source.spec.amount_unit == "units":
        return []  # said explicitly either way
    header = source.headers["amount"]
    words = header.lower()
    integer = source.dtypes.get("amount", pl.String()).is_integer()
    if not (integer or "cent" in words or "minor" in words):
        return []
    why = "holds whole numbers in an integer column" if integer else "says cents"
    return [
        DataWarning(
            "amount_unit_hint",
            f"billing: column {header!r} (amount) {why}; amounts are read as currency units. "
            'If they are cents, set amount_unit = "cents" under [sources.billing]',
            source="billing",
        )
    ]


def time_value_warnings(
    kind: str, headers: Mapping[str, str], quality: Mapping[str, Any]
) -> list[DataWarning]:
    """Per time column: zero dates read as missing, and values before 2000 or after next year."""
    warnings: list[DataWarning] = []
    for name, header in headers.items():
        zero = int(quality.get(f"{name}__zero") or 0)
        if zero:
            sample = quality.get(f"{name}__zero_sample")
            value = f" such as {sample!r}" if sample is not None else ""
            warnings.append(
                DataWarning(
                    "zero_dates",
                    f"{kind}: {zero:,} values{value} in column {header!r} ({name}) are a "
                    "spreadsheet's or database's zero date; read as missing",
                    count=zero,
                    source=kind,
                )
            )
        outside = int(quality.get(f"{name}__implausible") or 0)
        if outside:
            low, high = quality[f"{name}__implausible_min"], quality[f"{name}__implausible_max"]
            warnings.append(
                DataWarning(
                    "implausible_times",
                    f"{kind}: {outside:,} values in column {header!r} ({name}) lie outside 2000 "
                    f"to {plausible_end().year - 1} (from {low.date().isoformat()} to "
                    f"{high.date().isoformat()}): "
                    "check the column's unit or format",
                    count=outside,
                    source=kind,
                )
            )
    return warnings


def implausible_range(kind: str, quality: Mapping[str, Any]) -> list[DataWarning]:
    """A time range before 2000 or after next year is more likely a wrong unit or format."""
    first, last = quality.get("first"), quality.get("last")
    if first is None or last is None:
        return []
    latest = plausible_end()
    if first >= PLAUSIBLE_START and last < latest:
        return []
    return [
        DataWarning(
            "implausible_time_range",
            f"{kind}: timestamps run from {first.date().isoformat()} to "
            f"{last.date().isoformat()}, outside "
            f"2000 to {latest.year - 1}: check the time column's unit or format",
            source=kind,
        )
    ]


def dominant_value_warnings(
    kind: str, headers: Mapping[str, str], quality: Mapping[str, Any]
) -> list[DataWarning]:
    """An id value holding more than a third of the rows, and the line that would drop it."""
    warnings: list[DataWarning] = []
    for name, header in headers.items():
        if f"{name}__dominant_rows" not in quality:
            continue
        value, count = quality[f"{name}__dominant"], int(quality[f"{name}__dominant_rows"])
        share = count / max(int(quality["rows"]), 1)
        warnings.append(
            DataWarning(
                "dominant_value",
                f"{kind}: {value!r} holds {share:.0%} of the rows ({count:,}) in column "
                f"{header!r} ({name}), so they count as one {name.removesuffix('_id')}; if it "
                f"means none (a placeholder), drop it with null_values = [{_toml(value)}] under "
                f"[sources.{kind}]",
                count=count,
                source=kind,
            )
        )
    return warnings


def _toml(value: object) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
