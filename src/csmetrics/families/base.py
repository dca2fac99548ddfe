"""What a family provides to the runner: the columns it needs, a lazy plan, and an assembler.

A family's `plan` builds LazyFrames from canonical source frames (no I/O, nothing collected); the
runner collects every planned frame in one `pl.collect_all`, so shared inputs are read once;
`assemble` then turns the small collected frames into metrics and tables.

A family whose outputs share costly intermediates (engagement's per-user timeline) declares
`stages`: each takes the frames the previous one made (the first, the sources) and returns new
ones, which the runner materialises once; `plan` then reads only what the last stage made (under
the names it gave them), so the sources' rows are freed before it runs. That is a lazy `cache()`
made explicit: a cache is split when its readers project different columns, and then recomputed;
an engine that runs these plans distributed persists such frames the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from csmetrics.diagnostics import DataWarning
from csmetrics.window import Window


@dataclass(frozen=True)
class RunContext:
    """What `assemble` knows besides the collected frames."""

    window: Window  # resolved: both bounds set
    observed: Mapping[str, tuple[datetime | None, datetime | None]]  # source -> first, last
    columns: Mapping[str, tuple[str, ...]]  # source -> canonical columns present


@dataclass
class FamilyResult:
    metrics: dict[str, float | None]
    tables: dict[str, pl.DataFrame]
    warnings: list[DataWarning] = field(default_factory=list)


# (frames, source columns, window, params) -> frames: the shape of `plan` and of every stage
Stage = Callable[
    [Mapping[str, pl.LazyFrame], Mapping[str, tuple[str, ...]], Window, Any],
    dict[str, pl.LazyFrame],
]


@dataclass(frozen=True)
class Family:
    name: str
    sources: tuple[str, ...]  # the first is the primary one: its range closes an open window
    needed_columns: Callable[[str, Any], set[str]]  # (source, params) -> canonical columns
    plan: Stage
    assemble: Callable[[Mapping[str, pl.DataFrame], RunContext, Any], FamilyResult]
    parameters: Callable[[Any], dict[str, Any]]  # params -> the JSON `parameters` object
    stages: tuple[Stage, ...] = ()
    # Id columns the family only compares, never shows: read as 64-bit hashes (sources/read.py)
    key_columns: frozenset[str] = frozenset()
