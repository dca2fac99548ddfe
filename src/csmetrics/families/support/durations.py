"""Where support's durations come from, said in the report (issue 20, item 3): the timestamps,
or the minutes a help desk exports, calendar or within its own business hours. A help desk's
business minutes follow its calendar, not --business-hours; its calendar minutes cannot be
moved into business hours; without business hours, business minutes are not calendar time."""

from __future__ import annotations

from collections.abc import Mapping

from csmetrics.core.diagnostics import DataWarning
from csmetrics.families.support.metrics import METRICS, RESPONDED, SOLVED
from csmetrics.families.support.params import SupportParams
from csmetrics.families.support.tickets import minutes_column

KINDS = {
    # kind: (timestamp, calendar minutes, business minutes, what it is, needs marker)
    "response": ("first_response_at", "first_response_minutes",
                 "first_response_business_minutes", "first response", RESPONDED),
    "resolution": ("solved_at", "resolution_minutes", "resolution_business_minutes",
                   "resolution", SOLVED),
}  # fmt: skip


def duration_notes(
    present: tuple[str, ...], params: SupportParams
) -> tuple[list[DataWarning], set[str]]:
    """A note per duration on what it is read from, and the metrics that cannot be computed
    (only business minutes, without business hours)."""
    notes: list[DataWarning] = []
    unusable: set[str] = set()
    business = params.business_hours is not None
    for kind, (at, calendar, in_business, what, marker) in KINDS.items():
        if at in present:
            continue  # timestamps: durations as the metric defines them
        chosen = minutes_column(present, kind, params)
        if chosen == in_business:
            notes.append(
                _note(
                    f"{what} times are the export's {in_business} (the help desk's "
                    "own business hours, not --business-hours)"
                )
            )
        elif chosen == calendar:
            notes.append(_note(f"{what} times are the export's {calendar} (calendar time)"))
        elif business and calendar in present:
            notes.append(
                _note(
                    f"{what} times are the export's {calendar}: calendar time, since "
                    f"without {at} --business-hours cannot apply (map {in_business} "
                    "for the help desk's business minutes)"
                )
            )
        elif in_business in present:
            ids = [m.id for m in METRICS if marker in m.columns]
            unusable.update(ids)
            notes += [
                DataWarning(
                    "missing_column",
                    f"tickets have {in_business} but neither {at} "
                    f"nor {calendar}: pass --business-hours to read {what} times in "
                    "business time",
                    metric,
                )
                for metric in ids
            ]
    return notes, unusable


def _note(text: str) -> DataWarning:
    return DataWarning("duration_source", f"support: {text}", source="tickets")


def null_unusable(
    metrics: Mapping[str, float | None], unusable: set[str]
) -> dict[str, float | None]:
    return {k: (None if k in unusable else v) for k, v in metrics.items()}
