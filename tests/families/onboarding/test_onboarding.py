"""Onboarding on small hand-computed cases; the arithmetic is written next to each assert."""

from __future__ import annotations

import polars as pl
import pytest

import csmetrics as cm

# every test runs on both engines (tests/engines.py)
pytestmark = pytest.mark.usefixtures("engine")

COLUMNS = ["timestamp", "user_id", "event", "account_id"]


def frame(rows: list[tuple[str, str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=COLUMNS, orient="row")


def onboarding(rows: list[tuple[str, str, str, str]], **options) -> cm.Report:
    accounts = options.pop("accounts", None)
    inputs = cm.load(events=frame(rows), accounts=accounts)
    return cm.onboarding(inputs, **options)


# Window: November 2026. Activation = created_project and invited_user within 7 days.
ACTIVATION = {"activation_events": ["created_project", "invited_user"], "activation_window": "7d"}
CASE = [
    ("2026-10-20T09:00:00Z", "u0", "signed_up", "a1"),  # signed up before the window
    ("2026-11-02T09:00:00Z", "u1", "signed_up", "a1"),
    ("2026-11-02T21:00:00Z", "u1", "created_project", "a1"),  # 12 h after signup
    ("2026-11-03T09:00:00Z", "u1", "invited_user", "a1"),  # 24 h: activated at day 1.0
    ("2026-11-05T09:00:00Z", "u2", "signed_up", "a2"),
    ("2026-11-05T15:00:00Z", "u2", "created_project", "a2"),  # 6 h after signup
    ("2026-11-14T09:00:00Z", "u2", "invited_user", "a2"),  # 9 days: too late to activate
    ("2026-11-10T09:00:00Z", "u3", "signed_up", "a2"),  # never does anything else
    ("2026-11-28T09:00:00Z", "u4", "signed_up", "a3"),  # window ends 12-01: pending
    ("2026-11-28T10:00:00Z", "u4", "created_project", "a3"),
    ("2026-11-28T11:00:00Z", "u4", "invited_user", "a3"),  # activated, but still pending
    ("2026-12-02T09:00:00Z", "u5", "signed_up", "a3"),  # after the window
]
WINDOW = {"since": "2026-11-01", "until": "2026-12-01"}


@pytest.fixture(scope="module")
def case(engine: str) -> cm.Report:
    return onboarding(CASE, **ACTIVATION, **WINDOW)


def test_signups_in_the_window(case) -> None:
    # u1, u2, u3, u4 (u0 before, u5 after)
    assert case.metrics["onboarding.signups_count"] == 4


def test_activation_rate_leaves_pending_signups_out(case) -> None:
    # decided: u1 (activated day 1), u2 (invited after 9 days > 7), u3 (nothing) -> 1 / 3;
    # u4 signed up 11-28 + 7 days = 12-05 > until: pending although already activated
    assert case.metrics["onboarding.activation_rate"] == pytest.approx(1 / 3)
    cohorts = case.tables["activation_by_cohort"]
    assert cohorts["pending"].sum() == 1 and cohorts["activated"].sum() == 1


def test_days_to_onboard_counts_every_activated_signup(case) -> None:
    # u1: 24 h = 1.0 day; u4: 2 h = 1/12 day (activated within its window, before until)
    assert case.metrics["onboarding.days_to_onboard_mean"] == pytest.approx((1 + 1 / 12) / 2)
    assert case.metrics["onboarding.days_to_onboard_median"] == pytest.approx((1 + 1 / 12) / 2)


def test_time_to_value_uses_the_last_activation_event_by_default(case) -> None:
    # value = invited_user: u1 24 h, u2 9 days = 216 h, u4 2 h; u3 never
    # median of [2, 24, 216] = 24; p90 (linear) = 24 + 0.8 * (216 - 24) = 177.6
    assert case.metrics["onboarding.time_to_value_median_hours"] == pytest.approx(24)
    assert case.metrics["onboarding.time_to_value_p90_hours"] == pytest.approx(177.6)
    assert case.metrics["onboarding.reached_value_share"] == pytest.approx(3 / 4)


def test_time_to_value_distribution(case) -> None:
    # u4 2 h -> "1 to 4 h"; u1 24 h -> "1 to 3 days" (24 h is that bucket's lower edge);
    # u2 216 h -> "7 days or more"; u3 never reached value: not counted
    table = case.tables["time_to_value_distribution"]
    assert table.select("bucket", "signups").rows() == [
        ("under 1 h", 0), ("1 to 4 h", 1), ("4 to 24 h", 0),
        ("1 to 3 days", 1), ("3 to 7 days", 0), ("7 days or more", 1),
    ]  # fmt: skip
    assert table["signups"].sum() == 3  # = reached_value_share 3/4 of 4 signups


def test_value_event_parameter(tmp_path) -> None:
    report = onboarding(CASE, **ACTIVATION, value_event="created_project", **WINDOW)
    # created_project: u1 12 h, u2 6 h, u4 1 h -> median 6
    assert report.metrics["onboarding.time_to_value_median_hours"] == pytest.approx(6)


def test_activation_by_cohort_weeks() -> None:
    report = onboarding(CASE, **ACTIVATION, **WINDOW, grain="week")
    rows = report.tables["activation_by_cohort"].rows()
    # weeks (Monday): 10-26 has no signup in the window... u1 on Mon 11-02, u2 Thu 11-05 -> W45;
    # u3 Tue 11-10 -> W46; u4 Sat 11-28 -> W48
    assert [(str(r[0]), r[1], r[2], r[3]) for r in rows] == [
        ("2026-11-02", 2, 1, 0),
        ("2026-11-09", 1, 0, 0),
        ("2026-11-23", 1, 0, 1),
    ]
    assert rows[0][4] == pytest.approx(1 / 2) and rows[2][4] is None  # all pending: no rate


def test_signup_near_midnight_in_the_report_time_zone() -> None:
    # 23:30 UTC on 10-31 is 00:30 on 11-01 in Paris (CET, +1): a November signup there only
    rows = [("2026-10-31T23:30:00Z", "u1", "signed_up", "a1")]
    utc = onboarding(rows, **WINDOW)
    paris = onboarding(rows, **WINDOW, timezone="Europe/Paris")
    assert utc.metrics["onboarding.signups_count"] == 0
    assert paris.metrics["onboarding.signups_count"] == 1


def test_repeated_signup_events_count_the_first() -> None:
    # u1's first signed_up is in October: not a November signup, whatever comes later
    rows = [
        ("2026-10-30T09:00:00Z", "u1", "page_view", "a1"),
        ("2026-10-31T09:00:00Z", "u1", "signed_up", "a1"),
        ("2026-11-03T09:00:00Z", "u1", "signed_up", "a1"),
        ("2026-11-04T09:00:00Z", "u2", "page_view", "a1"),  # before u2's signup event
        ("2026-11-05T09:00:00Z", "u2", "signed_up", "a1"),
    ]
    report = onboarding(rows, signup_event="signed_up", **WINDOW)
    assert report.metrics["onboarding.signups_count"] == 1  # u2 alone


def test_activation_events_before_signup_do_not_count() -> None:
    rows = [
        ("2026-11-02T08:00:00Z", "u1", "created_project", "a1"),  # before the signup event
        ("2026-11-02T09:00:00Z", "u1", "signed_up", "a1"),
        ("2026-11-20T09:00:00Z", "u9", "page_view", "a1"),
    ]
    report = onboarding(
        rows, activation_events=["created_project"], signup_event="signed_up", **WINDOW
    )
    assert report.metrics["onboarding.activation_rate"] == 0  # u1 decided, not activated


FUNNEL = ["viewed_pricing", "started_trial", "paid"]


def test_funnel_steps_in_order_within_the_conversion_window() -> None:
    rows = [
        # u1 converts: pricing -> trial 2 h later -> paid 1 day later
        ("2026-11-02T10:00:00Z", "u1", "viewed_pricing", "a1"),
        ("2026-11-02T12:00:00Z", "u1", "started_trial", "a1"),
        ("2026-11-03T12:00:00Z", "u1", "paid", "a1"),
        # u2: trial before pricing does not count for step 2; no trial after it
        ("2026-11-02T09:00:00Z", "u2", "started_trial", "a2"),
        ("2026-11-02T10:00:00Z", "u2", "viewed_pricing", "a2"),
        # u3: trial 1 h after pricing, pays 15 days later: outside the 14-day window
        ("2026-11-03T10:00:00Z", "u3", "viewed_pricing", "a3"),
        ("2026-11-03T11:00:00Z", "u3", "started_trial", "a3"),
        ("2026-11-18T11:00:00Z", "u3", "paid", "a3"),
        # u4: pays before the window ends? pricing 11-29, trial 11-30, paid 12-02 >= until
        ("2026-11-29T10:00:00Z", "u4", "viewed_pricing", "a4"),
        ("2026-11-30T10:00:00Z", "u4", "started_trial", "a4"),
        ("2026-12-02T10:00:00Z", "u4", "paid", "a4"),
    ]
    report = onboarding(rows, steps=FUNNEL, **WINDOW)
    funnel = report.tables["funnel"]
    # entered 4; trial: u1, u3, u4 = 3; paid: u1 = 1
    assert funnel["users"].to_list() == [4, 3, 1]
    assert funnel["drop_off"].to_list() == [0, 1, 2]
    assert funnel["conversion_from_previous"].to_list() == [None, 0.75, pytest.approx(1 / 3)]
    assert funnel["conversion_from_start"].to_list() == [1.0, 0.75, 0.25]
    # hours pricing -> trial: u1 2, u3 1, u4 24 -> median 2; trial -> paid: u1 24
    assert funnel["median_time_from_previous_hours"].to_list() == [None, 2.0, 24.0]
    assert report.metrics["onboarding.funnel_conversion_rate"] == pytest.approx(1 / 4)


def test_funnel_enters_at_the_first_step_event_in_the_window() -> None:
    rows = [
        ("2026-10-30T10:00:00Z", "u1", "viewed_pricing", "a1"),  # before the window
        ("2026-11-20T10:00:00Z", "u1", "viewed_pricing", "a1"),  # t1 = 11-20
        ("2026-11-21T10:00:00Z", "u1", "started_trial", "a1"),
        ("2026-11-22T10:00:00Z", "u1", "paid", "a1"),
    ]
    report = onboarding(rows, steps=FUNNEL, conversion_window="3d", **WINDOW)
    # from 11-20 the trial and payment fall within 3 days: converted
    assert report.metrics["onboarding.funnel_conversion_rate"] == 1


def test_account_level_uses_created_at_and_all_users() -> None:
    # a1 was created 11-01 (accounts file); its users u1 and u2 share the activation work
    rows = [
        ("2026-11-03T09:00:00Z", "u1", "created_project", "a1"),
        ("2026-11-04T09:00:00Z", "u2", "invited_user", "a1"),  # a1 activated at 3 days
        ("2026-10-20T09:00:00Z", "u3", "page_view", "a2"),  # a2 signed up in October
        ("2026-11-06T09:00:00Z", "u4", "page_view", "a3"),  # a3: first event 11-06
        ("2026-11-30T09:00:00Z", "u4", "page_view", "a3"),
    ]
    accounts = pl.DataFrame(
        {"account_id": ["a1", "a2"], "created_at": ["2026-11-01T09:00:00Z", None]}
    )
    report = onboarding(rows, **ACTIVATION, level="account", accounts=accounts, **WINDOW)
    # signups: a1 (11-01, created_at) and a3 (11-06, first event); a2 in October
    assert report.metrics["onboarding.signups_count"] == 2
    # a1 activated 3 days after 11-01 09:00 (within 7); a3 decided (11-13 < 12-01), not activated
    assert report.metrics["onboarding.activation_rate"] == pytest.approx(1 / 2)
    assert report.metrics["onboarding.days_to_onboard_mean"] == pytest.approx(3)


def test_nothing_configured_gives_nulls_with_reasons() -> None:
    report = onboarding(CASE, **WINDOW)
    assert report.metrics["onboarding.activation_rate"] is None
    assert report.metrics["onboarding.funnel_conversion_rate"] is None
    codes = {w.metric: w.code for w in report.warnings if w.metric}
    assert codes["onboarding.activation_rate"] == "not_configured"
    assert codes["onboarding.funnel_conversion_rate"] == "not_configured"
    assert "time_to_value_distribution" not in report.tables  # no value event: no table
    # without activation events nobody can be activated: the table says unknown, not 0 and 0%
    cohorts = report.tables["activation_by_cohort"]
    assert cohorts["signups"].sum() == 4  # u1, u2, u3, u4 still counted
    for column in ("activated", "pending", "activation_rate"):
        assert cohorts[column].null_count() == cohorts.height, column


def test_events_at_or_after_until_are_never_used() -> None:
    # u1 signs up 11-29 and activates 12-01 00:00 (= until): not activated as of until
    rows = [
        ("2026-11-20T00:00:00Z", "u1", "signed_up", "a1"),
        ("2026-12-01T00:00:00Z", "u1", "created_project", "a1"),
    ]
    report = onboarding(rows, activation_events=["created_project"], **WINDOW)
    assert report.metrics["onboarding.reached_value_share"] == 0
    assert report.metrics["onboarding.days_to_onboard_mean"] is None
