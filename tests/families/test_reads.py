"""The rows each family says it reads (families/reads.py) are all it reads: every family on the
sample, computed from only the rows of its spans, equals the family computed from every row.
That is what makes asking a database or a Delta table for those rows alone safe."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.api import compute_family
from csmetrics.core.span import Span
from csmetrics.core.window import build_window
from csmetrics.families.catalogue import FAMILIES
from csmetrics.families.reads import span_of, spans_needed
from csmetrics.ingest.inputs import Inputs
from csmetrics.ingest.sources.schema import TIME_COLUMN

SAMPLE = Path(__file__).parents[2] / "sample_data" / "csmetrics.toml"
WINDOWS = [
    {"period": "2026-10"},
    {"since": "2026-09-14", "until": "2026-09-21"},  # a week: ARPU reads a month of events
    {"since": "2026-08-20", "until": "2026-10-05", "timezone": "Europe/Paris"},
]
READ_NOTES = {"rows_outside_window", "rows_before_window", "rows_after_window"}


@pytest.fixture(scope="module")
def sample() -> Inputs:
    return cm.load(config=SAMPLE)


def only_spans(inputs: Inputs, spans: dict[str, Span]) -> Inputs:
    """The inputs as a database asked for the spans would give them: the rows in each span,
    the whole source's range kept as its observed range."""
    sources = {}
    for kind, source in inputs.sources.items():
        span = spans.get(kind)
        if span is None:
            sources[kind] = source
            continue
        column = pl.col(TIME_COLUMN[kind] or "")
        kept = pl.lit(True)
        kept = kept if span.since is None else kept & (column >= span.since)
        kept = kept if span.until is None else kept & (column < span.until)
        sources[kind] = replace(source, frame=source.frame.filter(kept), read_span=span)
    return replace(inputs, sources=sources)


def comparable(report: Any) -> tuple[dict[str, Any], list[str]]:
    warnings = sorted(w.code for w in report.warnings if w.code not in READ_NOTES)
    return dict(report.metrics), warnings


@pytest.mark.parametrize("words", WINDOWS, ids=["month", "week", "paris"])
@pytest.mark.parametrize("name", list(FAMILIES))
def test_a_family_on_its_spans_equals_it_on_every_row(
    sample: Inputs, name: str, words: dict[str, str]
) -> None:
    family = FAMILIES[name]
    config = sample.config
    assert config is not None
    window = build_window(**{"timezone": "UTC", **words}).resolved(None, None)
    params = family.params(config.family, config.base, None, words)
    spans = spans_needed([(family, params)], window, set(sample.sources))
    restricted = only_spans(sample, spans)
    if any(span.since is not None for span in spans.values()):
        # some rows really are left out, or the test would prove nothing
        assert sum(s.frame.height for s in restricted.sources.values()) < sum(
            s.frame.height for s in sample.sources.values()
        )
    full = compute_family(name, sample, None, words)
    part = compute_family(name, restricted, None, words)
    assert comparable(part) == comparable(full)
    assert "rows_not_read" not in {w.code for w in part.warnings}


def test_another_window_on_rows_read_for_one_warns(sample: Inputs) -> None:
    window = build_window(period="2026-10").resolved(None, None)
    config = sample.config
    assert config is not None
    params = FAMILIES["engagement"].params(config.family, config.base)
    spans = spans_needed([(FAMILIES["engagement"], params)], window, {"events"})
    restricted = only_spans(sample, spans)
    report = cm.engagement(restricted, period="2026-08")
    (warning,) = [w for w in report.warnings if w.code == "rows_not_read"]
    # engagement reads the 29 days before the window (MAU30 of its first day is 30 days):
    # October's rows from Sep 2; August's from Jul 3
    assert "only rows from 2026-09-02 00:00 to 2026-11-01 00:00" in warning.message
    assert "needs rows from 2026-07-03 00:00 to 2026-09-01 00:00" in warning.message


def test_spans_follow_the_look_back() -> None:
    window = build_window(period="2026-10").resolved(None, None)
    since, until = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    support = FAMILIES["support"]
    lookback = support.lookback(window, support.params(lambda _: {}))
    # the backlog: every ticket created before the window, none after it
    assert span_of("tickets", True, window, lookback) == Span(None, until)
    retention = FAMILIES["retention"]
    lookback = retention.lookback(window, retention.params(lambda _: {}))
    assert span_of("events", True, window, lookback) == Span(None, None)  # the horizon
    assert span_of("surveys", False, window, lookback) == Span(since, until)
    # several families, and a report's earlier windows: the union
    both = [(f, f.params(lambda _: {})) for f in (FAMILIES["engagement"], FAMILIES["voice"])]
    spans = spans_needed(both, window, {"events", "surveys"}, history=2)
    assert spans["surveys"] == Span(datetime(2026, 8, 1, tzinfo=UTC), until)
    # engagement's 29 days of MAU30 before the earliest window (August)
    assert spans["events"] == Span(datetime(2026, 7, 3, tzinfo=UTC), until)
