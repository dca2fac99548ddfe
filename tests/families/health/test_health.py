"""Account health on a small hand-computed case; the arithmetic is next to each assert.

Window [Nov 1, Nov 21) 2026, 20 days; the window before it [Oct 12, Nov 1); the one before
that [Sep 22, Oct 12). Account A has 4 seats; B's seats are unknown.
"""

from __future__ import annotations

import polars as pl
import pytest

import csmetrics as cm

WINDOW = {"since": "2026-11-01", "until": "2026-11-21"}
EVENTS = [
    # A in the window: u1 on 3 days, u2 on 1 day; u3 only opens an e-mail (inactive)
    ("A", "u1", "2026-11-02", "login"),
    ("A", "u1", "2026-11-03", "login"),
    ("A", "u1", "2026-11-04", "report"),
    ("A", "u2", "2026-11-05", "report"),
    ("A", "u3", "2026-11-06", "email_opened"),
    # A before: three active users
    ("A", "u1", "2026-10-20", "login"),
    ("A", "u2", "2026-10-21", "login"),
    ("A", "u3", "2026-10-22", "login"),
    # B in the window: v1 on 12 days; two users two windows back, none just before
    *(("B", "v1", f"2026-11-{d:02d}", ("export", "share", "login")[d % 3]) for d in range(1, 13)),
    ("B", "v1", "2026-09-25", "login"),
    ("B", "v2", "2026-09-26", "login"),
]
TICKETS = pl.DataFrame(
    {
        "ticket_id": ["t1", "t2"],
        "account_id": ["A", "B"],
        "created_at": ["2026-11-10T09:00:00Z", "2026-10-01T09:00:00Z"],
        "solved_at": ["2026-11-11T09:00:00Z", None],  # t2 still open at Nov 21: stale
    }
)
SURVEYS = pl.DataFrame(
    {
        "submitted_at": ["2026-10-05", "2026-11-10", "2026-11-03"],
        "score": [4, 10, 6],  # r1's latest is 10
        "survey": ["nps"] * 3,
        "respondent_id": ["r1", "r1", "r2"],
        "account_id": ["A", "A", "A"],
    }
)
# fmt: off
BILLING = pl.DataFrame(
    [
        ("i1", "A", "100", "2026-10-01", "2026-10-01", "2026-11-01", "2026-10-15", "2026-10-10", True),
        ("i2", "A", "100", "2026-11-01", "2026-11-01", "2026-12-01", "2026-11-15", "2026-11-12", True),
        ("i3", "A", "25", "2026-11-01", None, None, "2026-11-10", None, False),  # overdue
        ("j1", "B", "50", "2026-10-15", "2026-10-15", "2026-11-15", "2026-10-29", "2026-10-20", True),
        ("j2", "B", "30", "2026-11-15", "2026-11-15", "2026-12-15", "2026-11-29", "2026-11-16", True),
    ],
    schema=["invoice_id", "account_id", "amount", "issued_at", "period_start", "period_end",
            "due_at", "paid_at", "recurring"],
    orient="row",
)
# fmt: on
ACCOUNTS = pl.DataFrame(
    {
        "account_id": ["A", "B"],
        "name": ["Acme", "Bolt"],
        "owner": ["ana", "ben"],
        "seats": [4, None],
    }
)


def events(rows=EVENTS) -> pl.DataFrame:
    return pl.DataFrame(
        [(a, u, f"{d}T10:00:00Z", e) for a, u, d, e in rows],
        schema=["account_id", "user_id", "timestamp", "event"],
        orient="row",
    )


def health(full: bool = True, **options) -> cm.Report:
    sources = {"events": events(), "accounts": ACCOUNTS}
    if full:
        sources |= {"tickets": TICKETS, "surveys": SURVEYS, "billing": BILLING}
    return cm.health(cm.load(**sources), inactive_events=["email_opened"], **{**WINDOW, **options})


def rows(report: cm.Report) -> dict[str, dict]:
    return {r["account_id"]: r for r in report.tables["health"].iter_rows(named=True)}


