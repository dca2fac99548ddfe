"""ARPU (metrics.md: MRR / distinct active users of the paying accounts in the month that ends
with the window) on hand-computed cases; the arithmetic is next to each assert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import csmetrics as cm
from csmetrics.core.window import Window
from csmetrics.families.revenue.users import user_month
from tests.families.revenue.test_revenue import lines

# MRR through October: a 100, b 50, c 30 (one-month lines, [Oct 1, Nov 1): 31 days = 1 month)
BILLING = lines(
    ("i1", "a", 100, "2026-10-01", "2026-11-01"),
    ("i2", "b", 50, "2026-10-01", "2026-11-01"),
    ("i3", "c", 30, "2026-10-01", "2026-11-01"),
)


def events(*rows: tuple[str, str, str, str | None]) -> pl.DataFrame:
    """Rows of (timestamp, user, event, account)."""
    return pl.DataFrame(rows, schema=["timestamp", "user_id", "event", "account_id"], orient="row")


EVENTS = events(
    ("2026-10-03T10:00:00Z", "u1", "login", "a"),
    ("2026-10-04T10:00:00Z", "u2", "report", "a"),
    ("2026-10-05T10:00:00Z", "u3", "email_opened", "a"),  # not active
    ("2026-10-06T10:00:00Z", "u4", "login", "b"),
    ("2026-10-07T10:00:00Z", "u1", "login", "b"),  # u1 again: one user
    ("2026-09-30T23:59:00Z", "u5", "login", "a"),  # before October
    ("2026-11-01T00:00:00Z", "u6", "login", "a"),  # at the window's end
    ("2026-10-08T10:00:00Z", "u7", "login", "z"),  # z pays nothing
)


def arpu(billing: pl.DataFrame, frame: pl.DataFrame | None, **options) -> cm.Report:
    return cm.revenue(cm.load(billing=billing, events=frame), **options)


def test_month_arpu_counts_distinct_active_users_of_paying_accounts() -> None:
    report = arpu(BILLING, EVENTS, period="2026-10", inactive_events=["email_opened"])
    # MRR 100 + 50 + 30 = 180; users u1, u2, u4 (u3 only opened an e-mail, u5 and u6 are
    # outside October, u7's account z pays nothing) -> 180 / 3 = 60
    assert report.metrics["revenue.mrr"] == 180
    assert report.metrics["revenue.arpu"] == 60
    assert report.metrics["revenue.arpa"] == 60  # 180 / 3 accounts: the same by chance
    (warning,) = [w for w in report.warnings if w.code == "accounts_without_users"]
    assert warning.count == 1 and "1 of 3 paying accounts" in warning.message  # c


def test_an_event_that_is_not_inactive_counts() -> None:
    report = arpu(BILLING, EVENTS, period="2026-10")
    # u3's email_opened counts now: 180 / 4 users = 45
    assert report.metrics["revenue.arpu"] == 45


def test_a_week_reads_the_month_before_its_end() -> None:
    frame = pl.concat(
        [
            EVENTS,
            events(
                ("2026-09-26T00:00:00Z", "u8", "login", "a"),  # first instant of the month
                ("2026-09-25T23:59:59Z", "u9", "login", "a"),  # just before it
            ),
        ]
    )
    report = arpu(BILLING, frame, period="2026-W43", inactive_events=["email_opened"])
    # W43 is Oct 19-25, until Oct 26 00:00: the month is [Sep 26, Oct 26). Users u1, u2, u4,
    # u8 and u5 (Sep 30): 5. MRR on Oct 25 is 180 -> 36
    assert report.metrics["revenue.arpu"] == 36
    (read_before,) = [
        w for w in report.warnings if w.code == "rows_before_window" and w.source == "events"
    ]
    # Sep 26 to Oct 18: u1, u2, u3, u4, u1, u5, u7, u8 (u9 is before the month: not read)
    assert read_before.count == 8 and "ARPU" in read_before.message


def test_without_events_arpu_is_null_and_says_why() -> None:
    report = arpu(BILLING, None, period="2026-10")
    assert report.metrics["revenue.arpu"] is None
    reasons = [w.message for w in report.warnings if w.metric == "revenue.arpu"]
    assert reasons == ["needs events.user_id: not given"]
    assert report.metrics["revenue.arpa"] == 60  # the rest is unchanged


def test_events_without_account_id_leave_arpu_null() -> None:
    report = arpu(BILLING, EVENTS.drop("account_id"), period="2026-10")
    assert report.metrics["revenue.arpu"] is None
    (reason,) = [w.message for w in report.warnings if w.metric == "revenue.arpu"]
    assert "account_id" in reason


def test_no_active_user_of_a_paying_account_is_null_not_infinite() -> None:
    report = arpu(BILLING, events(("2026-10-08T10:00:00Z", "u7", "login", "z")), period="2026-10")
    assert report.metrics["revenue.arpu"] is None
    (reason,) = [w.message for w in report.warnings if w.metric == "revenue.arpu"]
    assert (
        reason == "no active user of the paying accounts in the events of 2026-10-01 to 2026-10-31"
    )


def test_events_that_do_not_cover_the_month_are_named() -> None:
    frame = events(("2026-10-20T10:00:00Z", "u1", "login", "a"))
    report = arpu(BILLING, frame, period="2026-10")
    assert report.metrics["revenue.arpu"] == 180  # one user
    codes = {w.code for w in report.warnings if w.metric == "revenue.arpu"}
    assert codes == {"accounts_without_users", "events_outside_month"}


def test_the_month_is_one_calendar_month_back_in_the_report_zone() -> None:
    def month(since: str, until: str, tz: str = "UTC") -> tuple[str, str]:
        window = Window(
            datetime.fromisoformat(since).astimezone(UTC),
            datetime.fromisoformat(until).astimezone(UTC),
            tz,
        )
        return tuple(t.isoformat() for t in user_month(window))  # type: ignore[return-value]

    # March 31 has no February twin: the day is clipped to February 28
    assert month("2026-03-24T00:00+00:00", "2026-03-31T00:00+00:00") == (
        "2026-02-28T00:00:00+00:00",
        "2026-03-31T00:00:00+00:00",
    )
    # Paris: November 1 00:00 (+01:00) back to October 1 00:00 (+02:00, summer time)
    assert month("2026-10-01T00:00+02:00", "2026-11-01T00:00+01:00", "Europe/Paris") == (
        "2026-09-30T22:00:00+00:00",
        "2026-10-31T23:00:00+00:00",
    )
    # January goes back to December of the year before
    assert (
        month("2026-01-01T00:00+00:00", "2026-01-15T00:00+00:00")[0] == "2025-12-15T00:00:00+00:00"
    )


USERS = st.lists(
    st.tuples(
        st.integers(0, 40),  # day of the 40 days before Nov 1
        st.sampled_from(["u1", "u2", "u3", "u4", "u5"]),
        st.sampled_from(["login", "email_opened"]),
        st.sampled_from(["a", "b", "c", "z", None]),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(USERS)
def test_arpu_times_the_users_counted_plainly_is_mrr(rows) -> None:
    start = datetime(2026, 9, 22, tzinfo=UTC)
    frame = pl.DataFrame(
        {
            "timestamp": [start + timedelta(days=d) for d, *_ in rows],
            "user_id": [r[1] for r in rows],
            "event": [r[2] for r in rows],
            "account_id": [r[3] for r in rows],
        },
        schema_overrides={"account_id": pl.String},
    )
    report = arpu(BILLING, frame, period="2026-10", inactive_events=["email_opened"])
    october = datetime(2026, 10, 1, tzinfo=UTC)
    users = {
        user
        for t, user, event, account in frame.iter_rows()
        if october <= t < datetime(2026, 11, 1, tzinfo=UTC)
        and event != "email_opened"
        and account in {"a", "b", "c"}
    }
    value = report.metrics["revenue.arpu"]
    if users:
        assert value is not None and abs(value * len(users) - 180) < 1e-9
    else:
        assert value is None
