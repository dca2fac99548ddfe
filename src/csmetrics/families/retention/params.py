"""Retention's parameters (metrics.md), from the config's [retention] table or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from csmetrics.core.readers import choice, names, whole_number
from csmetrics.core.timeparts import Grain
from csmetrics.families.settings import Setting, Settings
from csmetrics.families.shared.active import INACTIVE_EVENTS
from csmetrics.families.shared.signups import LEVEL, SIGNUP_EVENT, Level

RetentionType = Literal["first_time", "recurring"]
RetentionMode = Literal["on", "on_or_after"]
# The offsets of the headline rates, per cohort grain (metrics.md names week and month).
HEADLINE_OFFSETS: dict[str, tuple[int, int]] = {"day": (1, 7), "week": (1, 4), "month": (1, 3)}


@dataclass(frozen=True)
class RetentionParams:
    """cohort_grain: day, week or month (None: the window's grain, or week for a day grain);
    periods: offsets after the cohort's own bucket; signup_event: what starts a first_time
    cohort (default a user's first event); return_events: what counts as a return (default any
    active event); inactive_events: events that are never a return; retention_type: first_time
    or recurring; retention_mode: on or on_or_after; level: user or account."""

    cohort_grain: Grain | None = None
    periods: int = 12
    signup_event: str | None = None
    return_events: tuple[str, ...] = ()
    inactive_events: tuple[str, ...] = ()
    retention_type: RetentionType = "first_time"
    retention_mode: RetentionMode = "on"
    level: Level = "user"


# offsets after each cohort: 1000 days is past two years of daily cohorts, and a bound keeps a
# mistyped number from building a grid of millions of columns
MAX_PERIODS = 1000

SETTINGS = Settings(
    "retention",
    (
        Setting(
            "cohort_grain",
            choice("day", "week", "month"),
            None,
            "Cohort buckets: day, week or month (default: the window's grain, else week).",
            flag="--cohort-grain",
            window_default="grain",
            example='"week"',
            in_starter=True,
        ),
        Setting(
            "periods",
            whole_number(1, MAX_PERIODS),
            12,
            "Offsets after each cohort (default 12).",
            flag="--periods",
            cli_type=int,
            example="8",
            in_starter=True,
        ),
        SIGNUP_EVENT,
        Setting(
            "return_events",
            names,
            (),
            "An event that counts as a return.",
            flag="--return-event",
            repeatable=True,
            example='["login"]',
            values_of="events.event",
        ),
        INACTIVE_EVENTS,
        Setting(
            "retention_type",
            choice("first_time", "recurring"),
            "first_time",
            "first_time (default) or recurring.",
            flag="--retention-type",
            example='"recurring"',
        ),
        Setting(
            "retention_mode",
            choice("on", "on_or_after"),
            "on",
            "on (default) or on_or_after.",
            flag="--retention-mode",
            example='"on_or_after"',
        ),
        LEVEL,
    ),
)


def parameters(params: RetentionParams) -> dict[str, Any]:
    return {
        "cohort_grain": params.cohort_grain,
        "periods": params.periods,
        "signup_event": params.signup_event,
        "return_events": list(params.return_events),
        "inactive_events": list(params.inactive_events),
        "retention_type": params.retention_type,
        "retention_mode": params.retention_mode,
        "level": params.level,
    }


def needed_columns(source: str, params: RetentionParams) -> set[str]:
    if source == "accounts":
        return {"account_id", "created_at"}
    return {"timestamp", "user_id", "event", "account_id"}


def params_from_config(table: Mapping[str, Any], base: str = ".", **given: Any) -> RetentionParams:
    """Parameters from the [retention] table, overridden by the given values (None: not given)."""
    return RetentionParams(**SETTINGS.resolve(table, given, base))