def test_event_components_by_hand() -> None:
    found = rows(health())
    a, b = found["A"], found["B"]
    # frequency: A 4 user-days / 2 active users = 2 -> (2 - 1) / (12 - 1); B 12 / 1 -> 100
    assert a["frequency"] == 2 and a["frequency_score"] == pytest.approx(100 / 11)
    assert b["frequency"] == 12 and b["frequency_score"] == 100
    # breadth: A 2 active of 4 seats = 0.5; B (no seats) 1 / at most 2 before = 0.5
    # -> (0.5 - 0.1) / (0.8 - 0.1) = 57.14
    assert a["breadth"] == b["breadth"] == 0.5
    assert a["breadth_score"] == pytest.approx(400 / 7)
    # depth: features used by anyone: login, report, export, share; A 2/4, B 3/4 (clamped)
    assert (a["depth"], a["depth_score"]) == (0.5, 100)
    assert (b["depth"], b["depth_score"]) == (0.75, 100)
    # trend: A 2 now / 3 before -> (0.667 - 0.5) / 0.6 = 27.8; B had nobody before: no data
    assert a["trend"] == pytest.approx(2 / 3)
    assert a["trend_score"] == pytest.approx((2 / 3 - 0.5) / 0.6 * 100)
    assert b["trend"] is None and b["trend_score"] is None


def test_support_sentiment_and_billing_by_hand() -> None:
    found = rows(health())
    a, b = found["A"], found["B"]
    # support: A 1 ticket, none stale, 2 active users: 0.5 -> (0.5 - 1) / (0.1 - 1) = 55.6
    assert a["support"] == 0.5 and a["support_score"] == pytest.approx(500 / 9)
    # B: no ticket in the window, 1 open since Oct 1 (older than 7 days), 1 active user -> 0
    assert b["support"] == 1 and b["support_score"] == 0
    # sentiment: A's respondents' latest NPS answers 10 and 6: 8 -> (8 - 5) / (9 - 5) = 75
    assert a["sentiment"] == 8 and a["sentiment_score"] == 75
    assert b["sentiment"] is None
    # billing: A overdue 25 (i3, due Nov 10, unpaid), MRR 100 -> 100: 0.25 -> 75
    assert a["billing"] == 0.25 and a["billing_score"] == 75
    # B: MRR 50 at Nov 1, 30 at Nov 21: contraction 20 / 50 = 0.4 -> 60
    assert b["billing"] == pytest.approx(0.4) and b["billing_score"] == pytest.approx(60)
    assert (a["mrr"], b["mrr"]) == (100, 30)


def test_score_band_order_and_reasons() -> None:
    report = health()
    a, b = rows(report)["A"], rows(report)["B"]
    # A: mean of 100/11, 400/7, 100, 250/9, 500/9, 75, 75 (seven components)
    a_score = (100 / 11 + 400 / 7 + 100 + 250 / 9 + 500 / 9 + 75 + 75) / 7
    assert a["score"] == pytest.approx(a_score) and a["band"] == "yellow"  # 57.1
    # B: trend and sentiment have no data: mean of 100, 400/7, 100, 0, 60 over five
    assert b["score"] == pytest.approx((100 + 400 / 7 + 100 + 0 + 60) / 5)  # 63.4
    assert b["components"] == "frequency, breadth, depth, support, billing"
    # the two weakest, in words with their numbers
    assert a["reasons"] == "2.0 active days per active user; active users fell from 3 to 2"
    assert b["reasons"].startswith("0 tickets and 1 open over 7 days for 1 active users; ")
    # both yellow: the higher MRR first
    assert report.tables["health"]["account_id"].to_list() == ["A", "B"]
    assert report.tables["health"]["name"].to_list() == ["Acme", "Bolt"]
    m = report.metrics
    assert (m["health.red_accounts_count"], m["health.yellow_accounts_count"]) == (0, 2)
    assert m["health.mrr_at_risk"] == 0
    assert m["health.score_mean"] == pytest.approx((a["score"] + b["score"]) / 2)


def test_missing_sources_leave_components_out_and_renormalise() -> None:
    report = health(full=False)
    a, b = rows(report)["A"], rows(report)["B"]
    assert "support" not in report.tables["health"].columns
    assert a["score"] == pytest.approx((100 / 11 + 400 / 7 + 100 + 250 / 9) / 4)  # 48.5
    assert b["score"] == pytest.approx((100 + 400 / 7 + 100) / 3)  # 85.7
    assert (a["band"], b["band"]) == ("yellow", "green")
    assert report.metrics["health.mrr_at_risk"] is None
    left_out = next(w.message for w in report.warnings if w.code == "components_left_out")
    assert "support (tickets" in left_out and "billing (billing" in left_out


