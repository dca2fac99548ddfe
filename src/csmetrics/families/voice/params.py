"""Voice of customer's parameters, from the config's [voice] table or a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csmetrics.core.readers import boolean, choice, text
from csmetrics.families.settings import Setting, Settings
from csmetrics.families.voice.cxi import COMPONENTS

# a CX index exported wide: one column per component (loading makes its rows long)
CXI_COLUMNS = tuple(f"cxi_{component}" for component in COMPONENTS)


@dataclass(frozen=True)
class VoiceParams:
    """by: a column of the surveys or of the accounts (joined on account_id) to break NPS, CSAT
    and CES down by; include_comments: write the free-text comments (never by default)."""

    by: str | None = None
    include_comments: bool = False
    cxi_scale: str = "1-5"  # the CX index survey's scale: 1-5, 1-7 or 0-10 (cxi.CUTS)


def parameters(params: VoiceParams) -> dict[str, Any]:
    return {
        "by": params.by,
        "include_comments": params.include_comments,
        "cxi_scale": params.cxi_scale,
    }


def needed_columns(source: str, params: VoiceParams) -> set[str]:
    if source == "surveys":
        # comments are read for their terms (comments.py); their text is written only with
        # include_comments
        return {"submitted_at", "score", "survey", "component", "respondent_id", "account_id",
                "comment", *CXI_COLUMNS}  # fmt: skip
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
        Setting(
            "cxi_scale",
            choice("1-5", "1-7", "0-10"),
            "1-5",
            "The CX index survey's scale: 1-5 (top two boxes minus bottom two), 1-7 (the same) "
            "or 0-10 (9-10 minus 0-6).",
            flag="--cxi-scale",
            metavar="SCALE",
            example='"1-5"',
        ),
    ),
)


def params_from_config(table: Mapping[str, Any], base: str = ".", **given: Any) -> VoiceParams:
    """Parameters from the [voice] table, overridden by the given values (None: not given)."""
    return VoiceParams(**SETTINGS.resolve(table, given, base))
