"""Engagement's parameters, from the config's [engagement] table, the command line or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from csmetrics.errors import ConfigError
from csmetrics.timeparts import parse_duration

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


KNOWN_KEYS = ("session_gap", "inactive_events", "features", "use_session_id")


def params_from_config(
    table: Mapping[str, Any],
    *,
    session_gap: str | timedelta | None = None,
    inactive_events: list[str] | tuple[str, ...] | None = None,
    features: Mapping[str, Any] | None = None,
) -> EngagementParams:
    """Parameters from the config's [engagement] table, overridden by explicit values."""
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(
            f"[engagement]: unknown key {unknown[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    gap_value = session_gap or table.get("session_gap", "30m")
    gap = (
        gap_value
        if isinstance(gap_value, timedelta)
        else parse_duration(str(gap_value), "--session-gap")
    )
    inactive = (
        tuple(inactive_events) if inactive_events else tuple(table.get("inactive_events", ()))
    )
    return EngagementParams(
        session_gap=gap,
        inactive_events=tuple(map(str, inactive)),
        features=_features(features if features is not None else table.get("features")),
        use_session_id=bool(table.get("use_session_id", True)),
    )


def _features(value: Any) -> dict[str, tuple[str, ...]] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(v, list | tuple | str) for v in value.values()
    ):
        raise ConfigError('[engagement.features]: expected feature = ["event", ...] entries')
    return {str(k): (v,) if isinstance(v, str) else tuple(map(str, v)) for k, v in value.items()}