def test_weights_bounds_and_bands_are_configurable() -> None:
    # frequency weighs 3: A = (3 x 100/11 + 400/7 + 100 + 250/9) / 6 = 35.4 -> red
    report = health(full=False, weights={"frequency": 3})
    assert rows(report)["A"]["score"] == pytest.approx((3 * 100 / 11 + 400 / 7 + 100 + 250 / 9) / 6)
    assert rows(report)["A"]["band"] == "red"
    # a frequency of 2 days is good enough when good = 2: A's frequency scores 100
    lenient = health(full=False, bounds={"frequency": {"good": 2, "bad": 0}})
    assert rows(lenient)["A"]["frequency_score"] == 100
    strict = health(full=False, bands={"green": 90, "yellow": 86})
    assert rows(strict)["B"]["band"] == "red"  # 85.7 < 86


def test_unknown_component_is_an_error_listing_the_known_ones() -> None:
    with pytest.raises(cm.ConfigError, match=r"unknown component 'usage'.*frequency, breadth"):
        health(weights={"usage": 2})


def test_band_and_owner_filters() -> None:
    assert rows(health(band="green")) == {}
    only = health(owner="ben")
    assert list(rows(only)) == ["B"]
    assert only.metrics["health.yellow_accounts_count"] == 1  # the owner's book only


def test_default_window_is_the_30_days_before_the_data_ends() -> None:
    report = cm.health(cm.load(events=events()))
    # the last event is on Nov 12: the window ends at Nov 13 and starts 30 days earlier
    assert (report.window.since.date().isoformat(), report.window.until.date().isoformat()) == (
        "2026-10-14",
        "2026-11-13",
    )


def test_events_without_accounts_are_an_input_error() -> None:
    frame = events().drop("account_id")
    with pytest.raises(cm.InputError, match="account_id"):
        cm.health(cm.load(events=frame))


def test_paying_the_overdue_invoice_never_lowers_the_score() -> None:
    # a good signal from another source: A pays i3 (25, due Nov 10) on Nov 12
    paid = BILLING.with_columns(
        pl.when(pl.col("invoice_id") == "i3")
        .then(pl.lit("2026-11-12"))
        .otherwise(pl.col("paid_at"))
        .alias("paid_at")
    )
    sources = {"events": events(), "accounts": ACCOUNTS, "tickets": TICKETS, "surveys": SURVEYS}
    before = rows(cm.health(cm.load(**sources, billing=BILLING), **WINDOW))["A"]
    after = rows(cm.health(cm.load(**sources, billing=paid), **WINDOW))["A"]
    assert (after["billing"], after["billing_score"]) == (0, 100)  # nothing overdue, no loss
    assert after["score"] > before["score"]


def test_billing_from_a_subscriptions_export() -> None:
    # A: 100 a month since Oct 1; B: 50 a month from Oct 15, then (a downgrade) 30 from Nov 15
    subscriptions = pl.DataFrame(
        {
            "subscription_id": ["sa", "sb1", "sb2"],
            "account_id": ["A", "B", "B"],
            "amount": [100.0, 50.0, 30.0],
            "started_at": ["2026-10-01T00:00:00Z", "2026-10-15T00:00:00Z", "2026-11-15T00:00:00Z"],
            "ended_at": [None, "2026-11-15T00:00:00Z", None],
        }
    )
    sources = {"events": events(), "accounts": ACCOUNTS, "subscriptions": subscriptions}
    report = cm.health(cm.load(**sources), inactive_events=["email_opened"], **WINDOW)
    a, b = rows(report)["A"], rows(report)["B"]
    # MRR at Nov 21: A 100, B 30; B's 50 at Nov 1 -> 30: contraction 20 / 50 = 0.4 -> 60.
    # A has no invoices, so nothing overdue: 0 -> 100
    assert (a["mrr"], b["mrr"]) == (100, 30)
    assert b["billing"] == pytest.approx(0.4) and b["billing_score"] == pytest.approx(60)
    assert "billing" in b["components"]
    # no account is red: nothing at risk, a number (0), not null
    assert report.metrics["health.mrr_at_risk"] == 0
