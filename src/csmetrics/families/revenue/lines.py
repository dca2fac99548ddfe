"""Invoice lines made ready for the revenue metrics (metrics.md, data.md): only lines issued
before `until` exist; amounts are integer micro-units of the reporting currency, so every sum
is exact and the movement identity holds to the cent; service periods default to one calendar
month from `issued_at`; each recurring line gets its monthly amount and the months whose end
its service period covers."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.timeparts import MICROSECONDS_PER_DAY, local_date, local_day_of
from csmetrics.core.window import Window
from csmetrics.families.base import Columns, Frames
from csmetrics.families.revenue.months import MONTHS_PER_YEAR
from csmetrics.families.revenue.params import RevenueParams

MICRO = 1_000_000  # amounts are held as integer millionths of a currency unit
# 128-bit: a line of 10^15 units (IDR, VND) is 10^21 millionths, past 64 bits; sums of many
# such lines stay exact far beyond 10^20 units
MICRO_DTYPE = pl.Int128
LINE_LIMIT = 10**15  # units per line; beyond it, an input error naming the line
MONTHLY = "monthly_amount"  # a line's own monthly amount, when it has one (subscriptions)
AVERAGE_MONTH_DAYS = 30.436875  # 365.2425 / 12


def month_index(ts: pl.Expr, tz: str) -> pl.Expr:
    """The calendar month of an instant in `tz`, as year * 12 + month - 1."""
    local = ts if tz == "UTC" else ts.dt.convert_time_zone(tz)
    return local.dt.year().cast(pl.Int32) * MONTHS_PER_YEAR + local.dt.month().cast(pl.Int32) - 1


def interval_months(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """The service period's length in months: days / 30.436875, rounded to the nearest whole
    m >= 1 when within 10% of it (28-31 days are one month, 365-366 twelve), else unrounded."""
    days = (end - start).dt.total_microseconds() / MICROSECONDS_PER_DAY
    months = days / AVERAGE_MONTH_DAYS
    nearest = months.round(0).clip(lower_bound=1)
    return pl.when((months - nearest).abs() <= 0.1 * nearest).then(nearest).otherwise(months)


def data_currencies(billing: pl.LazyFrame, present: tuple[str, ...]) -> list[str]:
    """The distinct currencies of the lines (a pre-flight check on the loaded frame)."""
    if "currency" not in present:
        return []
    found = billing.select(_currency().drop_nulls().unique().sort()).collect()
    return found.to_series().to_list()


def _currency() -> pl.Expr:
    return pl.col("currency").str.strip_chars().str.to_uppercase()


def reporting_currency(found: list[str], params: RevenueParams) -> str | None:
    """The currency of every money value, or an input error when amounts in several
    currencies (or in another one than asked for) cannot be converted."""
    if params.fx_rates is not None:
        return params.currency
    if len(found) > 1:
        raise InputError(
            f"billing: amounts in {len(found)} currencies ({', '.join(found)}); pass --fx-rates "
            "FILE (CSV: date, currency, rate to the reporting currency) and --currency CODE"
        )
    if params.currency and found and found[0] != params.currency:
        raise InputError(
            f"billing: amounts are in {found[0]}; reporting in {params.currency} needs "
            "--fx-rates FILE (CSV: date, currency, rate)"
        )
    return params.currency or (found[0] if found else None)


def _daily_rates(rates: pl.DataFrame, last_day: object) -> pl.DataFrame:
    """One row per currency and day from its first rate to `last_day`: the latest rate on or
    before that day (so lines join on an equality, with no sort of the lines)."""
    firsts = rates.group_by("currency").agg(pl.col("date").min().alias("first"))
    days = firsts.select(
        "currency",
        pl.date_ranges("first", pl.max_horizontal("first", pl.lit(last_day))).alias("date"),
    ).explode("date")
    return (
        days.join(rates, on=["currency", "date"], how="left")
        .sort("currency", "date")
        .with_columns(pl.col("rate").forward_fill().over("currency"))
    )


def _converted(
    lines: pl.LazyFrame, window: Window, params: RevenueParams, reporting: str | None
) -> pl.LazyFrame:
    """Amounts in the reporting currency at the rate of the line's period_start day."""
    assert params.fx_rates is not None
    rates = params.fx_rates
    day = local_date(pl.col("period_start"), window.timezone).alias("rate_day")
    currency = _currency().fill_null(reporting or "")
    keyed = lines.with_columns(day, currency.alias("currency"))
    foreign = keyed.filter(pl.col("currency") != (reporting or ""))
    needed = foreign.group_by("currency").agg(pl.col("rate_day").min()).collect()
    known = dict(rates.group_by("currency").agg(pl.col("date").min()).iter_rows())
    for currency_code, first_needed in needed.sort("currency").iter_rows():
        first_rate = known.get(currency_code)
        if first_rate is None or first_needed < first_rate:
            raise InputError(
                f"--fx-rates {params.fx_rates_path}: no {currency_code} rate on or before "
                f"{first_needed} (billing has {currency_code} lines from then)"
            )
    last_day = local_day_of(window.until, window.timezone) + timedelta(days=1)
    daily = _daily_rates(rates, last_day).lazy()
    joined = keyed.join(
        daily, left_on=["currency", "rate_day"], right_on=["currency", "date"], how="left"
    )
    rate = pl.when(pl.col("currency") == (reporting or "")).then(1.0).otherwise(pl.col("rate"))
    converted = [
        (pl.col(c) * rate).round(0, mode="half_away_from_zero").cast(MICRO_DTYPE).alias(c)
        for c in ("amount_micro", MONTHLY)
        if c in joined.collect_schema()
    ]
    return joined.with_columns(converted).drop("rate", "rate_day")


