"""Revenue's metrics, tables and pre-flight warnings from the collected frames (all amounts in
integer micro-units until they are shown)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.families.base import FamilyResult, RunContext
from csmetrics.families.revenue.contract import MONEY
from csmetrics.families.revenue.invoices import AGING_BUCKETS
from csmetrics.families.revenue.lines import MICRO, defaulted_columns
from csmetrics.families.revenue.metrics import METRICS
from csmetrics.families.revenue.months import (
    MONTHS_PER_YEAR,
    TRAILING_MONTHS,
    month_of,
    window_months,
)
from csmetrics.families.revenue.mrr import MOVEMENTS
from csmetrics.families.revenue.params import RevenueParams
from csmetrics.families.revenue.subscriptions import line_columns
from csmetrics.families.revenue.users import arpu

MONEY_COLUMNS = ("starting", *MOVEMENTS, "ending", "amount")
COUNT_COLUMNS = ("starting_accounts", *(f"{m}_accounts" for m in MOVEMENTS), "ending_accounts")


def units(micro: int | None) -> float | None:
    return None if micro is None else micro / MICRO


def ratio(numerator: float | int | None, denominator: float | int | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def as_money(frame: pl.DataFrame) -> pl.DataFrame:
    """Micro-unit columns as exact decimals (six places: every sum stays exact)."""
    scale = pl.lit(Decimal("0.000001"))
    return frame.with_columns(
        (pl.col(c).cast(pl.Decimal(38, 0)) * scale).alias(c)
        for c in MONEY_COLUMNS
        if c in frame.columns
    )


def monthly_table(
    found: pl.DataFrame, months: list[int], groups: tuple[str, ...] = ()
) -> pl.DataFrame:
    """Movements for every month asked for (and every group seen), zeros where nothing
    moved, sorted."""
    values = ("starting", *MOVEMENTS, "ending", *COUNT_COLUMNS)
    grid = pl.DataFrame({"month": months}, schema={"month": found.schema["month"]})
    if groups:
        grid = grid.join(found.select(*groups).unique(), how="cross")
    table = grid.join(found, on=["month", *groups], how="left").with_columns(
        pl.col(c).fill_null(0).cast(pl.Int64 if c in COUNT_COLUMNS else MONEY) for c in values
    )
    return table.sort("month", *groups).select("month", *groups, *values)


def assemble(
    results: Mapping[str, pl.DataFrame], ctx: RunContext, params: RevenueParams
) -> FamilyResult:
    metrics: dict[str, float | None] = dict.fromkeys(m.id for m in METRICS)
    tables: dict[str, pl.DataFrame] = {}
    months = window_months(ctx.window)
    metrics.update(_snapshot(results))
    paying = int(metrics["revenue.paying_accounts_count"] or 0)
    metrics["revenue.arpu"], warnings = arpu(
        results.get("arpu"), ctx, metrics["revenue.mrr"], paying
    )
    if months:
        metrics.update(_movement_metrics(results, months, params, metrics["revenue.arpa"]))
        tables.update(_movement_tables(results, months, params))
    billing, more = _billing(results, ctx)
    metrics.update(billing)
    warnings += more
    if "aging" in results:
        tables["ar_aging"] = _aging(results["aging"])
    warnings += preflight(results, ctx, months)
    warnings += missing_reasons(metrics, ctx, months)
    currency = results["currency"]["currency"][0]
    return FamilyResult(metrics, tables, warnings, currency=currency)


def _snapshot(results: Mapping[str, pl.DataFrame]) -> dict[str, float | None]:
    """MRR, ARR, paying accounts and ARPA at the window's end."""
    head = results["snapshot"].row(0, named=True)
    mrr, accounts = units(head["mrr"] or 0), head["paying_accounts"]
    return {
        "revenue.mrr": mrr,
        "revenue.arr": None if mrr is None else MONTHS_PER_YEAR * mrr,
        "revenue.paying_accounts_count": float(accounts),
        "revenue.arpa": ratio(mrr, accounts),
    }


