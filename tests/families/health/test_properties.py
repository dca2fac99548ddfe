"""Invariants of account health over generated events and tickets (hypothesis): scores lie in
0..100 and bands follow the cut-offs, one more active day of an active user never lowers the
account's score, and row order changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import csmetrics as cm

START = datetime(2026, 9, 1, tzinfo=UTC)
WINDOW = {"since": "2026-10-15", "until": "2026-11-01"}
EVENTS = st.lists(
    st.tuples(
        st.integers(0, 3),  # account
        st.integers(0, 5),  # user
        st.integers(0, 60),  # day after START
        st.sampled_from(["login", "report", "export", "email_opened"]),
    ),
    min_size=1,
    max_size=60,
)
TICKETS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 60), st.booleans()), max_size=10)


def frames(rows, tickets) -> dict[str, pl.DataFrame]:
    events = pl.DataFrame(
        {
            "account_id": [f"a{a}" for a, *_ in rows],
            "user_id": [f"a{a}u{u}" for a, u, *_ in rows],
            "timestamp": [START + timedelta(days=d, hours=9) for _, _, d, _ in rows],
            "event": [e for *_, e in rows],
        }
    )
    created = [START + timedelta(days=d) for _, d, _ in tickets]
    ticket_frame = pl.DataFrame(
        {
            "ticket_id": [f"t{i}" for i in range(len(tickets))],
            "account_id": [f"a{a}" for a, *_ in tickets],
            "created_at": created,
            "solved_at": [c + timedelta(days=2) if s else None for c, (*_, s) in zip(created, tickets, strict=True)],
        },
        schema={"ticket_id": pl.String, "account_id": pl.String,
                "created_at": pl.Datetime("us", "UTC"), "solved_at": pl.Datetime("us", "UTC")},
    )  # fmt: skip
    return {"events": events, "tickets": ticket_frame}


def scores(sources: dict[str, pl.DataFrame]) -> dict[str, float | None]:
    report = cm.health(cm.load(**sources), inactive_events=["email_opened"], **WINDOW)
    return dict(report.tables["health"].select("account_id", "score").iter_rows())


@settings(max_examples=40, deadline=None)
@given(EVENTS, TICKETS)
def test_scores_within_bounds_and_bands_follow_the_cut_offs(rows, tickets) -> None:
    report = cm.health(cm.load(**frames(rows, tickets)), inactive_events=["email_opened"], **WINDOW)
    table = report.tables["health"]
    for row in table.iter_rows(named=True):
        for name, value in row.items():
            if name.endswith("score") and value is not None:
                assert 0 <= value <= 100, (name, value)
        score = row["score"]
        expected = (
            None
            if score is None
            else "green"
            if score >= 70
            else "yellow"
            if score >= 40
            else "red"
        )
        assert row["band"] == expected


@settings(max_examples=40, deadline=None)
@given(EVENTS, TICKETS, st.integers(44, 60))
def test_another_active_day_never_lowers_the_score(rows, tickets, day) -> None:
    before = frames(rows, tickets)
    active_now = [r for r in rows if 44 <= r[2] < 61 and r[3] != "email_opened"]
    if not active_now:
        return
    account, user, *_ = active_now[0]
    more = frames([*rows, (account, user, day, "login")], tickets)
    old, new = scores(before)[f"a{account}"], scores(more)[f"a{account}"]
    assert old is not None and new is not None
    assert new >= old - 1e-9


@settings(max_examples=25, deadline=None)
@given(EVENTS, TICKETS)
def test_row_order_changes_nothing(rows, tickets) -> None:
    sources = frames(rows, tickets)
    shuffled = {k: v.sample(fraction=1.0, shuffle=True, seed=3) for k, v in sources.items()}
    first = cm.health(cm.load(**sources), **WINDOW)
    second = cm.health(cm.load(**shuffled), **WINDOW)
    assert first.metrics == second.metrics
    assert first.tables["health"].equals(second.tables["health"])
