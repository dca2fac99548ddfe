"""Revenue's parameters (metrics.md), from the config's [revenue] table or a call; the FX rates
file is read here, once (it is small: one rate per currency and day at most)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from csmetrics.core.errors import ConfigError, InputError
from csmetrics.core.readers import number, text
from csmetrics.families.settings import Setting, Settings
from csmetrics.families.shared.active import INACTIVE_EVENTS

FX_COLUMNS = ("date", "currency", "rate")


@dataclass(frozen=True)
class RevenueParams:
    """gross_margin: the share of revenue kept, for LTV (0 < m <= 1); currency: the reporting
    currency (ISO 4217); fx_rates: rows (date, currency, rate to the reporting currency), from
    `fx_rates_path`; by: a billing or accounts column to break MRR and its movements down by
    (default the billing `plan`)."""

    gross_margin: float = 1.0
    currency: str | None = None
    fx_rates: pl.DataFrame | None = field(default=None, compare=False)
    fx_rates_path: str | None = None
    by: str | None = None
    inactive_events: tuple[str, ...] = ()


def parameters(params: RevenueParams) -> dict[str, Any]:
    return {
        "gross_margin": params.gross_margin,
        "currency": params.currency,
        "fx_rates": params.fx_rates_path,
        "by": params.by,
        "inactive_events": list(params.inactive_events),
    }


def needed_columns(source: str, params: RevenueParams) -> set[str]:
    if source == "billing":
        columns = {
            "invoice_id",
            "account_id",
            "amount",
            "issued_at",
            "currency",
            "period_start",
            "period_end",
            "due_at",
            "paid_at",
            "status",
            "recurring",
            "plan",
        }
        return columns | ({params.by} if params.by else set())
    if source == "subscriptions":
        return {
            "subscription_id",
            "account_id",
            "amount",
            "started_at",
            "ended_at",
            "trial_ended_at",
            "interval",
            "interval_count",
            "quantity",
            "status",
            "currency",
            "plan",
        }
    if source == "events":
        return {"timestamp", "user_id", "account_id", "event"}
    return {"account_id"} | ({params.by} if params.by else set())


def _gross_margin(value: Any, where: str) -> float:
    margin = number(value, where)
    if not 0 < margin <= 1:
        raise ConfigError(f"{where}: expected a share between 0 and 1 (e.g. 0.8), got {value!r}")
    return margin


def _currency(value: Any, where: str) -> str:
    return text(value, where).strip().upper()


SETTINGS = Settings(
    "revenue",
    (
        Setting(
            "gross_margin",
            _gross_margin,
            1.0,
            "Share of revenue kept, for LTV (default 1.0).",
            flag="--gross-margin",
            cli_type=float,
            example="0.8",
            in_starter=True,
        ),
        Setting(
            "currency",
            _currency,
            None,
            "Reporting currency (ISO 4217), e.g. EUR.",
            flag="--currency",
            metavar="CODE",
            example='"EUR"',
        ),
        Setting(
            "fx_rates",
            text,
            None,
            "CSV of date, currency, rate to the reporting currency: needed when the lines are "
            "in several currencies.",
            flag="--fx-rates",
            path=True,
            example='"fx.csv"',
        ),
        Setting(
            "by",
            text,
            None,
            "A billing or accounts column to break MRR down by (default plan).",
            flag="--by",
            metavar="COLUMN",
            example='"plan"',
        ),
        INACTIVE_EVENTS,
    ),
)


def params_from_config(table: Mapping[str, Any], base: str = ".", **given: Any) -> RevenueParams:
    """Parameters from the [revenue] table, overridden by the given values (None: not given);
    an fx_rates path in the table is relative to the config's folder (`base`)."""
    values = SETTINGS.resolve(table, {k: _path(k, v) for k, v in given.items()}, base)
    path = values["fx_rates"]
    if path and not values["currency"]:
        raise ConfigError(
            "--fx-rates needs --currency (or currency in [revenue]): the currency the rates convert to"
        )
    return RevenueParams(
        gross_margin=values["gross_margin"],
        currency=values["currency"],
        fx_rates=read_fx_rates(path) if path else None,
        fx_rates_path=path,
        by=values["by"],
        inactive_events=values["inactive_events"],
    )


def _path(key: str, value: Any) -> Any:
    return os.fspath(value) if key == "fx_rates" and isinstance(value, os.PathLike) else value


def read_fx_rates(path: str) -> pl.DataFrame:
    """The rates file (CSV: date, currency, rate): one row per date and currency, the rate
    converting one unit of that currency into the reporting currency."""
    try:
        raw = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputError(f"--fx-rates: {path}: cannot be read ({exc})") from exc
    headers = {name.strip().lower(): name for name in raw.columns}
    missing = [c for c in FX_COLUMNS if c not in headers]
    if missing:
        raise InputError(
            f"--fx-rates: {path}: missing column {', '.join(missing)} "
            f"(expected date, currency, rate; found {', '.join(raw.columns)})"
        )
    rates = raw.select(
        pl.col(headers["date"])
        .str.strip_chars()
        .str.to_date("%Y-%m-%d", strict=False)
        .alias("date"),
        pl.col(headers["currency"]).str.strip_chars().str.to_uppercase().alias("currency"),
        pl.col(headers["rate"]).str.strip_chars().cast(pl.Float64, strict=False).alias("rate"),
    )
    for column, expected in (("date", "a date such as 2026-11-02"), ("rate", "a positive number")):
        bad = rates.with_row_index("line", offset=2).filter(
            pl.col(column).is_null() | ((pl.col("rate") <= 0) if column == "rate" else False)
        )
        if bad.height:
            line = bad["line"][0]
            value = raw[headers[column]][line - 2]
            raise InputError(
                f"--fx-rates: {path}, line {line}, column {column}: expected {expected}, got {value!r}"
            )
    repeated = rates.filter(pl.struct("date", "currency").is_duplicated())
    if repeated.height:
        day, currency = repeated["date"][0], repeated["currency"][0]
        raise InputError(f"--fx-rates: {path}: {currency} has more than one rate on {day}")
    return rates.sort("currency", "date")
