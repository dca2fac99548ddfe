"""Invariants of revenue over generated invoice lines (hypothesis): the movement identity holds
exactly in every month and breakdown, MRR equals a brute-force sum, row order changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import csmetrics as cm

START = datetime(2025, 11, 1, tzinfo=UTC)
PERIOD = "2026-Q2"  # month ends Apr 30, May 31, Jun 30; history from November 2025
LINES = st.lists(
    st.tuples(
        st.integers(0, 5),  # account
        st.integers(-5000, 20000),  # amount in cents (credits included)
        st.integers(0, 250),  # period start, days after START
        st.sampled_from([12, 28, 30, 31, 45, 90, 365]),  # period length in days
        st.sampled_from(["basic", "pro"]),
        st.booleans(),  # recurring
    ),
    min_size=1,
    max_size=30,
)


def frame(rows: list[tuple]) -> pl.DataFrame:
    starts = [START + timedelta(days=s) for _, _, s, _, _, _ in rows]
    return pl.DataFrame(
        {
            "invoice_id": [f"i{i}" for i in range(len(rows))],
            "account_id": [f"a{a}" for a, *_ in rows],
            "amount": [str(Decimal(c) / 100) for _, c, *_ in rows],
            "issued_at": starts,
            "period_start": starts,
            "period_end": [
                s + timedelta(days=d) for s, (_, _, _, d, _, _) in zip(starts, rows, strict=True)
            ],
            "plan": [p for *_, p, _ in rows],
            "recurring": [r for *_, r in rows],
        }
    )


def report(billing: pl.DataFrame) -> cm.Report:
    return cm.revenue(cm.load(billing=billing), period=PERIOD)


def reconciles(table: pl.DataFrame) -> bool:
    plus = pl.col("starting") + pl.col("new") + pl.col("reactivation") + pl.col("expansion")
    ending = plus - pl.col("contraction") - pl.col("churn")
    return bool(table.select((ending == pl.col("ending")).all()).item())


@settings(max_examples=40, deadline=None)
@given(LINES)
def test_movements_reconcile_exactly_in_every_month_and_breakdown(rows) -> None:
    result = report(frame(rows))
    movements = result.tables["mrr_movements"]
    assert movements.schema["ending"] == pl.Decimal(38, 6)  # exact, not float
    assert reconciles(movements)
    assert reconciles(result.tables["mrr_by_plan"])
    # one month's end is the next month's start
    assert movements["ending"].to_list()[:-1] == movements["starting"].to_list()[1:]
    # the plans add up to the whole at every month end
    by_plan = result.tables["mrr_by_plan"].group_by("month").agg(pl.col("ending").sum())
    joined = movements.join(by_plan, on="month", suffix="_plans")
    assert (joined["ending"] == joined["ending_plans"]).all()
    # the window's MRR is its last month end's
    assert Decimal(str(result.metrics["revenue.mrr"])) == movements["ending"][-1]


def brute_force_mrr(rows: list[tuple], instant: datetime) -> float:
    """Sum of amount / interval_months over recurring lines whose period holds `instant`."""
    per_account: dict[int, float] = {}
    for account, cents, start_day, days, _, recurring in rows:
        start = START + timedelta(days=start_day)
        if not recurring or not start <= instant < start + timedelta(days=days):
            continue
        months = days / 30.436875
        nearest = max(round(months), 1)
        interval = nearest if abs(months - nearest) <= 0.1 * nearest else months
        per_account[account] = per_account.get(account, 0.0) + cents / 100 / interval
    return sum(max(v, 0.0) for v in per_account.values())


@settings(max_examples=40, deadline=None)
@given(LINES)
def test_mrr_equals_a_brute_force_sum_and_is_never_negative(rows) -> None:
    result = report(frame(rows))
    last_instant = datetime(2026, 7, 1, tzinfo=UTC) - timedelta(microseconds=1)
    mrr = result.metrics["revenue.mrr"]
    assert mrr is not None and mrr >= 0
    # each line's monthly amount is rounded to a millionth: at most 30 lines of error
    assert abs(mrr - brute_force_mrr(rows, last_instant)) < 30e-6
    if all(cents >= 0 for _, cents, *_ in rows):
        assert not any(w.code == "negative_mrr" for w in result.warnings)


@settings(max_examples=25, deadline=None)
@given(LINES, st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(rows, random) -> None:
    shuffled = rows[:]
    random.shuffle(shuffled)
    first, second = report(frame(rows)), report(frame(shuffled).sample(fraction=1.0, seed=1))
    assert first.metrics == second.metrics
    for name, table in first.tables.items():
        assert table.equals(second.tables[name]), name
