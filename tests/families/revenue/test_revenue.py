"""Revenue on small hand-computed cases; the arithmetic is next to each assert."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

import csmetrics as cm

COLUMNS = [
    "invoice_id",
    "account_id",
    "amount",
    "issued_at",
    "period_start",
    "period_end",
    "status",
    "recurring",
]


def lines(*rows: tuple) -> pl.DataFrame:
    """Rows of (invoice, account, amount, start, end[, status, recurring]); issued at start."""
    full = [
        (
            r[0],
            r[1],
            str(r[2]),
            r[3],
            r[3],
            r[4],
            *(r[5:] or ("paid",)),
            *(() if len(r) > 6 else (True,)),
        )
        for r in rows
    ]
    return pl.DataFrame(full, schema=COLUMNS, orient="row")


def revenue(billing: pl.DataFrame, **options) -> cm.Report:
    return cm.revenue(cm.load(billing=billing, accounts=options.pop("accounts", None)), **options)


def movements(report: cm.Report) -> dict[str, dict[str, object]]:
    """mrr_movements rows by month 'YYYY-MM'."""
    table = report.tables["mrr_movements"]
    return {row["month"].strftime("%Y-%m"): row for row in table.iter_rows(named=True)}


def test_annual_plan_never_churns_mid_year() -> None:
    # 1200 for [2026-01-15, 2027-01-15): 365 days / 30.436875 = 11.99 -> 12 months, MRR 100
    # at every month end from January to December; it churns at January 2027's end.
    report = revenue(lines(("i1", "a", 1200, "2026-01-15", "2027-01-15")), period="2026")
    months = movements(report)
    assert len(months) == 12
    assert months["2026-01"]["new"] == Decimal(100)
    for month, row in months.items():
        assert row["ending"] == Decimal(100), month
        if month != "2026-01":
            assert row["churn"] == row["new"] == row["contraction"] == 0, month
    assert report.metrics["revenue.mrr"] == 100
    assert report.metrics["revenue.arr"] == 1200
    assert report.metrics["revenue.logo_churn_rate"] == 0  # 0 churned of 1 paying, 11 months
    next_year = movements(
        revenue(lines(("i1", "a", 1200, "2026-01-15", "2027-01-15")), period="2027-01")
    )
    assert next_year["2027-01"]["churn"] == Decimal(100)
    assert next_year["2027-01"]["churn_accounts"] == 1


def test_plan_billed_on_the_31st_keeps_a_steady_mrr_through_february() -> None:
    # [Jan 31, Feb 28) is 28 days -> 0.92 months -> 1; [Feb 28, Mar 31) 31 days -> 1.
    # Month ends: Jan 31 lies in the first, Feb 28 in the second, Mar 31 in the third.
    billing = lines(
        ("i1", "a", 50, "2026-01-31", "2026-02-28"),
        ("i2", "a", 50, "2026-02-28", "2026-03-31"),
        ("i3", "a", 50, "2026-03-31", "2026-04-30"),
    )
    months = movements(revenue(billing, period="2026-Q1"))
    assert [row["ending"] for row in months.values()] == [Decimal(50)] * 3
    assert months["2026-02"]["contraction"] == months["2026-02"]["churn"] == 0


def test_cancellation_churns_in_the_month_its_paid_period_ends() -> None:
    # Paid until Mar 10: MRR 50 at the ends of January and February, 0 at March's end.
    billing = lines(
        ("i1", "a", 50, "2026-01-10", "2026-02-10"),
        ("i2", "a", 50, "2026-02-10", "2026-03-10"),
    )
    months = movements(revenue(billing, period="2026-Q1"))
    assert months["2026-02"]["ending"] == Decimal(50)
    assert months["2026-03"]["churn"] == Decimal(50)
    assert months["2026-03"]["ending"] == 0
    march = revenue(billing, period="2026-03")
    assert march.metrics["revenue.logo_churn_rate"] == 1  # 1 churned / 1 paying at Feb's end
    assert march.metrics["revenue.gross_mrr_churn_rate"] == 1  # (0 + 50) / 50


def test_reactivation_after_a_gap() -> None:
    # Paying in January, nothing at February's end, paying again in March.
    billing = lines(
        ("i1", "a", 50, "2026-01-01", "2026-02-01"),
        ("i2", "a", 70, "2026-03-01", "2026-04-01"),
    )
    months = movements(revenue(billing, period="2026-Q1"))
    assert (months["2026-01"]["new"], months["2026-01"]["new_accounts"]) == (Decimal(50), 1)
    assert months["2026-02"]["churn"] == Decimal(50)
    assert months["2026-03"]["reactivation"] == Decimal(70)
    assert months["2026-03"]["reactivation_accounts"] == 1
    assert months["2026-03"]["new"] == 0


def test_upgrade_with_proration_lines() -> None:
    # 30/month from Oct 1; on Nov 16 an upgrade to 60: "unused time" -15 and "remaining time"
    # +30 for [Nov 16, Dec 1), 15 days = 15 / 30.436875 months (not within 10% of 1: kept).
    # Their monthly rates: -15 / (15 / 30.436875) = -30.436875, +30 / ... = +60.87375.
    # November's end: 30 - 30.436875 + 60.87375 = 60.436875; December's end: 60.
    billing = lines(
        ("i1", "a", 30, "2026-10-01", "2026-11-01"),
        ("i2", "a", 30, "2026-11-01", "2026-12-01"),
        ("i3", "a", -15, "2026-11-16", "2026-12-01"),
        ("i3", "a", 30, "2026-11-16", "2026-12-01"),
        ("i4", "a", 60, "2026-12-01", "2027-01-01"),
    )
    months = movements(revenue(billing, period="2026-Q4"))
    assert months["2026-11"]["ending"] == Decimal("60.436875")
    assert months["2026-11"]["expansion"] == Decimal("30.436875")
    assert months["2026-12"]["contraction"] == Decimal("0.436875")
    assert months["2026-12"]["ending"] == Decimal(60)


def test_discount_line_is_netted() -> None:
    # 100 and a recurring -20 discount over the same month: MRR 80
    billing = lines(
        ("i1", "a", 100, "2026-11-01", "2026-12-01"),
        ("i1", "a", -20, "2026-11-01", "2026-12-01"),
    )
    report = revenue(billing, period="2026-11")
    assert report.metrics["revenue.mrr"] == 80
    assert report.metrics["revenue.billed_amount"] == 80  # 100 - 20


def test_void_line_and_one_off_fee() -> None:
    # The void line is ignored everywhere; the setup fee (recurring false) is billed, not MRR.
    billing = lines(
        ("i1", "a", 100, "2026-11-01", "2026-12-01"),
        ("i1", "a", 250, "2026-11-01", "2026-12-01", "paid", False),
        ("i2", "a", 500, "2026-11-01", "2026-12-01", "void", True),
    )
    report = revenue(billing, period="2026-11")
    assert report.metrics["revenue.mrr"] == 100
    assert report.metrics["revenue.billed_amount"] == 350  # 100 + 250
    assert any(w.code == "ignored_invoice_lines" for w in report.warnings)


def test_missing_period_is_one_calendar_month_from_issue() -> None:
    billing = pl.DataFrame(
        {
            "invoice_id": ["i1", "i2"],
            "account_id": ["a", "a"],
            "amount": ["40", "40"],
            "issued_at": ["2026-01-31", "2026-02-28"],
        }
    )
    # [Jan 31, Feb 28) covers January's end; [Feb 28, Mar 28) February's, not March's
    months = movements(revenue(billing, period="2026-Q1"))
    assert [row["ending"] for row in months.values()] == [Decimal(40), Decimal(40), 0]


def test_month_ends_are_taken_in_the_report_time_zone() -> None:
    # Starts 2026-01-31 23:30 UTC = Feb 1 00:30 in Berlin: in UTC it covers January's end,
    # in Berlin it does not.
    billing = lines(("i1", "a", 50, "2026-01-31T23:30:00Z", "2026-03-02T23:30:00Z"))
    utc = movements(revenue(billing, period="2026-Q1"))
    berlin = movements(revenue(billing, period="2026-Q1", timezone="Europe/Berlin"))
    assert utc["2026-01"]["ending"] == Decimal(50)
    assert berlin["2026-01"]["ending"] == 0
    assert berlin["2026-02"]["new"] == Decimal(50)


def test_nrr_grr_quick_ratio_and_ltv() -> None:
    # A year before October 2026's end: a, b, c pay 100 each. In October: a 150, b 50, c 0, d
    # 200 (new). NRR = (150 + 50 + 0) / 300; GRR = (100 + 50 + 0) / 300.
    def monthly(account: str, amount: int, first: date, last: date) -> list[tuple]:
        out, month = [], first
        while month <= last:
            nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            out.append((f"{account}{month}", account, amount, str(month), str(nxt)))
            month = nxt
        return out

    rows = [
        *monthly("a", 100, date(2025, 10, 1), date(2026, 9, 1)),
        *monthly("a", 150, date(2026, 10, 1), date(2026, 10, 1)),
        *monthly("b", 100, date(2025, 10, 1), date(2026, 9, 1)),
        *monthly("b", 50, date(2026, 10, 1), date(2026, 10, 1)),
        *monthly("c", 100, date(2025, 10, 1), date(2026, 9, 1)),
        *monthly("d", 200, date(2026, 10, 1), date(2026, 10, 1)),
    ]
    report = revenue(lines(*rows), period="2026-10", gross_margin=0.8)
    m = report.metrics
    assert m["revenue.nrr"] == pytest.approx(200 / 300)
    assert m["revenue.grr"] == pytest.approx(150 / 300)
    # October: new 200, expansion 50 / contraction 50, churn 100 -> (200 + 50) / (50 + 100)
    assert m["revenue.quick_ratio"] == pytest.approx(250 / 150)
    assert m["revenue.mrr"] == 400  # 150 + 50 + 200
    assert m["revenue.paying_accounts_count"] == 3
    assert m["revenue.arpa"] == pytest.approx(400 / 3)
    # logo churn: October 1 of 3; November 2025 .. September 2026: 0 of 3 -> mean (1/3) / 12
    assert m["revenue.logo_churn_rate"] == pytest.approx(1 / 3)
    assert m["revenue.ltv"] == pytest.approx((400 / 3) * 0.8 / ((1 / 3) / 12))


def test_late_payments_overdue_dso_and_aging() -> None:
    # Window November 2026 (30 days). Invoices (lines summed per invoice):
    #   i1 300 (two lines) due Nov 10, paid Nov 8           -> due in window, on time
    #   i2 100 due Nov 12, paid Nov 15 (3 days late)      -> late
    #   i3 200 due Nov 20, unpaid                          -> late, overdue 11 days at Dec 1
    #   i4 50  due Nov 25, paid Dec 3 (after the window)   -> unpaid at Dec 1: late, overdue
    #   i5 80  due Dec 5, unpaid                           -> not due in the window, current
    #   i6 40  due Aug 1, unpaid (issued Jul 15)           -> 122 days past due: 90+
    moment = "T00:00:00Z"
    rows = [
        ("i1", 200, "2026-11-01", "2026-11-10", "2026-11-08"),
        ("i1", 100, "2026-11-01", "2026-11-10", "2026-11-08"),
        ("i2", 100, "2026-11-02", "2026-11-12", "2026-11-15"),
        ("i3", 200, "2026-11-05", "2026-11-20", None),
        ("i4", 50, "2026-11-10", "2026-11-25", "2026-12-03"),
        ("i5", 80, "2026-11-20", "2026-12-05", None),
        ("i6", 40, "2026-07-15", "2026-08-01", None),
    ]
    billing = pl.DataFrame(
        [
            (i, "a", str(amount), issued + moment, due + moment, paid and paid + moment, False)
            for i, amount, issued, due, paid in rows
        ],
        schema=[
            "invoice_id",
            "account_id",
            "amount",
            "issued_at",
            "due_at",
            "paid_at",
            "recurring",
        ],
        orient="row",
    )
    m = revenue(billing, period="2026-11").metrics
    assert m["revenue.late_payment_share"] == pytest.approx(3 / 4)  # i2, i3, i4 of i1..i4
    assert m["revenue.days_late_mean"] == pytest.approx(3)  # only i2 was paid late before Dec 1
    assert m["revenue.overdue_amount"] == 290  # i3 200 + i4 50 + i6 40
    # receivables: i3 200 + i4 50 + i5 80 + i6 40 = 370; billed in November: 300 + 100 +
    # 200 + 50 + 80 = 730; DSO = 370 / 730 * 30 days
    assert m["revenue.billed_amount"] == 730
    assert m["revenue.dso_days"] == pytest.approx(370 / 730 * 30)
    aging = revenue(billing, period="2026-11").tables["ar_aging"]
    assert aging.to_dicts() == [
        {"bucket": "current", "invoices": 1, "amount": Decimal(80)},
        {"bucket": "1-30", "invoices": 2, "amount": Decimal(250)},  # i3 11 days, i4 6 days
        {"bucket": "31-60", "invoices": 0, "amount": Decimal(0)},
        {"bucket": "61-90", "invoices": 0, "amount": Decimal(0)},
        {"bucket": "90+", "invoices": 1, "amount": Decimal(40)},
    ]


def test_nothing_issued_at_or_after_until_exists() -> None:
    # The December invoice, backdated to cover November, is issued after the window: as of
    # Dec 1 it does not exist, so November's MRR is 0.
    billing = pl.DataFrame(
        {
            "invoice_id": ["i1"],
            "account_id": ["a"],
            "amount": ["100"],
            "issued_at": ["2026-12-02"],
            "period_start": ["2026-11-01"],
            "period_end": ["2026-12-01"],
        }
    )
    assert revenue(billing, period="2026-11").metrics["revenue.mrr"] == 0


def test_several_currencies_need_rates(tmp_path) -> None:
    billing = lines(
        ("i1", "a", 100, "2026-11-01", "2026-12-01"),
        ("i2", "b", 100, "2026-11-01", "2026-12-01"),
    ).with_columns(currency=pl.Series(["EUR", "usd"]))
    with pytest.raises(cm.InputError, match=r"2 currencies \(EUR, USD\).*--fx-rates"):
        revenue(billing, period="2026-11")
    rates = tmp_path / "rates.csv"
    # USD lines convert at the latest rate on or before their period_start (Nov 1): 0.9
    rates.write_text("date,currency,rate\n2026-10-30,USD,0.9\n2026-11-02,USD,0.5\n")
    report = revenue(billing, period="2026-11", fx_rates=rates, currency="EUR")
    assert report.metrics["revenue.mrr"] == pytest.approx(190)  # 100 + 100 * 0.9
    assert report.currency == "EUR"
    late = tmp_path / "late.csv"
    late.write_text("date,currency,rate\n2026-11-05,USD,0.9\n")
    with pytest.raises(cm.InputError, match="no USD rate on or before 2026-11-01"):
        revenue(billing, period="2026-11", fx_rates=late, currency="EUR")


def test_breakdown_by_plan_reconciles() -> None:
    # a moves from starter (50) to pro (120) in November: churn in starter, new in pro.
    billing = lines(
        ("i1", "a", 50, "2026-10-01", "2026-11-01"),
        ("i2", "a", 120, "2026-11-01", "2026-12-01"),
        ("i3", "b", 50, "2026-10-01", "2026-12-01"),
    ).with_columns(plan=pl.Series(["starter", "pro", "starter"]))
    report = revenue(billing, period="2026-11")
    by_plan = {r["plan"]: r for r in report.tables["mrr_by_plan"].iter_rows(named=True)}
    # b: 50 over 61 days (2.00 months -> 2): 25 per month
    assert by_plan["starter"]["starting"] == Decimal(75)  # a 50 + b 25
    assert by_plan["starter"]["churn"] == Decimal(50)
    assert by_plan["pro"]["new"] == Decimal(120)
    total = movements(report)["2026-11"]
    assert total["expansion"] == Decimal(70)  # 50 -> 120 for the account as a whole
    assert sum(r["ending"] for r in by_plan.values()) == total["ending"]


def test_preflight_warnings() -> None:
    billing = pl.DataFrame(
        {
            "invoice_id": ["i1", "i2", "i3", "i4"],
            "account_id": ["a", "a", "b", "b"],
            "amount": ["100", "-300", "50", "50"],
            "issued_at": ["2026-06-01", "2026-06-01", "2026-09-01", "2026-09-01"],
            "period_start": ["2026-06-01", "2026-06-01", "2026-09-01", "2026-09-01"],
            "period_end": ["2026-07-01", "2026-07-01", "2026-09-01", "2026-10-01"],
            "paid_at": ["2026-05-30", None, None, None],
        }
    )
    report = revenue(billing, period="2026-09")
    codes = {w.code: w.message for w in report.warnings}
    assert "1 invoice lines have period_end <= period_start" in codes["invalid_period"]
    assert "1 accounts have a negative net MRR" in codes["negative_mrr"]  # a: 100 - 300
    assert "2 months" in codes["months_without_billing"]  # July and August 2026
    assert "1 invoices were paid before they were issued" in codes["paid_before_issued"]


def test_window_without_a_month_end_explains_the_nulls() -> None:
    billing = lines(("i1", "a", 50, "2026-11-01", "2026-12-01"))
    report = revenue(billing, since="2026-11-10", until="2026-11-17")
    assert report.metrics["revenue.mrr"] == 50
    assert report.metrics["revenue.nrr"] is None
    assert "mrr_movements" not in report.tables
    reasons = {w.metric: w.message for w in report.warnings}
    assert "no month ends inside the window" in reasons["revenue.logo_churn_rate"]


def test_huge_amounts_are_summed_exactly_and_a_line_past_the_limit_is_named() -> None:
    # IDR-sized: three monthly lines of 400 trillion units; in millionths each is 4 x 10^20,
    # past 64 bits, and their sum 1.2 x 10^21 too. MRR at Oct 31 = 1,200,000,000,000,000.
    lines = pl.DataFrame(
        {
            "invoice_id": ["i1", "i2", "i3"],
            "account_id": ["a", "b", "c"],
            "amount": ["400000000000000.00"] * 3,
            "issued_at": ["2026-10-01"] * 3,
            "currency": ["IDR"] * 3,
        }
    )
    report = cm.revenue(cm.load(billing=lines), period="2026-10")
    assert report.metrics["revenue.mrr"] == 1_200_000_000_000_000
    assert report.metrics["revenue.billed_amount"] == 1_200_000_000_000_000
    moves = report.tables["mrr_movements"].row(0, named=True)
    assert moves["ending"] == Decimal("1200000000000000")
    huge = lines.with_columns(pl.Series("amount", ["1", "2", "20000000000000000"]))
    with pytest.raises(
        cm.InputError,
        match=r"a line of account 'c' issued 2026-10-01 00:00 is "
        r"20,000,000,000,000,000\.00 units, past the 1,000,000,000,000,000",
    ):
        cm.revenue(cm.load(billing=huge), period="2026-10")