# the columns prepared_lines selects by name: a carried column is one of these or added to them
SELECTED = (
    *("invoice_id", "account_id", "issued_at", "period_start", "currency", "due_at"),
    *("paid_at", "period_end", "recurring"),
)


def prepared_lines(
    billing: pl.LazyFrame,
    present: tuple[str, ...],
    window: Window,
    params: RevenueParams,
    carry: tuple[str, ...] = (),
) -> tuple[pl.LazyFrame, str | None]:
    """The lines issued before `until` (`present`: their columns), with `amount_micro`, a
    service period, `recurring`, the breakdown `group` (when there is one) and, for recurring
    lines with a valid period, `monthly_micro`, `first_month` and `end_month` (the months
    whose end the period covers are first_month .. end_month - 1), plus the reporting
    currency; and the lines' `carry` columns as they are (explain's segments)."""
    reporting = reporting_currency(data_currencies(billing, present), params)
    refuse_huge_lines(billing)
    tz = window.timezone
    issued = pl.col("issued_at")
    start = pl.coalesce("period_start", issued) if "period_start" in present else issued
    default_end = (
        pl.col("period_start").dt.offset_by("1mo")
        if tz == "UTC"
        else pl.col("period_start")
        .dt.convert_time_zone(tz)
        .dt.offset_by("1mo")
        .dt.convert_time_zone("UTC")
    )
    end = pl.coalesce("period_end", default_end) if "period_end" in present else default_end
    recurring = pl.col("recurring").fill_null(True) if "recurring" in present else pl.lit(True)
    lines = billing.filter(issued < window.until).select(
        "invoice_id",
        "account_id",
        _micro(pl.col("amount")).alias("amount_micro"),
        "issued_at",
        start.alias("period_start"),
        *(c for c in ("currency", "due_at", "paid_at", "period_end") if c in present),
        # lines made from subscriptions know their monthly amount (subscriptions.py)
        *([_micro(pl.col(MONTHLY)).alias(MONTHLY)] if MONTHLY in present else []),
        recurring.alias("recurring"),
        *_group(present, params),
        *(c for c in carry if c not in SELECTED),
    )
    lines = lines.with_columns(end.alias("period_end"))
    if params.fx_rates is not None:
        lines = _converted(lines, window, params, reporting)
    valid = pl.col("period_end") > pl.col("period_start")
    counted = pl.col("recurring") & valid
    monthly = (
        pl.col(MONTHLY)
        if MONTHLY in present
        else pl.col("amount_micro") / interval_months(pl.col("period_start"), pl.col("period_end"))
    )
    lines = lines.with_columns(
        valid.alias("valid_period"),
        pl.when(counted)
        .then(monthly.round(0, mode="half_away_from_zero").cast(MICRO_DTYPE))
        .alias("monthly_micro"),
        pl.when(counted).then(month_index(pl.col("period_start"), tz)).alias("first_month"),
        pl.when(counted).then(month_index(pl.col("period_end"), tz)).alias("end_month"),
    )
    return lines.drop("currency", MONTHLY, strict=False), reporting


