"""Whether the window lies where the data is (issue 20, item 11): a cron job run after the export
stopped gives a window of zeros, and that must be said loudly, not read as a collapse.

Only sources whose time column records activity are judged (events, tickets, surveys): billing
lines are issued once a month or a year and cover the months after them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from csmetrics.core.diagnostics import WINDOW_OUTSIDE_DATA, DataWarning
from csmetrics.core.timeparts import zone
from csmetrics.core.window import Window
from csmetrics.ingest.source import Source
from csmetrics.ingest.sources.schema import TIME_COLUMN

JUDGED = ("events", "tickets", "surveys")
# A window whose end runs this far past the data's last timestamp is warned about.
TRAILING_GAP = timedelta(days=1)


def coverage_warnings(source: Source, window: Window) -> list[DataWarning]:
    """The window after the data's end, before its start, or running past its end."""
    if source.kind not in JUDGED or source.first is None or source.last is None:
        return []
    column = TIME_COLUMN[source.kind]
    first, last = _local(source.first, window), _local(source.last, window)
    since, until = _local(window.since, window), _local(window.until, window)
    fix = "pass --as-of (as_of=) or a window inside the data"
    if source.last < window.since:
        message = (
            f"{source.kind}: the data ends {last} (its last {column}), before the window starts "
            f"({since}): every count in the window is 0 for want of data; {fix}"
        )
        return [DataWarning("window_after_data", message, source=source.kind)]
    if source.first >= window.until:
        message = (
            f"{source.kind}: the data starts {first} (its first {column}), after the window ends "
            f"({until}): every count in the window is 0 for want of data; {fix}"
        )
        return [DataWarning("window_before_data", message, source=source.kind)]
    if window.until - source.last > TRAILING_GAP:
        days = (window.until - source.last) / timedelta(days=1)
        message = (
            f"{source.kind}: the data ends {last}, {days:.1f} days before the window's end "
            f"({until}): those days have no {source.kind}, and counts over them are low for "
            "want of data"
        )
        return [DataWarning("window_past_data", message, source=source.kind)]
    return []


def outside_data(warnings: list[DataWarning]) -> DataWarning | None:
    """The warning that the window lies outside the data altogether, if there is one."""
    return next((w for w in warnings if w.code in WINDOW_OUTSIDE_DATA), None)


def _local(instant: datetime, window: Window) -> str:
    """An instant as the window's reader thinks of it: local time in the report's zone."""
    return instant.astimezone(zone(window.timezone)).strftime("%Y-%m-%d %H:%M")
