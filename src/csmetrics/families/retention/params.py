"""Retention's parameters (metrics.md), from the config's [retention] table or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from csmetrics.errors import ConfigError
from csmetrics.families.settings import choice, merged_settings, names
from csmetrics.families.signups import LEVELS, Level
from csmetrics.timeparts import Grain

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


KNOWN_KEYS = (
    "cohort_grain",
    "periods",
    "signup_event",
    "return_events",
    "inactive_events",
    "retention_type",
    "retention_mode",
    "level",
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


def params_from_config(table: Mapping[str, Any], **given: Any) -> RetentionParams:
    """Parameters from the [retention] table, overridden by the `given` ones that are set."""
    merged = merged_settings("retention", table, given, KNOWN_KEYS)
    grain = merged.get("cohort_grain")
    periods = merged.get("periods", 12)
    if not isinstance(periods, int) or isinstance(periods, bool) or periods < 1:
        raise ConfigError(f"--periods: expected a whole number of at least 1, got {periods!r}")
    return RetentionParams(
        cohort_grain=None
        if grain is None
        else choice(grain, ("day", "week", "month"), "--cohort-grain"),  # type: ignore[arg-type]
        periods=periods,
        signup_event=merged.get("signup_event"),
        return_events=names(merged.get("return_events")),
        inactive_events=names(merged.get("inactive_events")),
        retention_type=choice(
            merged.get("retention_type", "first_time"),
            ("first_time", "recurring"),
            "--retention-type",
        ),  # type: ignore[arg-type]
        retention_mode=choice(
            merged.get("retention_mode", "on"), ("on", "on_or_after"), "--retention-mode"
        ),  # type: ignore[arg-type]
        level=choice(merged.get("level", "user"), LEVELS, "--level"),  # type: ignore[arg-type]
    )