def _micro(amount: pl.Expr) -> pl.Expr:
    """An amount in integer millionths: exact for a decimal amount (scaled as a decimal), to the
    float's precision for a float."""
    return (amount.cast(pl.Decimal(38, 6)) * MICRO).round(0).cast(MICRO_DTYPE)


def refuse_huge_lines(billing: pl.LazyFrame) -> None:
    """An input error naming the first line whose amount passes LINE_LIMIT units (by its
    account and issue time: invoice ids are kept only as hashes)."""
    huge = (
        billing.filter(pl.col("amount").cast(pl.Float64).abs() > LINE_LIMIT)
        .select("account_id", "issued_at", "amount")
        .head(1)
        .collect()
    )
    if huge.height:
        account, issued, amount = huge.row(0)
        raise InputError(
            f"billing: a line of account {account!r} issued {issued:%Y-%m-%d %H:%M} is "
            f"{float(amount):,.2f} units, past the {LINE_LIMIT:,} a line can hold exactly; is "
            'the amount column in the right unit (amount_unit = "cents" for minor units)?'
        )


def _group(present: tuple[str, ...], params: RevenueParams) -> list[pl.Expr]:
    """The breakdown column as `group`: `by` from the billing lines, else the `plan`."""
    name = params.by or ("plan" if "plan" in present else None)
    if name is None or name not in present:
        return []
    return [pl.col(name).cast(pl.String).fill_null("(none)").alias("group")]


def with_account_group(
    lines: pl.LazyFrame,
    present: tuple[str, ...],
    frames: Frames,
    columns: Columns,
    params: RevenueParams,
) -> pl.LazyFrame:
    """The lines with `group` from the accounts source, when `by` names an accounts column
    (`present`: the lines' own columns)."""
    by = params.by
    if by is None or by in present:
        return lines
    if "accounts" not in frames or by not in columns.get("accounts", ()):
        raise InputError(
            f"--by {by}: not a column of the billing lines, nor of an accounts source joined "
            "on account_id"
        )
    accounts = (
        frames["accounts"]
        .select(
            pl.col("account_id").cast(pl.String),
            pl.col(by).cast(pl.String).fill_null("(none)").alias("group"),
        )
        .unique("account_id", keep="any")
    )
    joined = lines.with_columns(pl.col("account_id").cast(pl.String)).join(
        accounts, on="account_id", how="left"
    )
    return joined.with_columns(pl.col("group").fill_null("(none)"))


# Columns revenue reads with a default when they are absent (data.md), and what that assumes.
DEFAULTS = {
    "period_start": "each line's service period starts at its issued_at",
    "period_end": "each line's service period is one calendar month from its start (an annual "
    "line counts its whole amount as one month's MRR)",
    "recurring": "every line counts as recurring (one-off fees such as setup fees count in MRR)",
}


def defaulted_columns(present: tuple[str, ...]) -> list[DataWarning]:
    """A warning per absent column that revenue reads with a default, naming what it assumes."""
    return [
        DataWarning(
            "missing_column",
            f"billing have no {column} column: {assumed} (map it with --map "
            f"billing.{column}=HEADER)",
            source="billing",
        )
        for column, assumed in DEFAULTS.items()
        if column not in present
    ]
