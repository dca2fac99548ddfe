"""The canonical schema of each source kind (data.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["string", "datetime", "number", "minutes", "money", "integer", "boolean", "rating"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False


def _schema(*columns: Column) -> dict[str, Column]:
    return {column.name: column for column in columns}


SCHEMAS: dict[str, dict[str, Column]] = {
    "events": _schema(
        Column("timestamp", "datetime", required=True),
        Column("user_id", "string", required=True),
        Column("event", "string", required=True),
        Column("account_id", "string"),
        Column("event_id", "string"),
        Column("session_id", "string"),
    ),
    "tickets": _schema(
        Column("ticket_id", "string", required=True),
        Column("created_at", "datetime", required=True),
        Column("first_response_at", "datetime"),
        Column("solved_at", "datetime"),
        Column("first_response_minutes", "minutes"),
        Column("resolution_minutes", "minutes"),
        # a help desk's own durations within its business hours (Zendesk exports both kinds)
        Column("first_response_business_minutes", "minutes"),
        Column("resolution_business_minutes", "minutes"),
        Column("account_id", "string"),
        Column("requester_id", "string"),
        Column("status", "string"),
        Column("channel", "string"),
        Column("priority", "string"),
        Column("group", "string"),
        Column("assignee", "string"),
        Column("agent_replies", "integer"),
        Column("reopens", "integer"),
        Column("satisfaction", "rating"),
    ),
    "billing": _schema(
        Column("invoice_id", "string", required=True),
        Column("account_id", "string", required=True),
        Column("amount", "money", required=True),
        Column("issued_at", "datetime", required=True),
        Column("currency", "string"),
        Column("period_start", "datetime"),
        Column("period_end", "datetime"),
        Column("due_at", "datetime"),
        Column("paid_at", "datetime"),
        Column("status", "string"),
        Column("recurring", "boolean"),
        Column("plan", "string"),
    ),
    # a subscriptions export (Stripe's, Chargebee's, Recurly's): one row per subscription; the
    # revenue family reads it instead of invoice lines (families/revenue/subscriptions.py)
    "subscriptions": _schema(
        Column("subscription_id", "string", required=True),
        Column("account_id", "string", required=True),
        Column("amount", "money", required=True),  # the price of one unit for one interval
        Column("started_at", "datetime", required=True),
        Column("ended_at", "datetime"),
        Column("trial_ended_at", "datetime"),
        Column("interval", "string"),  # day, week, month (the default) or year
        Column("interval_count", "integer"),
        Column("quantity", "number"),
        Column("status", "string"),
        Column("currency", "string"),
        Column("plan", "string"),
    ),
    "surveys": _schema(
        Column("submitted_at", "datetime", required=True),
        Column("score", "number", required=True),
        Column("survey", "string", required=True),
        Column("component", "string"),  # a CX index answer's part: effort, empathy, ...
        # a CX index exported wide: one column per component (sources/wide.py makes it long)
        Column("cxi_effort", "number"),
        Column("cxi_empathy", "number"),
        Column("cxi_understanding", "number"),
        Column("cxi_efficiency", "number"),
        Column("respondent_id", "string"),
        Column("account_id", "string"),
        Column("comment", "string"),
    ),
    "accounts": _schema(
        Column("account_id", "string", required=True),
        Column("name", "string"),
        Column("segment", "string"),
        Column("plan", "string"),
        Column("owner", "string"),
        Column("created_at", "datetime"),
        Column("seats", "integer"),
    ),
}

SOURCE_KINDS: tuple[str, ...] = tuple(SCHEMAS)

# The column whose timestamps define a source's observed range and its rows "in the window".
TIME_COLUMN: dict[str, str | None] = {
    "events": "timestamp",
    "tickets": "created_at",
    "billing": "issued_at",
    "subscriptions": "started_at",
    "surveys": "submitted_at",
    "accounts": None,
}

# The column whose repeated values mark duplicate rows, where the source has one.
DEDUP_COLUMN: dict[str, str | None] = {
    "events": "event_id",
    "tickets": "ticket_id",
    "billing": None,
    "subscriptions": "subscription_id",
    "surveys": None,
    "accounts": "account_id",
}

# Ids only ever compared, never shown: read as 64-bit hashes (sources/read.py `compact`), with
# this seed (sources/dominant.py finds the text behind one again).
KEY_SEED = 3
HASHED_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("user_id", "session_id"),
    "billing": ("invoice_id",),  # lines are grouped into invoices; no output shows the id
}

# Columns read only to find repeated rows, dropped afterwards unless asked for.
DEDUP_ONLY: dict[str, tuple[str, ...]] = {"events": ("event_id",)}
