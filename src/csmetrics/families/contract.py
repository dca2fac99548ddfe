"""What a family's reductions hand to its `assemble`, declared (each family's `contract.py`) and
checked on every run, on either engine: a frame that is not declared, a declared column that is
missing, an extra column, or a column of another type is an internal error naming the family,
the frame and the column. So the Polars and the Spark reductions cannot drift apart unnoticed,
and the Spark engine takes its result types from the declaration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from csmetrics.core.timeparts import TIMESTAMP_DTYPE

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

TIMESTAMP = TIMESTAMP_DTYPE  # instants: microseconds, UTC


class ContractError(RuntimeError):
    """A family's reduction made a frame its contract does not declare: a bug, never bad input."""


@dataclass(frozen=True)
class FrameContract:
    """A frame's columns and their types, in order. `optional`: columns made only when a
    source or a setting provides them (health's accounts columns, for example)."""

    columns: Mapping[str, PolarsDataType]
    optional: tuple[str, ...] = ()


def _same_type(actual: PolarsDataType, declared: PolarsDataType) -> bool:
    """Equal types; a categorical is any categorical (each run has categories of its own)."""
    if isinstance(declared, pl.Categorical):
        return isinstance(actual, pl.Categorical)
    if isinstance(declared, pl.List) and isinstance(actual, pl.List):
        return _same_type(actual.inner, declared.inner)
    return bool(actual == declared)


def check_frames(
    family: str,
    frames: Mapping[str, pl.DataFrame],
    contract: Mapping[str, FrameContract],
    strict_types: bool = True,
) -> None:
    """A ContractError for the first frame or column that does not keep `contract`.
    `strict_types=False` checks names only: another engine's frames, before they are cast."""
    for name, frame in frames.items():
        if name not in contract:
            raise ContractError(f"{family}: frame {name!r} is not declared in its contract")
        declared = contract[name]
        for column, dtype in frame.schema.items():
            if column not in declared.columns:
                raise ContractError(f"{family}: frame {name!r} has undeclared column {column!r}")
            if strict_types and not _same_type(dtype, declared.columns[column]):
                raise ContractError(
                    f"{family}: frame {name!r}, column {column!r} is {dtype}, "
                    f"declared {declared.columns[column]}"
                )
        missing = [
            c for c in declared.columns if c not in frame.columns and c not in declared.optional
        ]
        if missing:
            raise ContractError(f"{family}: frame {name!r} lacks column {missing[0]!r}")


def typed(
    frames: Mapping[str, pl.DataFrame],
    contract: Mapping[str, FrameContract],
    categories: Mapping[str, pl.DataType] | None = None,
) -> dict[str, pl.DataFrame]:
    """Frames made by another engine (Spark) cast to the declared types; a declared categorical
    takes `categories[column]` when given (the run's categories of that column)."""

    def target(column: str, declared: PolarsDataType) -> PolarsDataType:
        if isinstance(declared, pl.Categorical):
            return (categories or {}).get(column, declared)
        return declared

    return {
        name: frame.cast(
            {
                column: target(column, dtype)
                for column, dtype in contract[name].columns.items()
                if column in frame.columns
            }
        )
        for name, frame in frames.items()
    }
