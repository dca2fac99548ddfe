"""`csmetrics validate`: each source read against its contract, profiled from one load."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from csmetrics.ingest.sources.rules import rules_for
from csmetrics.ingest.sources.schema import DEDUP_COLUMN, SCHEMAS

if TYPE_CHECKING:
    from csmetrics.ingest.inputs import Inputs


def profile_inputs(inputs: Inputs) -> list[dict[str, Any]]:
    """Per loaded source, what `validate` shows: rows, range, duplicates, rules, columns."""
    profiles = []
    for source in inputs.sources.values():
        quality = source.quality
        schema = SCHEMAS[source.kind]
        key = DEDUP_COLUMN.get(source.kind)
        profiles.append(
            {
                "source": source.kind,
                "preset": source.preset,
                "paths": list(source.paths) or [source.label],
                "rows": source.rows,
                "rows_used": source.frame.height if source.spark is None else source.spark.count(),
                "first_timestamp": source.first,
                "last_timestamp": source.last,
                "duplicates": int(quality.get("duplicates") or 0),
                "duplicates_by": quality.get("duplicates_by"),
                # rows whose dedup id is missing: never taken for repeats of one another
                "without_dedup_key": int(quality["without_key"])
                if "without_key" in quality
                else None,
                "dedup_key": key,
                "rules": {
                    rule.code: int(quality.get(f"rule__{rule.code}") or 0)
                    for rule in rules_for(source.kind, source.columns)
                },
                "columns": [
                    {
                        "column": name,
                        "header": source.headers.get(name, name),
                        "fallbacks": list(source.fallbacks.get(name, ())),
                        "type": schema[name].kind,
                        "required": schema[name].required,
                        "nulls": int(quality.get(f"{name}__missing") or 0),
                    }
                    for name in source.columns
                ],
                # the dedup key is read (to find repeats) even when no metric keeps it
                "absent_columns": [
                    name
                    for name in schema
                    if name not in source.columns
                    and name not in source.headers  # read, then reshaped (sources/wide.py)
                    and not (name == key and quality.get("duplicates_by"))
                ],
                "warnings": [w.message for w in source.warnings],
            }
        )
        if source.kind == "billing":
            profiles[-1]["amount_by_currency"] = amount_by_currency(source.frame)
    return profiles


def amount_by_currency(frame: pl.DataFrame) -> dict[str, str]:
    """Total amount per currency, exact (so a cents/units mix-up shows at a glance)."""
    currency = (
        pl.col("currency").cast(pl.String).str.to_uppercase()
        if "currency" in frame.columns
        else pl.lit("(no currency column)")
    )
    totals = (
        frame.group_by(currency.fill_null("(none)").alias("currency"))
        .agg(pl.col("amount").sum())
        .sort("currency")
    )
    amounts = (format(value.normalize(), "f") for value in totals["amount"].to_list())
    return dict(zip(totals["currency"].to_list(), amounts, strict=True))
