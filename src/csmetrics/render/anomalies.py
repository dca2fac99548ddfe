"""Anomaly bands and "What moved" in words, for every format of `report` (terminal, Markdown,
Slack, HTML): a flagged headline says its value, its usual range and how far outside it is;
"What moved" names, per [explain] dimension, the segments that moved it most."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from csmetrics.core.declarations import Metric
from csmetrics.core.text import printable
from csmetrics.render.explanation import difference, segment_name
from csmetrics.render.units import format_value

if TYPE_CHECKING:
    from csmetrics.results.bands import Band
    from csmetrics.results.bundle import Bundle
    from csmetrics.results.explanation import Explanation

FLAG = "⚑ unusual"
CONTRIBUTORS = 3
NO_DIMENSIONS = "set [explain] by = [...] (or --explain-by) to see which segments moved it"


def usual_range(band: Band, unit: str, currency: str | None) -> str:
    """`24.1% to 29.3%`; empty without a band."""
    if band.low is None or band.high is None:
        return ""
    return f"{format_value(band.low, unit, currency)} to {format_value(band.high, unit, currency)}"


def band_note(band: Band, metric: Metric, currency: str | None) -> str:
    """A flagged headline in one sentence."""
    value = format_value(band.value, metric.unit, currency)
    median = format_value(band.median, metric.unit, currency)
    far = f"robust z {band.z:+.1f}" if band.z is not None else printable(band.reason or "")
    return (
        f"{metric.title} {value} is outside its usual range {usual_range(band, metric.unit, currency)} "
        f"(median {median} over {band.windows} earlier windows; {far})"
    )


def unbanded_note(bands: list[Band]) -> str | None:
    """The headlines whose history is too short for a band, counted with the first reason."""
    short = [b for b in bands if b.reason and b.reason.startswith("too little history")]
    if not short:
        return None
    names = ", ".join(b.metric.split(".", 1)[1] for b in short[:3])
    more = f" and {len(short) - 3} more" if len(short) > 3 else ""
    return f"no anomaly band for {names}{more}: {short[0].reason}"


@dataclass(frozen=True)
class Moved:
    """One flagged headline's "What moved": its note, then one line per dimension."""

    title: str
    note: str
    lines: tuple[str, ...]


def what_moved(bundle: Bundle) -> list[Moved]:
    """Each flagged headline with a band, in report order, and its contributors."""
    out = []
    for name, report in bundle.current.items():
        for metric_id in report.metrics:
            band = bundle.bands.get(metric_id)
            if band is None or not band.flagged:
                continue
            metric = report.metric_info(metric_id)
            lines = tuple(
                _contributors(why, report.currency) for why in bundle.moved.get(metric_id, [])
            )
            out.append(
                Moved(f"{metric.title} ({name})", band_note(band, metric, report.currency), lines)
            )
    return out


def _contributors(why: Explanation, currency: str | None) -> str:
    """`by segment: enterprise +€1,038.70, smb +€183.75` (a quantile: each value now)."""
    unit = why.metric.unit
    parts = []
    for row in why.segments.to_dicts():
        name = segment_name(why, row, named=False)
        if why.kind == "quantile":
            parts.append(f"{name} {format_value(row['value'], unit, currency)}")
            continue
        moved = difference(row["contribution"], unit, currency)
        if not moved.startswith("±"):  # a segment that moved nothing is not a contributor
            parts.append(f"{name} {moved}")
    parts = parts[:CONTRIBUTORS]
    change = difference(why.change, unit, currency)
    return f"by {why.by[0]} (change {change}): {', '.join(parts) or 'no segment'}"
