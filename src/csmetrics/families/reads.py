"""Which rows of each source a family reads for a window (its `Lookback` as spans of the
sources' time columns): what the report's warnings about rows outside the window say, and what
a database or lakehouse table is asked for when the window is known before loading."""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import Any

from csmetrics.core.span import Span
from csmetrics.core.window import Window
from csmetrics.families.base import Family, Lookback
from csmetrics.ingest.sources.schema import TIME_COLUMN


def span_of(kind: str, primary: bool, window: Window, lookback: Lookback) -> Span:
    """The rows of `kind` a family reads: its primary source from the look-back's start (None:
    every earlier row) to the window's end (or on, when it reads `after`); another source the
    look-back names from its own start (None: every earlier row); any other, the window."""
    if primary:
        since = min(lookback.start, window.since) if lookback.start else None
        return Span(since, None if lookback.after else window.until)
    if kind in lookback.others:
        return Span(lookback.other_starts.get(kind), window.until)
    return Span(window.since, window.until)


def spans_needed(
    chosen: Iterable[tuple[Family[Any], Any]],
    window: Window,
    available: Container[str],
    history: int = 0,
) -> dict[str, Span]:
    """Per timed source, the rows the families (with their params) read for the window and the
    `history` windows before it (a report's previous window and anomaly bands)."""
    windows = [window]
    for _ in range(history):  # history.earlier_windows, which imports the runner
        windows.append(windows[-1].previous())
    spans: dict[str, Span] = {}
    for family, params in chosen:
        primary = family.primary_of(available)
        for each in windows:
            lookback = family.lookback(each, params)
            for kind in family.sources:
                if kind not in available or TIME_COLUMN.get(kind) is None:
                    continue
                span = span_of(kind, kind == primary, each, lookback)
                spans[kind] = spans[kind].union(span) if kind in spans else span
    return spans
