"""Engagement's parameters, from the config's [engagement] table, the command line or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from csmetrics.core.errors import ConfigError
from csmetrics.core.readers import boolean, duration, names
from csmetrics.families.settings import Setting, Settings
from csmetrics.families.shared.active import INACTIVE_EVENTS

ROLLING_WINDOWS = {"wau7": 7, "mau30": 30}
LOOKBACK_DAYS = max(ROLLING_WINDOWS.values()) - 1


@dataclass(frozen=True)
class EngagementParams:
    """session_gap: inactivity that ends a session; inactive_events: events that do not make a
    user active; features: feature name -> the events that count as using it (default: each
    event is a feature); use_session_id: sessions from a session_id column when there is one."""

    session_gap: timedelta = timedelta(minutes=30)
    inactive_events: tuple[str, ...] = ()
    features: Mapping[str, tuple[str, ...]] | None = None
    use_session_id: bool = True


def parameters(params: EngagementParams) -> dict[str, Any]:
    return {
        "session_gap_minutes": params.session_gap.total_seconds() / 60,
        "inactive_events": list(params.inactive_events),
        "features": {k: list(v) for k, v in params.features.items()} if params.features else None,
    }


def needed_columns(source: str, params: EngagementParams) -> set[str]:
    return {"timestamp", "user_id", "event", "account_id", "session_id"}


SETTINGS = Settings(
    "engagement",
    (
        Setting(
            "session_gap",
            duration,
            timedelta(minutes=30),
            "Inactivity that ends a session, e.g. 30m.",
            flag="--session-gap",
            example='"30m"',
            in_starter=True,
        ),
        INACTIVE_EVENTS,
        Setting(
            "features",
            lambda value, where: _features(value, where),
            None,
            "Feature name -> the events that count as using it ([engagement.features] "
            'Reporting = ["report_viewed"]); default: each event is a feature.',
            example='{ Reports = ["report_viewed", "report_exported"] }',
            values_of="events.event",
        ),
        Setting(
            "use_session_id",
            boolean,
            True,
            "Sessions from a session_id column when there is one.",
            example="true",
        ),
    ),
)


def params_from_config(table: Mapping[str, Any], base: str = ".", **given: Any) -> EngagementParams:
    """Parameters from the config's [engagement] table, overridden by the given values (None:
    not given)."""
    return EngagementParams(**SETTINGS.resolve(table, given, base))


def _features(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise ConfigError(f'{where}: expected feature = ["event", ...] entries')
    return {str(k): names(v, f"{where} {k}") for k, v in value.items()}
