"""Support's parameters (metrics.md), from the config's [support] table or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from csmetrics.business_hours import BusinessHours, parse_business_hours, read_holidays
from csmetrics.families.settings import choice, merged_settings
from csmetrics.timeparts import parse_duration

BREAKDOWNS = ("channel", "priority", "group", "assignee")
KNOWN_KEYS = ("sla_first_response", "business_hours", "holidays", "by")


@dataclass(frozen=True)
class SupportParams:
    """sla_first_response: the first-response SLA; business_hours: durations count only
    business time (None: calendar time); by: a breakdown column (one row per value)."""

    sla_first_response: timedelta | None = None
    business_hours: BusinessHours | None = None
    by: str | None = None


def parameters(params: SupportParams) -> dict[str, Any]:
    hours = params.business_hours
    return {
        "sla_first_response_hours": params.sla_first_response.total_seconds() / 3600
        if params.sla_first_response
        else None,
        "business_hours": hours.text if hours else None,
        "holidays": [d.isoformat() for d in hours.holidays] if hours else [],
        "by": params.by,
    }


def needed_columns(source: str, params: SupportParams) -> set[str]:
    columns = {
        "ticket_id",
        "created_at",
        "first_response_at",
        "solved_at",
        "first_response_minutes",
        "resolution_minutes",
        "agent_replies",
        "reopens",
        "satisfaction",
    }
    return columns | ({params.by} if params.by else set())


def params_from_config(table: Mapping[str, Any], base: str = ".", **given: Any) -> SupportParams:
    """Parameters from the [support] table, overridden by the `given` ones that are set; a
    holidays path in the table is relative to the config's folder (`base`)."""
    from_table = dict(table)
    if "holidays" in from_table and "holidays" not in {k for k, v in given.items() if v}:
        from_table["holidays"] = str(_relative(str(from_table["holidays"]), base))
    merged = merged_settings("support", from_table, given, KNOWN_KEYS)
    sla = merged.get("sla_first_response")
    hours_text = merged.get("business_hours")
    holidays = read_holidays(merged["holidays"]) if merged.get("holidays") else ()
    by = merged.get("by")
    return SupportParams(
        sla_first_response=_duration(sla, "--sla-first-response") if sla else None,
        business_hours=parse_business_hours(str(hours_text), holidays) if hours_text else None,
        by=choice(by, BREAKDOWNS, "--by") if by else None,
    )


def _duration(value: str | timedelta, option: str) -> timedelta:
    return value if isinstance(value, timedelta) else parse_duration(str(value), option)


def _relative(path: str, base: str) -> str:
    from pathlib import Path

    candidate = Path(path).expanduser()
    return str(candidate if candidate.is_absolute() else Path(base) / candidate)
