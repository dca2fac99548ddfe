"""`report`'s anomaly bands and "What moved" (metrics.md, issue 24): each headline against the
robust band of its values in the earlier windows (families/history.py, results/bands.py); for
each headline outside its band, the segments that moved it most over the [explain] dimensions
(families/explaining.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from csmetrics.core.errors import InputError
from csmetrics.families.base import Family
from csmetrics.families.explaining import explain_metric
from csmetrics.families.history import HISTORY_WINDOWS, family_history
from csmetrics.ingest.inputs import Inputs
from csmetrics.results.bands import THRESHOLD, Band, band_of
from csmetrics.results.explanation import Explanation
from csmetrics.results.report import Report

NO_HISTORY = "no band: this metric has no per-window history yet (only those `explain` splits do)"


@dataclass(frozen=True)
class AnomalySettings:
    """[anomaly] windows and threshold, [explain] by; `metrics`: the headlines to band (None:
    every one; `check` asks only for those of its max_deviation checks)."""

    windows: int = HISTORY_WINDOWS
    threshold: float = THRESHOLD
    explain_by: tuple[str, ...] = ()
    metrics: Collection[str] | None = None
    moved: bool = True  # compute "What moved" for the flagged headlines


@dataclass
class Anomalies:
    bands: dict[str, Band] = field(default_factory=dict)
    # metric -> one explanation per [explain] dimension, for the headlines outside their band
    moved: dict[str, list[Explanation]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # dimensions that could not be read


def family_anomalies(
    family: Family[Any],
    inputs: Inputs,
    report: Report,
    previous: Report,
    params: Any,
    settings: AnomalySettings,
) -> Anomalies:
    """The bands of the report's headlines, and what moved the flagged ones."""
    wanted = [m for m in report.metrics if settings.metrics is None or m in settings.metrics]
    if not wanted:
        return Anomalies()
    history = family_history(family, inputs, report.window, params, wanted, settings.windows)
    found = Anomalies()
    for metric in wanted:
        value = report.metrics[metric]
        if metric not in history:
            found.bands[metric] = Band(metric, value, (), settings.threshold, reason=NO_HISTORY)
            continue
        earlier = history[metric]
        if earlier.reason is not None:
            found.bands[metric] = Band(metric, value, (), settings.threshold, reason=earlier.reason)
            continue
        labelled = [(w.name, v) for w, v in earlier.values]
        found.bands[metric] = band_of(metric, value, labelled, settings.threshold)
    if settings.moved:
        flagged = [m for m, band in found.bands.items() if band.flagged]
        for metric in flagged:
            found.moved[metric] = _moved(
                metric, inputs, report, previous, params, settings.explain_by, found.notes
            )
    return found


def _moved(
    metric: str,
    inputs: Inputs,
    report: Report,
    previous: Report,
    params: Any,
    dimensions: Sequence[str],
    notes: list[str],
) -> list[Explanation]:
    """One explanation per dimension; one that the metric's source and the accounts lack is
    left out with a note naming the closest columns (explain's own message)."""
    out = []
    for column in dimensions:
        try:
            out.append(
                explain_metric(metric, inputs, [column], report.window, params, previous.window)
            )
        except InputError as exc:  # the same column is missing for every metric: said once
            note = f"what moved: {exc}".replace("explain ", "", 1)
            if note not in notes:
                notes.append(note)
    return out
