"""What onboarding and retention share: the entity they count (a user, or an account for B2B)
and its signup (metrics.md, Conventions): the first `signup_event` if configured, else the first
event in the data; an account's signup is `accounts.created_at` when an accounts source gives it,
else the earliest signup of its users. Nothing at or after `until` is used.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.readers import choice, text
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Frames
from csmetrics.families.settings import Setting

Level = Literal["user", "account"]
LEVELS: tuple[Level, ...] = ("user", "account")

# The settings onboarding and retention share, declared once for both.
SIGNUP_EVENT = Setting(
    "signup_event",
    text,
    None,
    "The event of signup, which starts a first-time cohort (default: a user's first event).",
    flag="--signup-event",
    example='"signed_up"',
    values_of="events.event",
)
LEVEL = Setting(
    "level",
    choice(*LEVELS),
    "user",
    "user or account (default user).",
    flag="--level",
    example='"account"',
)


def entity_events(frames: Frames, columns: Columns, window: Window, level: Level) -> pl.LazyFrame:
    """The events before `until` with `entity` (user_id, or account_id at account level; events
    without an account are then left out, see `missing_account_warning`)."""
    events = frames["events"].filter(pl.col("timestamp") < window.until)
    if level == "user":
        return events.with_columns(entity=pl.col("user_id"))
    if "account_id" not in columns["events"]:
        raise_no_account()
    return events.filter(pl.col("account_id").is_not_null()).with_columns(
        entity=pl.col("account_id")
    )


def raise_no_account() -> None:
    from csmetrics.core.errors import InputError

    raise InputError("events: --level account needs an account_id column in the events")


def signups(
    events: pl.LazyFrame,
    signup_event: str | None,
    frames: Frames,
    columns: Columns,
    window: Window,
    level: Level,
) -> pl.LazyFrame:
    """(entity, signup) for every entity that signed up before `until`."""
    source = events if signup_event is None else events.filter(pl.col("event") == signup_event)
    first = source.group_by("entity").agg(pl.col("timestamp").min().alias("signup"))
    created = "accounts" in frames and "created_at" in columns.get("accounts", ())
    if level != "account" or not created:
        return first
    # accounts.created_at wins; accounts without it (or not in the accounts file) keep the
    # earliest signup of their users
    accounts = (
        frames["accounts"]
        .select(pl.col("account_id").alias("entity"), pl.col("created_at"))
        .filter(pl.col("created_at") < window.until)
        .with_columns(pl.col("entity").cast(first.collect_schema()["entity"]))
    )
    joined = first.join(accounts, on="entity", how="full", coalesce=True)
    return joined.select("entity", pl.coalesce("created_at", "signup").alias("signup"))


def missing_account_rows(frames: Frames, columns: Columns, level: Level) -> pl.LazyFrame | None:
    """At account level, the number of events without an account (left out)."""
    if level != "account" or "account_id" not in columns["events"]:
        return None
    return frames["events"].select(pl.col("account_id").is_null().sum().alias("n"))


def missing_account_warning(count: int, family: str) -> list[DataWarning]:
    if not count:
        return []
    return [
        DataWarning(
            "missing_value",
            f"{count:,} events without an account_id are left out of account-level {family}",
            count=count,
            source="events",
        )
    ]
