"""A realistic, linked, deterministic sample dataset for all five sources.

Accounts have users; users sign up, onboard (created_project, invited_user, connected_integration),
use features with their own habits (weekday-heavy, in sessions), and some churn. Accounts file
tickets, pay monthly or annual invoices (varied billing days, upgrades, downgrades, cancellations,
reactivations, discounts, setup fees, late and unpaid invoices) and answer NPS/CSAT/CES surveys.
Events are generated with vectorised numpy draws, so the same code writes 20M+ events for
benchmarks; the small sources use plain loops over accounts (hundreds of rows, not millions).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from csmetrics.core.errors import ConfigError
from csmetrics.core.timeparts import add_months
from csmetrics.render.files import atomic_write
from csmetrics.sample.activity import make_events
from csmetrics.sample.billing import make_billing
from csmetrics.sample.people import make_accounts, make_users
from csmetrics.sample.service import make_surveys, make_tickets


@dataclass(frozen=True)
class SampleOptions:
    seed: int = 42
    accounts: int = 60
    months: int = 6
    end: str = "2026-11-01"
    users_per_account: float = 8.0
    events_per_user_day: float = 6.0
    events_format: str = "csv"  # csv or parquet
    duplicate_share: float = 0.001


def write_sample(folder: Path, options: SampleOptions) -> dict[Path, int]:
    """Write accounts, events, tickets, billing and surveys into `folder`; rows written per file."""
    if options.events_format not in ("csv", "parquet"):
        raise ConfigError(f"--file-format: expected csv or parquet, got {options.events_format!r}")
    try:
        end = date.fromisoformat(options.end)
    except ValueError as exc:
        raise ConfigError(
            f"--end: expected a date such as 2026-11-01, got {options.end!r}"
        ) from exc
    rng = np.random.default_rng(options.seed)
    start = (
        add_months(end, -options.months)
        if end.day == 1
        else end - timedelta(days=30 * options.months)
    )
    accounts = make_accounts(rng, options.accounts, start, end)
    users = make_users(rng, accounts, options.users_per_account, start, end)
    events = make_events(rng, users, end, options.events_per_user_day, options.duplicate_share)
    tickets = make_tickets(rng, accounts, start, end)
    billing = make_billing(rng, accounts, end)
    surveys = make_surveys(rng, users, tickets, end)
    frames = {
        "accounts.csv": accounts.drop("churn_month"),
        f"events.{options.events_format}": events,
        "tickets.csv": tickets,
        "billing.csv": billing,
        "surveys.csv": surveys,
    }
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[Path, int] = {}
    for name, frame in frames.items():
        path = folder / name
        if name.endswith(".parquet"):
            atomic_write(path, functools.partial(_write_parquet, frame))
        else:
            out = frame.with_columns(
                pl.col(c).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
                for c, t in frame.schema.items()
                if isinstance(t, pl.Datetime)
            )
            atomic_write(path, functools.partial(_write_csv, out))
        written[path] = frame.height
    return written


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    frame.write_parquet(path, row_group_size=1_000_000)


def _write_csv(frame: pl.DataFrame, path: Path) -> None:
    frame.write_csv(path)
