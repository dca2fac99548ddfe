"""Each preset on a fixture with its export's real header row and nesting (tests/fixtures/, a
few made-up rows): read by auto-detection and by the named preset, its metrics equal those of
the same data written in canonical form."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WINDOW = {"period": "2026-10"}


def frame(header: str, *rows: str) -> pl.DataFrame:
    names = header.split(",")
    cells = [[None if v == "" else v for v in row.split(",")] for row in rows]
    return pl.DataFrame(cells, schema=dict.fromkeys(names, pl.String), orient="row")


EVENTS = "event_id,timestamp,user_id,account_id,event,session_id"
TICKETS = (
    "ticket_id,created_at,first_response_at,solved_at,first_response_minutes,resolution_minutes,"
    "account_id,requester_id,status,channel,priority,group,assignee,agent_replies,reopens,"
    "satisfaction"
)
BILLING = "invoice_id,account_id,amount,issued_at,currency,period_start,period_end,due_at,paid_at,status,recurring"

# file -> (source kind, family, preset, the same rows in canonical form)
CASES = {
    "segment.jsonl": ("events", "engagement", "segment", frame(
        EVENTS,
        "m1,2026-10-02T10:00:00Z,u1,g1,login,",
        "m2,2026-10-03T10:05:00Z,u1,g1,report,",
        "m3,2026-10-03T11:00:00Z,anon9,,login,",  # no userId: the anonymousId
        "m4,2026-10-05T09:00:00Z,u2,g2,login,",  # sent twice: one copy
    ).drop("session_id")),
    "amplitude.jsonl": ("events", "engagement", "amplitude", frame(
        EVENTS,
        "i1,2026-10-02T10:00:00Z,u1,,login,1790935200000",
        "i2,2026-10-02T10:10:00Z,u1,,report,1790935200000",
        "i3,2026-10-04T08:00:00Z,d7,,login,",  # no user_id: the device_id; session -1: none
        "i4,2026-10-06T12:00:00Z,u2,,login,1791288000000",
    ).drop("account_id")),
    "mixpanel.jsonl": ("events", "engagement", "mixpanel", frame(
        # $insert_id q1 is one event only with the same event, user and time
        "timestamp,user_id,event",
        "2026-10-02T10:00:00Z,u1,login",
        "2026-10-02T10:00:00Z,u1,report",
        "2026-10-07T09:30:00Z,u2,login",
        "2026-10-09T09:30:00Z,u1,login",
    )),
    "posthog.jsonl": ("events", "engagement", "posthog", frame(
        EVENTS,
        "0190-1,2026-10-02T10:00:00.123456Z,p1,,$pageview,s1",
        "0190-2,2026-10-02T10:20:00Z,p1,,login,s1",
        "0190-3,2026-10-03T08:00:00Z,p2,,login,s2",
    ).drop("account_id")),
    "zendesk.csv": ("tickets", "support", "zendesk", frame(
        TICKETS,
        "101,2026-10-02T09:00:00Z,,2026-10-02T12:00:00Z,30,180,Acme,9001,Solved,Email,High,Support,Bo,1,0,Good",
        "102,2026-10-03T10:00:00Z,,,60,,Bolt,9002,Open,Web form,Normal,Support,Bo,1,0,Offered",
        "103,2026-10-05T14:00:00Z,,2026-10-06T14:00:00Z,15,1440,Acme,9003,Closed,Chat,Urgent,Tier 2,Ed,3,1,Bad",
    ).drop("first_response_at")),
    "freshdesk.csv": ("tickets", "support", "freshdesk", frame(
        TICKETS,
        "201,2026-10-02T09:00:00Z,2026-10-02T09:30:00Z,2026-10-02T12:00:00Z,,,,,Resolved,Email,High,Support,Bo,1,,5",
        "202,2026-10-03T10:00:00Z,2026-10-03T11:00:00Z,,,,,,Open,Portal,Medium,Support,Bo,1,,",
        "203,2026-10-05T14:00:00Z,2026-10-05T14:15:00Z,2026-10-06T14:00:00Z,,,,,Closed,Chat,Urgent,Tier 2,Ed,3,,",
    ).drop("first_response_minutes", "resolution_minutes", "account_id", "requester_id", "reopens")),
    "intercom.jsonl": ("tickets", "support", "intercom", frame(
        "ticket_id,created_at,first_response_at,solved_at,reopens,status",
        "301,2026-10-02T09:00:00Z,2026-10-02T09:30:00Z,2026-10-02T12:00:00Z,0,closed",
        "302,2026-10-03T10:00:00Z,2026-10-03T11:00:00Z,,0,open",
        "303,2026-10-05T14:00:00Z,2026-10-05T14:15:00Z,2026-10-06T14:00:00Z,1,closed",
    )),
    "stripe.csv": ("billing", "revenue", "stripe", frame(
        BILLING,
        "in_1,cus_A,100.00,2026-09-01,EUR,2026-09-01,2026-10-01,2026-09-15,2026-09-03,paid,true",
        "in_2,cus_A,100.00,2026-10-01,EUR,2026-10-01,2026-11-01,2026-10-15,2026-10-20,paid,true",
        "in_3,cus_B,1200.00,2026-10-10,EUR,2026-10-10,2027-10-10,2026-10-24,,open,true",
        "in_4,cus_B,250.00,2026-10-10,EUR,2026-10-10,2026-10-10,2026-10-24,2026-10-11,paid,false",
        "in_5,cus_C,49.00,2026-10-12,EUR,2026-10-12,2026-11-12,2026-10-26,,void,true",
    )),
    "stripe_api.jsonl": ("billing", "revenue", "stripe_api", frame(
        # cents; no service period in a flat API export: one month from `created`
        "invoice_id,account_id,amount,issued_at,currency,due_at,paid_at,status,recurring",
        "in_1,cus_A,100.00,2026-09-01,EUR,2026-09-15,2026-09-03,paid,true",
        "in_2,cus_A,100.00,2026-10-01,EUR,2026-10-15,2026-10-20,paid,true",
        "in_4,cus_B,250.00,2026-10-10,EUR,2026-10-24,2026-10-11,paid,false",
        "in_5,cus_C,49.00,2026-10-12,EUR,2026-10-26,,void,true",
    )),
    "snowplow.csv": ("events", "engagement", "snowplow", frame(
        # domain_userid and event_name; never Snowplow's user_id (a login) or event (a kind)
        EVENTS,
        "e1,2026-10-02T10:00:00Z,d1,,page_view,s1",
        "e2,2026-10-02T10:10:00Z,d1,,report_viewed,s1",
        "e3,2026-10-03T08:00:00Z,d2,,event,s2",  # the collector's retry: one copy
    ).drop("account_id")),
    "rudderstack.jsonl": ("events", "engagement", "rudderstack", frame(
        EVENTS,
        "m1,2026-10-02T10:00:00Z,u1,,login,1790935200000",
        "m2,2026-10-02T10:05:00Z,u1,,report,1790935200000",
        "m3,2026-10-03T11:00:00Z,a9,,login,1791025200000",  # no userId: the anonymousId
    ).drop("account_id")),
    "heap.csv": ("events", "engagement", "heap", frame(
        EVENTS,
        "1001,2026-10-02T10:00:00Z,8312094830219,,acme_app_login,501",
        "1002,2026-10-02T10:20:00Z,8312094830219,,acme_app_report_viewed,501",
        "1003,2026-10-04T09:00:00Z,5520398471102,,acme_app_login,502",
    ).drop("account_id")),
    "ga4.jsonl": ("events", "engagement", "ga4", frame(
        # microseconds; user_pseudo_id (never the sparse user_id); the session's id from
        # event_params[ga_session_id].value.int_value
        "timestamp,user_id,event,session_id",
        "2026-10-02T10:00:00Z,1234.5678,session_start,1790935200",
        "2026-10-02T10:01:00Z,1234.5678,page_view,1790935200",
        "2026-10-03T10:00:00.123456Z,1234.5678,login,1791021600",
        "2026-10-04T10:00:00Z,9876.5432,login,1791108000",
    )),
    "stripe_subscriptions.csv": ("subscriptions", "revenue", "stripe_subscriptions", frame(
        "subscription_id,account_id,plan,quantity,currency,interval,amount,status,started_at,"
        "trial_ended_at,ended_at",
        "sub_1,cus_A,Pro,2,usd,month,50.00,active,2026-08-15T09:00:00Z,,",
        "sub_2,cus_B,Pro Annual,1,usd,year,1200.00,active,2026-03-01T10:00:00Z,,",
        "sub_3,cus_C,Basic,1,usd,month,30.00,canceled,2026-06-10T08:00:00Z,,2026-10-12T08:00:00Z",
        "sub_4,cus_D,Basic,1,usd,month,30.00,trialing,2026-10-20T11:00:00Z,2026-11-03T11:00:00Z,",
        "sub_5,cus_E,Basic,3,usd,week,10.00,active,2026-10-05T07:00:00Z,,",
        "sub_6,cus_A,Add-on,1,usd,month,20.00,active,2026-10-10T09:00:00Z,,",
        "sub_7,cus_F,Basic,1,usd,month,30.00,incomplete_expired,2026-09-01T09:00:00Z,,2026-09-02T09:00:00Z",
        "sub_8,cus_G,Pro,1,usd,month,50.00,active,2026-09-20T09:00:00Z,2026-10-04T09:00:00Z,",
    )),
    "chargebee.jsonl": ("billing", "revenue", "chargebee", frame(
        "invoice_id,account_id,amount,issued_at,currency,due_at,paid_at,status",
        "cb_1,cA,100.00,2026-09-01,EUR,2026-09-15,2026-09-03,paid",
        "cb_2,cA,100.00,2026-10-01,EUR,2026-10-15,,open",
        "cb_3,cB,49.00,2026-10-05,EUR,2026-10-19,2026-10-06,paid",
        "cb_4,cC,49.00,2026-10-07,EUR,2026-10-21,,void",
    )),
}  # fmt: skip


def run(family: str, kind: str, source: object, **load: object) -> cm.Report:
    return getattr(cm, family)(cm.load(**{kind: source}, **load), **WINDOW)


@pytest.mark.parametrize("name", list(CASES))
def test_preset_reads_the_export_as_its_canonical_twin(name: str) -> None:
    kind, family, preset, canonical = CASES[name]
    path = FIXTURES / name
    assert path.stat().st_size < 50_000
    expected = run(family, kind, canonical).metrics
    detected = run(family, kind, str(path))
    named = run(family, kind, str(path), preset={kind: preset})
    assert any(w.code == "preset_detected" and preset in w.message for w in detected.warnings)
    for report in (detected, named):
        assert report.metrics.keys() == expected.keys()
        for key, value in expected.items():
            assert report.metrics[key] == pytest.approx(value, abs=1e-9), (name, key)
    assert any(v is not None for v in expected.values())


def test_the_help_and_the_readme_name_every_preset() -> None:
    import typing

    from csmetrics.cli.options import SourceOptions
    from csmetrics.ingest.sources.presets import PRESETS

    option = typing.get_type_hints(SourceOptions, include_extras=True)["preset"]
    help_text = option.__metadata__[0].help
    readme = (Path(__file__).resolve().parents[2] / "docs" / "commands.md").read_text()
    (options_row,) = [line for line in readme.splitlines() if "`--preset SOURCE=NAME`" in line]
    for name in PRESETS:
        assert re.search(rf"\b{name}\b", help_text), name
        assert re.search(rf"\b{name}\b", options_row), name