def _movement_metrics(
    results: Mapping[str, pl.DataFrame],
    months: list[int],
    params: RevenueParams,
    arpa: float | None,
) -> dict[str, float | None]:
    """Churn rates and quick ratio over the window's month ends; NRR, GRR and LTV over the
    trailing year before its last one."""
    first = min(months[0], months[-1] - TRAILING_MONTHS + 1)
    history = monthly_table(results["movements"], list(range(first, months[-1] + 1)))
    rows = {row["month"]: row for row in history.iter_rows(named=True)}
    inside = [rows[m] for m in months]
    kept = results["retention"].row(0, named=True)
    gained = sum(r["new"] + r["reactivation"] + r["expansion"] for r in inside)
    churn = mean(
        [
            ratio(rows[m]["churn_accounts"], rows[m]["starting_accounts"])
            for m in range(months[-1] - TRAILING_MONTHS + 1, months[-1] + 1)
        ]
    )
    return {
        "revenue.logo_churn_rate": mean(
            [ratio(r["churn_accounts"], r["starting_accounts"]) for r in inside]
        ),
        "revenue.gross_mrr_churn_rate": mean(
            [ratio(r["contraction"] + r["churn"], r["starting"]) for r in inside]
        ),
        "revenue.quick_ratio": ratio(gained, sum(r["contraction"] + r["churn"] for r in inside)),
        "revenue.nrr": ratio(kept["retained"], kept["base"]),
        "revenue.grr": ratio(kept["retained_gross"], kept["base"]),
        "revenue.ltv": arpa * params.gross_margin / churn if churn and arpa is not None else None,
    }


def _movement_tables(
    results: Mapping[str, pl.DataFrame], months: list[int], params: RevenueParams
) -> dict[str, pl.DataFrame]:
    """The MRR waterfall per month end, and the same per value of the breakdown."""
    table = monthly_table(results["movements"], months)
    tables = {
        "mrr_movements": as_money(
            table.with_columns(pl.col("month").map_batches(_dates, return_dtype=pl.Date))
        )
    }
    if "by" in results:
        name = params.by or "plan"
        by = monthly_table(results["by"], months, ("group",))
        tables[f"mrr_by_{name}"] = as_money(
            by.with_columns(pl.col("month").map_batches(_dates, return_dtype=pl.Date)).rename(
                {"group": name}
            )
        )
    return tables


def _billing(
    results: Mapping[str, pl.DataFrame], ctx: RunContext
) -> tuple[dict[str, float | None], list[DataWarning]]:
    """Billed amount, DSO and the late payments of the window's invoices."""
    window = ctx.window
    billed_amount = results["billed"]["billed"][0] or 0
    metrics: dict[str, float | None] = {"revenue.billed_amount": units(billed_amount)}
    warnings: list[DataWarning] = []
    if "payments" not in results:
        return metrics, warnings
    paid = results["payments"].row(0, named=True)
    days = (window.until - window.since).total_seconds() / 86_400
    dso = ratio(paid["receivable"] or 0, billed_amount if billed_amount > 0 else None)
    metrics["revenue.dso_days"] = None if dso is None else dso * days
    if "due" in paid:
        metrics["revenue.late_payment_share"] = ratio(paid["late"], paid["due"])
        metrics["revenue.days_late_mean"] = paid["days_late_mean"]
        metrics["revenue.overdue_amount"] = units(paid["overdue"] or 0)
    if paid["paid_before_issued"]:
        warnings.append(
            DataWarning(
                "paid_before_issued",
                f"{paid['paid_before_issued']} invoices were paid before they were issued (paid_at < issued_at)",
            )
        )
    return metrics, warnings


def _aging(aging: pl.DataFrame) -> pl.DataFrame:
    """Unpaid invoices per overdue bucket, every bucket shown."""
    table = pl.DataFrame({"bucket": list(AGING_BUCKETS)}).join(aging, on="bucket", how="left")
    return as_money(
        table.with_columns(
            pl.col("invoices").fill_null(0).cast(pl.Int64),
            pl.col("amount").fill_null(0).cast(MONEY),
        )
    )


