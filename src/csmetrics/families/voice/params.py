"""Voice of customer's parameters, from the config's [voice] table or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csmetrics.core.readers import boolean, text
from csmetrics.families.settings import Setting, Settings


@dataclass(frozen=True)
class VoiceParams:
    """by: a column of the surveys or of the accounts (joined on account_id) to break NPS, CSAT
    and CES down by; include_comments: write the free-text comments (never by default)."""

    by: str | None = None
    include_comments: bool = False


def parameters(params: VoiceParams) -> dict[str, Any]:
    return {"by": params.by, "include_comments": params.include_comments}


def needed_columns(source: str, params: VoiceParams) -> set[str]:
    if source == "surveys":
        columns = {"submitted_at", "score", "survey", "respondent_id", "account_id"}
        return columns | ({"comment"} if params.include_comments else set())
    if source == "tickets":
        return {"ticket_id", "created_at", "satisfaction"}
    return {"account_id", "name", "segment", "plan", "owner"}


SETTINGS = Settings(
    "voice",
    (
        Setting(
            "by",
            text,
            None,
            "A surveys or accounts column to break down by, e.g. segment.",
            flag="--by",
            metavar="COLUMN",
            example='"segment"',
        ),
        Setting(
            "include_comments",
            boolean,
            False,
            "Write the free-text comments (never by default).",
            flag="--include-comments",
            cli_type=bool,
            example="false",
        ),
    ),
)


def params_from_config(table: Mapping[str, Any], base: str = ".", **given: Any) -> VoiceParams:
    """Parameters from the [voice] table, overridden by the given values (None: not given)."""
    return VoiceParams(**SETTINGS.resolve(table, given, base))
