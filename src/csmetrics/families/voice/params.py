"""Voice of customer's parameters, from the config's [voice] table or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csmetrics.families.settings import merged_settings

KNOWN_KEYS = ("by", "include_comments")


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


def params_from_config(table: Mapping[str, Any], **given: Any) -> VoiceParams:
    merged = merged_settings("voice", table, given, KNOWN_KEYS)
    by = merged.get("by")
    return VoiceParams(
        by=str(by) if by else None, include_comments=bool(merged.get("include_comments", False))
    )
