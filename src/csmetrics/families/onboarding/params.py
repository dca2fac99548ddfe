"""Onboarding's parameters (metrics.md), from the config's [onboarding] table or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from csmetrics.core.readers import duration, names, text
from csmetrics.families.settings import Setting, Settings
from csmetrics.families.shared.signups import LEVEL, SIGNUP_EVENT, Level


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


SETTINGS = Settings(
    "onboarding",
    (
        Setting(
            "activation_events",
            names,
            (),
            "An event every activated user has done (all are required).",
            flag="--activation-event",
            repeatable=True,
            example='["created_project", "invited_user"]',
            in_starter=True,
            values_of="events.event",
        ),
        Setting(
            "activation_window",
            duration,
            timedelta(days=14),
            "Time from signup to activate (default 14d).",
            flag="--activation-window",
            example='"14d"',
            in_starter=True,
        ),
        Setting(
            "value_event",
            text,
            None,
            "The event of first value (default: the last activation event).",
            flag="--value-event",
            example='"invited_user"',
            values_of="events.event",
        ),
        Setting(
            "steps",
            names,
            (),
            "A funnel step, in order.",
            flag="--step",
            metavar="EVENT",
            repeatable=True,
            example='["signed_up", "created_project", "invited_user"]',
            in_starter=True,
            values_of="events.event",
        ),
        Setting(
            "conversion_window",
            duration,
            timedelta(days=14),
            "Time from the first step to convert (default 14d).",
            flag="--conversion-window",
            example='"14d"',
            in_starter=True,
        ),
        SIGNUP_EVENT,
        LEVEL,
    ),
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


def params_from_config(table: Mapping[str, Any], base: str = ".", **given: Any) -> OnboardingParams:
    """Parameters from the [onboarding] table, overridden by the given values (None: not given)."""
    return OnboardingParams(**SETTINGS.resolve(table, given, base))