def _dates(months: pl.Series) -> pl.Series:
    return pl.Series([month_of(m) for m in months.to_list()], dtype=pl.Date)


SUBSCRIPTIONS_NOTE = DataWarning(
    "lines_from_subscriptions",
    "revenue: MRR from the subscriptions export: each subscription's price x quantity per "
    "interval, from its start (after any trial) to its end; discounts, taxes and mid-period "
    "changes are not in it (an invoice export has them)",
    source="subscriptions",
)


def preflight(
    results: Mapping[str, pl.DataFrame], ctx: RunContext, months: list[int]
) -> list[DataWarning]:
    """The pre-flight warnings of metrics.md: invalid periods, negative net MRR, months with no
    billing at all inside the data's range."""
    out = defaulted_columns(line_columns(ctx.columns))
    invalid = results["invalid_periods"]["lines"][0]
    if invalid:
        out.append(
            DataWarning(
                "invalid_period",
                f"{invalid} invoice lines have period_end <= period_start; they count in billed amount but not in MRR",
            )
        )
    negative = results["negative"].row(0, named=True)
    if negative["accounts"]:
        out.append(
            DataWarning(
                "negative_mrr",
                f"{negative['accounts']} accounts have a negative net MRR at {negative['month_ends']} month ends (credits exceeding charges); read as 0",
            )
        )
    if "billing" not in ctx.columns:  # subscriptions: no invoices, and nothing to be missing
        return [*out, SUBSCRIPTIONS_NOTE]
    issued = sorted(results["issued_months"]["month"].to_list())
    if issued:
        gaps = sorted(set(range(issued[0], issued[-1] + 1)) - set(issued))
        if gaps:
            shown = ", ".join(month_of(m).strftime("%Y-%m") for m in gaps[:6])
            more = f" and {len(gaps) - 6} more" if len(gaps) > 6 else ""
            out.append(
                DataWarning(
                    "months_without_billing",
                    f"no invoice line was issued in {len(gaps)} months inside the data's range ({shown}{more}): a missing export there reads as everyone churning",
                )
            )
    return out


def missing_reasons(
    metrics: Mapping[str, float | None], ctx: RunContext, months: list[int]
) -> list[DataWarning]:
    """Why each metric that is null could not be computed."""
    columns = set(line_columns(ctx.columns))
    reasons: dict[str, str] = {}
    if not months:
        for key in ("logo_churn_rate", "gross_mrr_churn_rate", "nrr", "grr", "quick_ratio", "ltv"):
            reasons[key] = (
                "no month ends inside the window (use a window of whole months, e.g. --period 2026-10)"
            )
    for key in ("late_payment_share", "days_late_mean", "overdue_amount"):
        if "due_at" not in columns or "paid_at" not in columns:
            reasons[key] = "the billing lines have no due_at or paid_at column"
    if "paid_at" not in columns:
        reasons["dso_days"] = "the billing lines have no paid_at column"
    defaults = {
        "arpa": "no paying accounts at the window's end",
        "logo_churn_rate": "no paying accounts at the month ends before the window's months",
        "gross_mrr_churn_rate": "no MRR at the month ends before the window's months",
        "nrr": f"no paying accounts {TRAILING_MONTHS} months before the window's last month end",
        "grr": f"no paying accounts {TRAILING_MONTHS} months before the window's last month end",
        "quick_ratio": "no contraction or churn in the window's months",
        "ltv": f"no logo churn in the last {TRAILING_MONTHS} months (or no paying accounts)",
        "late_payment_share": "no invoices due in the window",
        "days_late_mean": "no invoice due in the window was paid late before its end",
        "dso_days": "nothing billed in the window",
    }
    out = []
    for key, value in metrics.items():
        name = key.removeprefix("revenue.")
        if value is None and key != "revenue.arpu":  # users.arpu gives its own reason
            reason = reasons.get(name) or defaults.get(name, "not computable")
            out.append(DataWarning("empty_denominator", reason, key))
    return out
