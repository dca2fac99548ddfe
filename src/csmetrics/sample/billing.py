"""The sample's invoice lines: monthly and annual plans, upgrades, downgrades, cancellations,
reactivations, discounts, setup fees, late and unpaid invoices."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from csmetrics.core.timeparts import add_months
from csmetrics.sample.people import PLANS

COLUMNS = ("invoice_id", "account_id", "amount", "currency", "issued_at", "period_start",
           "period_end", "due_at", "paid_at", "status", "recurring", "plan")  # fmt: skip


def make_billing(rng: np.random.Generator, accounts: pl.DataFrame, end: date) -> pl.DataFrame:
    """Invoice lines: monthly or annual plans on the signup's day, with the usual life events."""
    # A loop over accounts on purpose: each account's billing is a small state machine (plan
    # changes, pauses, churn) over its own months, clearer as code than as array algebra, and it
    # writes one row per invoice line (hundreds to tens of thousands), never per event.
    until = datetime(end.year, end.month, end.day)
    numbering = itertools.count(1)
    rows = [
        row
        for account in accounts.select(
            "account_id", "plan", "created_at", "churn_month"
        ).iter_rows()
        for row in _account_lines(rng, account, until, numbering)
    ]
    frame = pl.DataFrame(rows, schema_overrides={"paid_at": pl.Datetime("us")}).select(COLUMNS)
    stamps = ("issued_at", "period_start", "period_end", "due_at", "paid_at")
    return frame.with_columns(
        pl.col(c).cast(pl.Datetime("us")).dt.replace_time_zone("UTC") for c in stamps
    )


def _account_lines(
    rng: np.random.Generator,
    account: tuple[str, str, datetime, int],
    until: datetime,
    numbering: Iterator[int],
) -> list[dict[str, Any]]:
    """One account's invoice lines, period by period from its signup day: a churned account
    leaves or, three times in ten, pauses for two to four months and comes back."""
    account_id, plan, created, churn_month = account
    annual = rng.random() < 0.2
    step = 12 if annual else 1
    anchor = created.replace(tzinfo=None, hour=0, minute=0, second=0)
    discount = 0.2 if rng.random() < 0.15 else 0.0
    price = PLANS[plan] * (10 if annual else 1)
    rows: list[dict[str, Any]] = []
    period = 0
    paused_until = -1
    while (start := _add_months_keep_day(anchor, period)) < until:
        if churn_month >= 0 and period >= churn_month and paused_until < 0:
            if rng.random() >= 0.3:
                break
            paused_until = period + int(rng.integers(2, 5))
        if period < paused_until:
            period += 1
            continue
        if not annual and rng.random() < 0.04:  # upgrade or downgrade
            price = round(price * float(rng.choice([1.5, 0.6])), 2)
        lines = [(price, True, plan)]
        if discount:
            lines.append((-round(price * discount, 2), True, plan))
        invoice = {
            "invoice_id": f"in_{next(numbering):06d}",
            "account_id": account_id,
            "currency": "EUR",
            "issued_at": start,
            "period_start": start,
            "period_end": _add_months_keep_day(anchor, period + step),
            **_payment(rng, start, until),
        }
        if period == 0:
            lines.append((float(rng.choice([0.0, 250.0, 500.0])), False, "setup"))
        rows += [
            {**invoice, "amount": amount, "recurring": recurring, "plan": line_plan}
            for amount, recurring, line_plan in lines
            if amount != 0
        ]
        period += step
    return rows


def _payment(rng: np.random.Generator, start: datetime, until: datetime) -> dict[str, Any]:
    """Due 14 days after issue; paid within ten days, or 15-59 days for one in eight (late),
    a tenth of the late ones never (uncollectible); one in a hundred void."""
    due = start + timedelta(days=14)
    late = rng.random() < 0.12
    paid: datetime | None = start + timedelta(
        days=int(rng.integers(15, 60) if late else rng.integers(0, 10))
    )
    status = "paid" if paid is not None and paid < until else "open"
    if rng.random() < 0.01:
        status = "void"
    elif late and rng.random() < 0.1:
        status, paid = "uncollectible", None
    return {"due_at": due, "paid_at": paid if status == "paid" else None, "status": status}


def _add_months_keep_day(anchor: datetime, months: int) -> datetime:
    first = add_months(anchor.date(), months)
    next_first = add_months(first, 1)
    day = min(anchor.day, (next_first - first).days)
    return datetime(first.year, first.month, day)
