"""Revenue's explain by hand: MRR by plan (additive) and NRR (a ratio over last year's
accounts)."""

from __future__ import annotations

import polars as pl
import pytest

import csmetrics as cm


def line(account: str, amount: str, start: str, end: str, plan: str) -> dict[str, str]:
    return {
        "invoice_id": f"{account}-{start}",
        "account_id": account,
        "amount": amount,
        "issued_at": start,
        "period_start": start,
        "period_end": end,
        "plan": plan,
    }


# monthly lines: a pays 100 on plan basic, then 150 on pro from October; b pays 200 on pro
# until September; c pays 1200 a year on basic from 2025-10-15 (100 a month)
LINES = pl.DataFrame(
    [line("a", "100", f"2025-{m:02d}-01", f"2025-{m + 1:02d}-01", "basic") for m in range(9, 12)]
    + [line("a", "100", "2025-12-01", "2026-01-01", "basic")]
    + [line("a", "100", f"2026-{m:02d}-01", f"2026-{m + 1:02d}-01", "basic") for m in range(1, 10)]
    + [line("a", "150", "2026-10-01", "2026-11-01", "pro")]
    + [line("b", "200", f"2025-{m:02d}-01", f"2025-{m + 1:02d}-01", "pro") for m in range(9, 12)]
    + [line("b", "200", "2025-12-01", "2026-01-01", "pro")]
    + [line("b", "200", f"2026-{m:02d}-01", f"2026-{m + 1:02d}-01", "pro") for m in range(1, 10)]
    + [line("c", "1200", "2025-10-15", "2026-10-15", "basic")]
    + [line("c", "1200", "2026-10-15", "2027-10-15", "basic")]
)


@pytest.fixture(scope="module")
def inputs() -> cm.Inputs:
    return cm.load(billing=LINES)


def test_mrr_by_plan(inputs: cm.Inputs) -> None:
    why = cm.explain(inputs, "revenue.mrr", "plan", period="2026-10")
    # September's end: a 100 basic + b 200 pro + c 100 basic = 400; October's: a 150 pro + c 100
    assert (why.previous_value, why.value) == pytest.approx((400.0, 250.0))
    rows = {r["plan"]: r for r in why.segments.to_dicts()}
    # basic 200 -> 100 (a moved to pro): -100; pro 200 -> 150 (b left, a came): -50
    assert rows["basic"]["contribution"] == pytest.approx(-100.0)
    assert rows["pro"]["contribution"] == pytest.approx(-50.0)
    assert why.segments["plan"].to_list() == ["basic", "pro"]  # by the absolute contribution


def test_nrr_by_plan_a_year_earlier(inputs: cm.Inputs) -> None:
    why = cm.explain(inputs, "revenue.nrr", "plan", period="2026-10")
    # accounts paying at 2025-10's end: a 100 (basic), b 200 (pro), c 100 (basic): 400;
    # at 2026-10's end they pay 150 + 0 + 100 = 250: NRR 0.625
    assert why.value == pytest.approx(250 / 400)
    rows = {r["plan"]: r for r in why.segments.to_dicts()}
    # basic: a and c, 200 a year ago, 250 now: r 1.25, w 0.5; pro: b, 200 -> 0: r 0, w 0.5
    assert (rows["basic"]["value"], rows["basic"]["weight"]) == pytest.approx((1.25, 0.5))
    assert (rows["pro"]["value"], rows["pro"]["weight"]) == pytest.approx((0.0, 0.5))
