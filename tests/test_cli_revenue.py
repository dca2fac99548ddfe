"""The revenue command: options and config keys reach the family, the terminal shows the MRR
waterfall without colour codes off a terminal, money carries its currency, and currency
problems are one-line input errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import cli

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
BILLING = str(SAMPLE / "billing.csv")


def test_revenue_waterfall_and_currency(capsys) -> None:
    code, out, _ = cli(capsys, "revenue", "--billing", BILLING, "--period", "2026-Q3", "--quiet")
    assert code == 0
    assert "mrr_movements" in out and "starting" in out and "ending" in out
    assert "▓" in out  # gains drawn; the sample has new accounts every month
    assert "€" in out  # money in the report's currency, as its symbol
    assert "\x1b[" not in out


def test_revenue_json_options(capsys) -> None:
    code, out, _ = cli(
        capsys, "revenue", "--billing", BILLING, "--period", "2026-10", "--format", "json",
        "--gross-margin", "0.5", "--by", "plan",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["currency"] == "EUR"
    assert report["parameters"]["gross_margin"] == 0.5
    m = report["tables"]["mrr_movements"][0]
    gained = m["new"] + m["reactivation"] + m["expansion"]
    # JSON numbers are the exact decimals' digits; their float sum reconciles to the micro-unit
    assert m["starting"] + gained - m["contraction"] - m["churn"] == pytest.approx(
        m["ending"], abs=1e-6
    )
    assert report["tables"]["mrr_by_plan"], "the breakdown is written"
    movements = m
    assert report["metrics"]["revenue.mrr"] == movements["ending"]


def test_revenue_config_table_and_relative_fx_path(capsys, tmp_path: Path) -> None:
    lines = tmp_path / "lines.csv"
    lines.write_text(
        "invoice_id,account_id,amount,currency,issued_at\n"
        "i1,a,100,EUR,2026-10-01\ni2,b,100,USD,2026-10-01\n"
    )
    (tmp_path / "rates.csv").write_text("date,currency,rate\n2026-09-01,USD,0.5\n")
    config = tmp_path / "csmetrics.toml"
    config.write_text(
        '[sources.billing]\npath = "lines.csv"\n'
        '[revenue]\ncurrency = "EUR"\nfx_rates = "rates.csv"\ngross_margin = 0.8\n'
    )
    code, out, _ = cli(capsys, "revenue", "--config", str(config), "--period", "2026-10",
                       "--format", "json")  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["metrics"]["revenue.mrr"] == 150  # 100 EUR + 100 USD x 0.5
    assert report["currency"] == "EUR"


def test_several_currencies_without_rates_exit_2(capsys, tmp_path: Path) -> None:
    lines = tmp_path / "lines.csv"
    lines.write_text(
        "invoice_id,account_id,amount,currency,issued_at\ni1,a,100,EUR,2026-10-01\n"
        "i2,b,100,USD,2026-10-01\n"
    )
    code, out, err = cli(capsys, "revenue", "--billing", str(lines), "--period", "2026-10")
    assert code == 2 and out == ""
    assert "EUR, USD" in err and "--fx-rates" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_fx_file_and_bad_gross_margin_exit_2(capsys, tmp_path: Path) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("date,currency,rate\n2026-09-01,USD,zero\n")
    code, _, err = cli(capsys, "revenue", "--billing", BILLING, "--fx-rates", str(rates),
                       "--currency", "EUR")  # fmt: skip
    assert code == 2
    assert "line 2, column rate" in err and "'zero'" in err
    code, _, err = cli(capsys, "revenue", "--billing", BILLING, "--gross-margin", "1.5")
    assert code == 2 and "--gross-margin" in err


def test_map_sets_source_options_on_the_command_line(capsys, tmp_path: Path) -> None:
    lines = tmp_path / "lines.csv"
    lines.write_text("invoice_id,account_id,amount,issued_at\ni1,a,4990,2026-10-01\n")
    code, out, _ = cli(capsys, "revenue", "--billing", str(lines), "--period", "2026-10",
                       "--map", "billing.amount_unit=cents", "--format", "json")  # fmt: skip
    assert code == 0
    assert json.loads(out)["metrics"]["revenue.mrr"] == 49.9  # 4990 cents
