"""Billing split over several files (issue 20, item 8): invoice lines joined at load with their
invoices and, for paid_at, the latest successful payment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import csmetrics as cm
from tests.helpers import cli

LINES = """invoice_id,amount,period_start,period_end,plan
inv_1,100.00,2026-10-01,2026-11-01,Pro
inv_1,20.00,2026-10-01,2026-11-01,Add-on
inv_2,50.00,2026-10-05,2026-11-05,Basic
inv_9,70.00,2026-10-01,2026-11-01,Pro
"""
INVOICES = """id,Customer,Date (UTC),Due Date (UTC),Currency,Status
inv_1,cus_A,2026-10-01 08:00,2026-10-15 08:00,usd,paid
inv_2,cus_B,2026-10-05 08:00,2026-10-19 08:00,usd,open
"""
PAYMENTS = """invoice,created,status,amount
inv_1,2026-10-03 09:00,failed,120.00
inv_1,2026-10-10 09:00,succeeded,60.00
inv_1,2026-10-12 09:00,succeeded,60.00
inv_2,2026-10-07 09:00,failed,50.00
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("lines", LINES), ("invoices", INVOICES), ("payments", PAYMENTS)):
        out[name] = tmp_path / f"{name}.csv"
        out[name].write_text(text)
    return out


def _check(metrics: dict[str, float | None]) -> None:
    # inv_9 is not in invoices.csv: no account, dropped. Oct 31: cus_A 100 + 20, cus_B 50
    assert metrics["revenue.mrr"] == pytest.approx(170)
    assert metrics["revenue.billed_amount"] == pytest.approx(170)
    # inv_1's latest successful payment (10-12) is before its due date (10-15); inv_2's only
    # payment failed: unpaid and due 10-19, before until. Late: 1 of 2; overdue 50
    assert metrics["revenue.late_payment_share"] == pytest.approx(1 / 2)
    assert metrics["revenue.overdue_amount"] == pytest.approx(50)
    # DSO: receivables 50 / billed 170 x 31 days
    assert metrics["revenue.dso_days"] == pytest.approx(50 / 170 * 31)


def test_the_api_joins_lines_invoices_and_payments(files: dict[str, Path]) -> None:
    inputs = cm.load(billing={k: str(v) for k, v in files.items()})
    report = cm.revenue(inputs, period="2026-10")
    _check(report.metrics)
    (unmatched,) = [w for w in report.warnings if w.code == "lines_without_invoice"]
    assert "1 lines of lines.csv" in unmatched.message and "'inv_9'" in unmatched.message
    headers = inputs.sources["billing"].headers
    assert headers["account_id"] == "invoices.csv: Customer"
    assert headers["paid_at"] == "payments.csv: latest successful created"


def test_the_command_line_and_the_config_name_the_files(
    capsys, files: dict[str, Path], tmp_path: Path
) -> None:
    code, out, _ = cli(
        capsys,
        "revenue",
        "--billing", str(files["lines"]),
        "--billing", f"invoices={files['invoices']}",
        "--billing", f"payments={files['payments']}",
        "--period", "2026-10",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    _check(json.loads(out)["metrics"])
    config = tmp_path / "csmetrics.toml"
    config.write_text(
        '[sources.billing]\npath = "lines.csv"\ninvoices = "invoices.csv"\n'
        'payments = "payments.csv"\n'
    )
    code, out, _ = cli(capsys, "revenue", "--config", str(config), "--period", "2026-10",
                       "--format", "json")  # fmt: skip
    assert code == 0
    _check(json.loads(out)["metrics"])


def test_an_invoices_own_paid_at_wins_over_its_payments(files: dict[str, Path]) -> None:
    # inv_2 says it was paid on 10-08: no longer late nor overdue, whatever its payments say
    files["invoices"].write_text(
        INVOICES.replace("Status\n", "Status,Paid At (UTC)\n")
        .replace("paid\n", "paid,\n")
        .replace("open\n", "paid,2026-10-08 08:00\n")
    )
    report = cm.revenue(cm.load(billing={k: str(v) for k, v in files.items()}), period="2026-10")
    assert report.metrics["revenue.late_payment_share"] == pytest.approx(0)
    assert report.metrics["revenue.overdue_amount"] == pytest.approx(0)


def test_a_file_without_the_invoice_id_is_one_line_naming_it(
    capsys, files: dict[str, Path]
) -> None:
    files["payments"].write_text("reference,created\nx,2026-10-01\n")
    code, out, err = cli(
        capsys,
        "revenue",
        "--billing", str(files["lines"]),
        "--billing", f"payments={files['payments']}",
    )  # fmt: skip
    assert code == 2 and out == ""
    assert "payments.csv" in err and "the invoice each payment pays" in err
    assert err.strip().count("\n") == 0


def test_a_bad_payment_date_names_the_file_and_value(files: dict[str, Path]) -> None:
    files["payments"].write_text(PAYMENTS.replace("2026-10-12 09:00", "soon"))
    with pytest.raises(cm.InputError, match=r"payments\.csv: column 'created': cannot read 'soon'"):
        cm.load(billing={k: str(v) for k, v in files.items()})


def test_parts_are_billing_keys_only(tmp_path: Path) -> None:
    config = tmp_path / "csmetrics.toml"
    config.write_text('[sources.tickets]\npath = "t.csv"\ninvoices = "i.csv"\n')
    with pytest.raises(cm.ConfigError, match=r"invoices is a key of \[sources.billing\] only"):
        cm.load(config=str(config))
