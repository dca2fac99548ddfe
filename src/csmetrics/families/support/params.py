"""Support's parameters (metrics.md), from the config's [support] table or a call."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from csmetrics.core.errors import ConfigError
from csmetrics.core.readers import choice, duration, text
from csmetrics.families.settings import Setting, Settings
from csmetrics.families.support.business_hours import (
    BusinessHours,
    parse_business_hours,
    read_holidays,
)

BREAKDOWNS = ("channel", "priority", "group", "assignee")


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
        "first_response_business_minutes",
        "resolution_business_minutes",
        "agent_replies",
        "reopens",
        "satisfaction",
        "status",  # only to cross-check solved_at (a warning when they disagree)
    }
    return columns | ({params.by} if params.by else set())


def _holidays(value: Any, where: str) -> tuple[date, ...]:
    """A file of dates (a path), or the dates themselves (a call)."""
    if isinstance(value, str | os.PathLike):
        return read_holidays(os.fspath(value))
    if isinstance(value, Iterable) and all(isinstance(day, date) for day in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected a file of dates or a list of dates, got {value!r}")


SETTINGS = Settings(
    "support",
    (
        Setting(
            "sla_first_response",
            duration,
            None,
            "First-response SLA, e.g. 4h.",
            flag="--sla-first-response",
            example='"4h"',
            in_starter=True,
        ),
        Setting(
            "business_hours",
            text,
            None,
            'Opening hours in --timezone, e.g. "mon-thu 08:00-18:00, fri 08:00-14:00": '
            "durations then count business time only.",
            flag="--business-hours",
            metavar="HOURS",
            example='"mon-fri 09:00-17:00"',
        ),
        Setting(
            "holidays",
            _holidays,
            (),
            "File of closed days: one date per line, or a CSV with a date column.",
            flag="--holidays",
            path=True,
            example='"holidays.txt"',
        ),
        Setting(
            "by",
            choice(*BREAKDOWNS),
            None,
            "Breakdown: channel, priority, group or assignee.",
            flag="--by",
            metavar="COLUMN",
            example='"channel"',
        ),
    ),
)


def params_from_config(table: Mapping[str, Any], base: str = ".", **given: Any) -> SupportParams:
    """Parameters from the [support] table, overridden by the given values (None: not given); a
    holidays path in the table is relative to the config's folder (`base`)."""
    values = SETTINGS.resolve(table, given, base)
    hours_text, holidays = values["business_hours"], values["holidays"]
    return SupportParams(
        sla_first_response=values["sla_first_response"],
        business_hours=parse_business_hours(hours_text, holidays) if hours_text else None,
        by=values["by"],
    )
