"""Onboarding's parameters (metrics.md), from the config's [onboarding] table or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from csmetrics.families.settings import choice, merged_settings, names
from csmetrics.families.signups import LEVELS, Level
from csmetrics.timeparts import parse_duration


@dataclass(frozen=True)
class OnboardingParams:
    """activation_events: all must be done to be activated; activation_window: from signup;
    value_event: default the last activation event; steps: the ordered funnel;
    conversion_window: from the first step; signup_event: default a user's first event;
    level: user or account."""

    activation_events: tuple[str, ...] = ()
    activation_window: timedelta = timedelta(days=14)
    value_event: str | None = None
    steps: tuple[str, ...] = ()
    conversion_window: timedelta = timedelta(days=14)
    signup_event: str | None = None
    level: Level = "user"

    @property
    def value(self) -> str | None:
        """The value event: as configured, else the last activation event."""
        return self.value_event or (self.activation_events[-1] if self.activation_events else None)


KNOWN_KEYS = (
    "activation_events",
    "activation_window",
    "value_event",
    "steps",
    "conversion_window",
    "signup_event",
    "level",
)


def parameters(params: OnboardingParams) -> dict[str, Any]:
    return {
        "activation_events": list(params.activation_events),
        "activation_window_days": params.activation_window.total_seconds() / 86400,
        "value_event": params.value,
        "steps": list(params.steps),
        "conversion_window_days": params.conversion_window.total_seconds() / 86400,
        "signup_event": params.signup_event,
        "level": params.level,
    }


def needed_columns(source: str, params: OnboardingParams) -> set[str]:
    if source == "accounts":
        return {"account_id", "created_at"}
    return {"timestamp", "user_id", "event", "account_id"}


def params_from_config(table: Mapping[str, Any], **given: Any) -> OnboardingParams:
    """Parameters from the [onboarding] table, overridden by the `given` ones that are set."""
    merged = merged_settings("onboarding", table, given, KNOWN_KEYS)
    level = choice(merged.get("level", "user"), LEVELS, "--level")
    return OnboardingParams(
        activation_events=names(merged.get("activation_events")),
        activation_window=_duration(merged.get("activation_window", "14d"), "--activation-window"),
        value_event=merged.get("value_event"),
        steps=names(merged.get("steps")),
        conversion_window=_duration(merged.get("conversion_window", "14d"), "--conversion-window"),
        signup_event=merged.get("signup_event"),
        level=level,  # type: ignore[arg-type]
    )


def _duration(value: str | timedelta, option: str) -> timedelta:
    return value if isinstance(value, timedelta) else parse_duration(str(value), option)
