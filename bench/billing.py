"""Generated invoice lines for `make bench`: 100k accounts over five years, monthly and annual
plans billed on each account's anchor day, upgrades, discounts, one-off fees, void lines, late
and unpaid invoices (about 2M lines, written once to Parquet)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

FIRST = np.datetime64("2021-12-01", "D")
DAYS = 5 * 365
PRICES = np.array([29, 49, 99, 199, 499, 999])


def write_billing(path: Path, accounts: int = 100_000, seed: int = 1) -> int:
    """Write the lines; returns how many."""
    rng = np.random.default_rng(seed)
    start = FIRST + rng.integers(0, DAYS, accounts).astype("timedelta64[D]")
    annual = rng.random(accounts) < 0.15
    lifetime = rng.geometric(1 / 48, accounts)  # months until churn
    months_left = ((FIRST + DAYS - start).astype(int) // 30).clip(1)
    invoices = np.where(
        annual, -(-np.minimum(lifetime, months_left) // 12), np.minimum(lifetime, months_left)
    )
    price = rng.choice(PRICES, accounts)
    upgrade_at = np.where(rng.random(accounts) < 0.3, rng.integers(1, 24, accounts), 10_000)
    account = np.repeat(np.arange(accounts), invoices)
    k = np.arange(invoices.sum()) - np.repeat(np.cumsum(invoices) - invoices, invoices)
    step = np.where(annual[account], 12, 1)
    monthly_price = np.where(k >= upgrade_at[account], 2, 1) * price[account]
    lines = pl.DataFrame(
        {
            "account": account,
            "k": k * step,
            "months": step,
            "start": start[account],
            "amount": monthly_price * step,
            "plan": np.char.add(
                np.where(step == 12, "annual-", "monthly-"), monthly_price.astype(str)
            ),
        }
    ).with_columns(
        period_start=pl.col("start").dt.offset_by(pl.format("{}mo", "k")),
        period_end=pl.col("start").dt.offset_by(pl.format("{}mo", pl.col("k") + pl.col("months"))),
    )
    extra = lines.sample(fraction=0.08, seed=seed).with_columns(
        amount=pl.when(pl.int_range(pl.len()) % 2 == 0)
        .then(-pl.col("amount") // 10)
        .otherwise(250),
        recurring=pl.int_range(pl.len()) % 2 == 0,  # discounts recur, setup fees do not
    )
    lines = pl.concat([lines.with_columns(recurring=pl.lit(True)), extra])
    n = lines.height
    paid_after = rng.lognormal(1.5, 1.0, n).astype("int64")
    status = rng.choice(["paid", "open", "void"], n, p=[0.95, 0.04, 0.01])
    frame = lines.with_columns(
        invoice_id=pl.format("in_{}_{}", "account", "k"),
        account_id=pl.format("acc_{}", "account"),
        amount=pl.col("amount").cast(pl.Decimal(38, 2)),
        currency=pl.lit("USD"),
        issued_at=pl.col("period_start").cast(pl.Datetime("us", "UTC")),
        status=pl.Series(status),
    ).with_columns(
        period_start=pl.col("issued_at"),
        period_end=pl.col("period_end").cast(pl.Datetime("us", "UTC")),
        due_at=pl.col("issued_at") + pl.duration(days=14),
        paid_at=pl.when(pl.Series(status) == "paid").then(
            pl.col("issued_at") + pl.duration(days=pl.Series(paid_after))
        ),
    )
    columns = ["invoice_id", "account_id", "amount", "currency", "issued_at", "period_start",
               "period_end", "due_at", "paid_at", "status", "recurring", "plan"]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.select(columns).write_parquet(path, row_group_size=500_000)
    return frame.height
