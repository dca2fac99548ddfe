"""A report's warnings as its readers need them: each said once, the important first, and the
bookkeeping (rows read only for a look-back, rows outside the window) left to report.json.

A warning about a source's data (its duplicates, an empty column, void invoices) is a *data
note*: the same source feeds several families, so it is said once for the whole report instead
of under each family. A warning about a family's settings or results (a name that matches
nothing, a metric not configured, a window past the data) stays under its family.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from csmetrics.core.diagnostics import DataWarning

if TYPE_CHECKING:
    from csmetrics.results.bundle import Bundle
    from csmetrics.results.report import Report

# what a reader of the summary never needs: how many rows the look-back read, or fell outside
BOOKKEEPING = frozenset({"rows_before_window", "rows_outside_window"})
COVERAGE = ("window_after_data", "window_before_data", "window_past_data")
# lower first; a code not listed sits between names and settings
IMPORTANCE = {
    **dict.fromkeys(COVERAGE, 0),
    "unknown_name": 1,
    "not_configured": 8,
    "empty_denominator": 9,
}
ORDINARY = 5


def importance(warning: DataWarning) -> int:
    return IMPORTANCE.get(warning.code, ORDINARY)


def is_data_note(warning: DataWarning) -> bool:
    """A warning about a source's data rather than about a family (see the module doc)."""
    return (
        warning.code not in COVERAGE
        and warning.source is not None
        and warning.message.startswith(f"{warning.source}: ")
    )


@dataclass
class Notes:
    """The bundle's warnings for people: coverage first (said at the top), each family's own,
    and the data notes once."""

    coverage: list[tuple[str, str]] = field(default_factory=list)  # (family, message)
    families: dict[str, list[str]] = field(default_factory=dict)
    data: list[str] = field(default_factory=list)


def notes_of(bundle: Bundle) -> Notes:
    return notes_of_reports(bundle.current)


def notes_of_reports(reports: Mapping[str, Report]) -> Notes:
    """The notes of these reports (by family), each said once where it belongs."""
    notes = Notes()
    data: dict[str, int] = {}  # message -> importance, in first-seen order
    for name, report in reports.items():
        own: list[str] = []
        for warning in sorted(report.warnings, key=importance):
            if warning.code in BOOKKEEPING:
                continue
            if warning.code in COVERAGE:
                notes.coverage.append((name, warning.message))
            elif is_data_note(warning):
                data.setdefault(warning.message, importance(warning))
            elif warning.message not in own:
                own.append(warning.message)
        notes.families[name] = own
    notes.data = sorted(data, key=lambda message: data[message])
    return notes
