"""Billing split over several files (issue 20, item 8): ChartMogul's import layout, Chargebee's,
Recurly's and Stripe's CSV exports keep the invoice lines in one file and the invoices
(customer, dates, currency, status) and their payments in others. The lines (`path`) are joined
at load with their invoices (`invoices`) and, for `paid_at`, the latest successful payment
(`payments`), into one frame that the billing reader then reads like any export: each joined
column keeps the name of the file and header it came from, so a bad value is still named.

Rows keep the lines file's order, so "row N" of an error is line N of that file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.text import quoted
from csmetrics.ingest.sources.mapping import find_header
from csmetrics.ingest.sources.spec import SourceSpec
from csmetrics.ingest.sources.values import convert, detect_layout

if TYPE_CHECKING:
    from collections.abc import Callable

ROLES = ("invoices", "payments")  # the files beside the lines (`path`)
# the invoice id in each file: the lines' and payments' reference, the invoices' own id
KEY_HEADERS = {
    "lines": ("invoice_id", "Invoice ID", "invoice", "Invoice", "Invoice Number",
              "invoice_external_id"),
    "invoices": ("invoice_id", "id", "Id", "Invoice ID", "Invoice Number", "external_id"),
    "payments": ("invoice_id", "invoice", "Invoice ID", "Invoice", "Invoice Number",
                 "invoice_external_id"),
}  # fmt: skip
# the canonical columns each file supplies, under the headers the vendors use
ROLE_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "invoices": {
        "account_id": ("account_id", "customer_id", "Customer ID", "customer", "Customer",
                       "customer_external_id", "account_code"),
        "issued_at": ("issued_at", "date", "Date", "Date (UTC)", "Invoice Date", "created",
                      "created_at"),
        "currency": ("currency", "Currency", "currency_code"),
        "due_at": ("due_at", "due_date", "Due Date", "Due Date (UTC)"),
        "paid_at": ("paid_at", "Paid At", "Paid At (UTC)", "paid_on"),
        "status": ("status", "Status", "state"),
    },
    "payments": {
        "paid_at": ("paid_at", "date", "Date", "Payment Date", "created", "Created (UTC)",
                    "processed_at", "created_at"),
        "status": ("status", "Status", "result", "Result", "state"),
    },
}  # fmt: skip
# payment statuses that mean the money arrived (a payment without a status counts)
SUCCESSFUL = ("succeeded", "success", "successful", "paid", "completed", "complete", "settled",
              "captured")  # fmt: skip


def joined_billing(
    spec: SourceSpec, scan: Callable[[SourceSpec], pl.LazyFrame]
) -> tuple[SourceSpec, list[DataWarning]]:
    """The billing spec reading the lines joined with their invoices and payments (an
    in-memory frame named after the files), and a warning counting lines whose invoice is not
    in the invoices file. `scan(spec)` reads one file's raw rows."""
    lines = scan(replace(spec, parts={}))
    lines_key = _header(lines, KEY_HEADERS["lines"], spec.path, "the invoice id of each line")
    joined = lines.with_columns(pl.col(lines_key).cast(pl.String).alias("__invoice"))
    mapped = dict(spec.columns)
    mapped.setdefault("invoice_id", lines_key)
    notes: list[DataWarning] = []
    if "invoices" in spec.parts:
        path = spec.parts["invoices"]
        invoices = scan(replace(spec, path=path, parts={}, preset=None, columns={}))
        key = _header(invoices, KEY_HEADERS["invoices"], path, "each invoice's id")
        columns = _role_columns(invoices, "invoices", path)
        renamed = {header: f"{_name(path)}: {header}" for header in columns.values()}
        table = invoices.select(
            pl.col(key).cast(pl.String).alias("__invoice"),
            *(pl.col(h).alias(label) for h, label in renamed.items()),
        ).unique("__invoice", keep="first", maintain_order=True)
        joined = _without(joined, set(columns)).join(
            table, on="__invoice", how="left", maintain_order="left"
        )
        mapped.update({c: renamed[h] for c, h in columns.items()})
        notes += _unmatched(joined, table, path, spec.path)
    if "payments" in spec.parts:
        joined, label = _with_payments(joined, spec, scan, mapped)
        mapped["paid_at"] = label
    origin = " + ".join(_name(p) for p in (spec.path, *spec.parts.values()))
    frame = joined.drop("__invoice")
    return replace(spec, data=frame, columns=mapped, parts={}, origin=f"billing ({origin})"), notes


def _with_payments(
    joined: pl.LazyFrame,
    spec: SourceSpec,
    scan: Callable[[SourceSpec], pl.LazyFrame],
    mapped: Mapping[str, str],
) -> tuple[pl.LazyFrame, str]:
    """`paid_at`: the invoice's own, else its latest successful payment."""
    path = spec.parts["payments"]
    payments = scan(replace(spec, path=path, parts={}, preset=None, columns={}))
    key = _header(payments, KEY_HEADERS["payments"], path, "the invoice each payment pays")
    columns = _role_columns(payments, "payments", path)
    if "paid_at" not in columns:
        raise InputError(
            f"billing payments {path}: no payment date column (one of "
            f"{', '.join(ROLE_HEADERS['payments']['paid_at'])})"
        )
    status = (
        pl.col(columns["status"]).cast(pl.String).str.strip_chars().str.to_lowercase()
        if "status" in columns
        else pl.lit(None, pl.String)
    )
    paid = payments.select(
        pl.col(key).cast(pl.String).alias("__invoice"),
        _time(payments, columns["paid_at"], spec, path).alias("__paid"),
        status.alias("__status"),
    ).filter(pl.col("__status").is_in(SUCCESSFUL) | pl.col("__status").is_null())
    latest = paid.group_by("__invoice").agg(pl.col("__paid").max())
    label = f"{_name(path)}: latest successful {columns['paid_at']}"
    own = mapped.get("paid_at")
    value = (
        pl.col("__paid")
        if own is None
        else pl.coalesce(_time(joined, own, spec, spec.parts.get("invoices", spec.path)), "__paid")
    )
    out = joined.join(latest, on="__invoice", how="left", maintain_order="left")
    return out.with_columns(value.alias(label)).drop("__paid"), label


def _time(frame: pl.LazyFrame, header: str, spec: SourceSpec, path: str) -> pl.Expr:
    """A column of times parsed as the billing reader would (ISO 8601, epoch numbers, a layout
    detected from its values); a value that does not read is an input error naming it."""
    schema = frame.collect_schema()
    dtype = schema[header]
    layout = None
    if dtype == pl.String:
        sample = frame.select(pl.col(header).drop_nulls().head(2000)).collect().to_series()
        layout = detect_layout(sample, spec.source_timezone)
    parsed = convert(pl.col(header), "datetime", dtype, None, spec.source_timezone, layout)
    bad = (
        frame.select(pl.col(header).filter(pl.col(header).is_not_null() & parsed.is_null()))
        .head(1)
        .collect()
        .to_series()
    )
    if len(bad):
        raise InputError(
            f"billing {path}: column {header!r}: cannot read {quoted(str(bad[0]))} as a time "
            "(expected ISO 8601 such as 2026-11-02T10:00:00Z)"
        )
    return parsed


def _role_columns(frame: pl.LazyFrame, role: str, path: str) -> dict[str, str]:
    """canonical column -> the header of `frame` holding it."""
    schema = frame.collect_schema()
    found: dict[str, str] = {}
    for column, headers in ROLE_HEADERS[role].items():
        for header in headers:
            hit = find_header(header, schema)
            if hit is not None:
                found[column] = hit[0].meta.output_name()
                break
    return found


def _header(frame: pl.LazyFrame, candidates: tuple[str, ...], path: str, what: str) -> str:
    schema = frame.collect_schema()
    for header in candidates:
        hit = find_header(header, schema)
        if hit is not None:
            return hit[0].meta.output_name()
    raise InputError(
        f"billing {path}: no column holds {what} (looked for {', '.join(candidates)}; "
        f"headers: {', '.join(schema.names()[:12])})"
    )


def _without(frame: pl.LazyFrame, canonical: set[str]) -> pl.LazyFrame:
    """The lines without their own columns of the names the invoices supply (the invoice's
    value wins: a line's `status` or `date` would shadow it)."""
    names = frame.collect_schema().names()
    return frame.drop([n for n in names if n.lower() in canonical])


def _unmatched(
    joined: pl.LazyFrame, table: pl.LazyFrame, invoices_path: str, lines_path: str
) -> list[DataWarning]:
    known = table.select("__invoice")
    missing = joined.join(known, on="__invoice", how="anti").select(
        pl.len().alias("n"), pl.col("__invoice").first().alias("example")
    )
    row = missing.collect().row(0, named=True)
    if not row["n"]:
        return []
    return [
        DataWarning(
            "lines_without_invoice",
            f"billing: {row['n']:,} lines of {_name(lines_path)} name an invoice that is not in "
            f"{_name(invoices_path)} (first: {row['example']!r}); they have no invoice "
            "columns, and lines without an account or issue date are dropped",
            source="billing",
        )
    ]


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]
