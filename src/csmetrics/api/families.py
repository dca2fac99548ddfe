"""One function per family, each of the same shape: `family(inputs, *, its settings, window) ->
Report`. The keywords are the family's declared settings (families/<family>/params.py; a test
holds them equal); a keyword left at None is not given, so the config the inputs were loaded
with, else the declared default, applies."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Unpack

from csmetrics.api.run import WindowArgs, compute_family
from csmetrics.families.engagement import FAMILY as ENGAGEMENT
from csmetrics.families.health import FAMILY as HEALTH
from csmetrics.families.onboarding import FAMILY as ONBOARDING
from csmetrics.families.retention import FAMILY as RETENTION
from csmetrics.families.revenue import FAMILY as REVENUE
from csmetrics.families.support import FAMILY as SUPPORT
from csmetrics.families.voice import FAMILY as VOICE
from csmetrics.ingest.inputs import Inputs
from csmetrics.results.report import Report


def engagement(
    inputs: Inputs,
    *,
    session_gap: str | timedelta | None = None,
    inactive_events: str | Iterable[str] | None = None,
    features: Mapping[str, Iterable[str]] | None = None,
    use_session_id: bool | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """DAU/WAU/MAU, stickiness, sessions, feature adoption and account activity (metrics.md).

    `window`: period, since, until, as_of, timezone, week_start, grain (WindowArgs); `session_gap` ends a session after that much
    inactivity ("30m", "4h" or a timedelta); `inactive_events` do not make a user active;
    `features` maps a feature name to the events that count as using it; `use_session_id`
    (default True) takes sessions from a session_id column when there is one. Settings not
    given come from the config the inputs were loaded with, else the defaults.

    >>> import polars as pl, csmetrics as cm
    >>> frame = pl.DataFrame({"timestamp": ["2026-11-02T10:00:00Z", "2026-11-02T10:10:00Z"],
    ...                       "user_id": ["u1", "u1"], "event": ["login", "report"]})
    >>> rep = cm.engagement(cm.load(events=frame), session_gap="30m")
    >>> rep.metrics["engagement.sessions_count"], rep.metrics["engagement.session_duration_mean_minutes"]
    (1.0, 10.0)
    """
    given = {
        "session_gap": session_gap,
        "inactive_events": inactive_events,
        "features": features,
        "use_session_id": use_session_id,
    }
    return compute_family(ENGAGEMENT, inputs, given, window)


def onboarding(
    inputs: Inputs,
    *,
    activation_events: str | Iterable[str] | None = None,
    activation_window: str | timedelta | None = None,
    value_event: str | None = None,
    steps: str | Iterable[str] | None = None,
    conversion_window: str | timedelta | None = None,
    signup_event: str | None = None,
    level: str | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """Signups, activation rate, time to value, days to onboard and the funnel (metrics.md).

    `activation_events` must all be done within `activation_window` of signup; `value_event`
    defaults to the last activation event; `steps` is the ordered funnel, each step within
    `conversion_window` of the first; `signup_event` defaults to a user's first event; `level`
    is "user" or "account" (account signup from the accounts source's created_at when loaded).

    >>> import polars as pl, csmetrics as cm
    >>> frame = pl.DataFrame({"timestamp": ["2026-11-02T10:00:00Z", "2026-11-03T10:00:00Z"],
    ...                       "user_id": ["u1", "u1"], "event": ["signed_up", "created_project"]})
    >>> rep = cm.onboarding(cm.load(events=frame), activation_events=["created_project"],
    ...                     since="2026-11-01", until="2026-12-01")
    >>> rep.metrics["onboarding.activation_rate"], rep.metrics["onboarding.days_to_onboard_mean"]
    (1.0, 1.0)
    """
    given = {
        "activation_events": activation_events,
        "activation_window": activation_window,
        "value_event": value_event,
        "steps": steps,
        "conversion_window": conversion_window,
        "signup_event": signup_event,
        "level": level,
    }
    return compute_family(ONBOARDING, inputs, given, window)


def retention(
    inputs: Inputs,
    *,
    cohort_grain: str | None = None,
    periods: int | None = None,
    signup_event: str | None = None,
    return_events: str | Iterable[str] | None = None,
    inactive_events: str | Iterable[str] | None = None,
    retention_type: str | None = None,
    retention_mode: str | None = None,
    level: str | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """The cohort table, retention in the window, lifecycle and user churn (metrics.md).

    `cohort_grain` (day, week, month; default the `grain` given, else week) buckets cohorts,
    lifecycle and churn; `periods` offsets follow each cohort; `signup_event` starts a
    first_time cohort (default a user's first event); `return_events` count as returns (default
    every event but `inactive_events`); `retention_type` first_time or recurring;
    `retention_mode` on or on_or_after; `level` user or account.

    >>> import polars as pl, csmetrics as cm
    >>> frame = pl.DataFrame({"timestamp": ["2026-11-02T10:00:00Z", "2026-11-10T10:00:00Z",
    ...                                     "2026-11-20T10:00:00Z"],  # the export runs past until
    ...                       "user_id": ["u1", "u1", "u2"], "event": ["login"] * 3})
    >>> rep = cm.retention(cm.load(events=frame), since="2026-11-02", until="2026-11-16",
    ...                    periods=1)
    >>> rep.metrics["retention.period_1_rate"]
    1.0
    """
    given = {
        "cohort_grain": cohort_grain,
        "periods": periods,
        "signup_event": signup_event,
        "return_events": return_events,
        "inactive_events": inactive_events,
        "retention_type": retention_type,
        "retention_mode": retention_mode,
        "level": level,
    }
    return compute_family(RETENTION, inputs, given, window)


def support(
    inputs: Inputs,
    *,
    sla_first_response: str | timedelta | None = None,
    business_hours: str | None = None,
    holidays: str | os.PathLike[str] | Iterable[date] | None = None,
    by: str | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """Ticket volume, backlog, response and resolution times, FCR, reopens, SLA, ticket CSAT.

    `sla_first_response` ("4h"); `business_hours` ("mon-fri 09:00-17:00", in the window's time
    zone) makes every duration business time, closed on `holidays` (a file of dates, or dates);
    `by` (channel, priority, group, assignee) adds a table with one row per value.

    >>> import polars as pl, csmetrics as cm
    >>> tickets = pl.DataFrame({"ticket_id": ["t1"], "created_at": ["2026-11-06T16:30:00Z"],
    ...                         "first_response_at": ["2026-11-09T09:30:00Z"]})
    >>> rep = cm.support(cm.load(tickets=tickets), business_hours="mon-fri 09:00-17:00",
    ...                  since="2026-11-01", until="2026-12-01")
    >>> rep.metrics["support.first_response_median_hours"]  # Fri 16:30-17:00, Mon 09:00-09:30
    1.0
    """
    given = {
        "sla_first_response": sla_first_response,
        "business_hours": business_hours,
        "holidays": holidays,
        "by": by,
    }
    return compute_family(SUPPORT, inputs, given, window)


def voice(
    inputs: Inputs,
    *,
    by: str | None = None,
    include_comments: bool | None = None,
    cxi_scale: str | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """NPS with its margin of error, CSAT, CES and the CX index (metrics.md), from the surveys;
    CSAT from ticket ratings when no CSAT survey is given. `by`: a surveys or accounts column
    to break down by; `include_comments`: add the free-text comments table (never by default);
    `cxi_scale`: the CX index survey's scale, "1-5" (default), "1-7" or "0-10".

    >>> import polars as pl, csmetrics as cm
    >>> answers = pl.DataFrame({"submitted_at": ["2026-11-02", "2026-11-03", "2026-11-04"],
    ...                         "score": [10, 9, 3], "survey": ["nps"] * 3})
    >>> cm.voice(cm.load(surveys=answers)).metrics["voice.nps"]  # 100 * (2 - 1) / 3
    33.33333333333333
    """
    given = {"by": by, "include_comments": include_comments, "cxi_scale": cxi_scale}
    return compute_family(VOICE, inputs, given, window)


def revenue(
    inputs: Inputs,
    *,
    gross_margin: float | None = None,
    currency: str | None = None,
    fx_rates: str | os.PathLike[str] | None = None,
    by: str | None = None,
    inactive_events: str | Iterable[str] | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """MRR and its movements, ARR, ARPA, ARPU, churn, NRR/GRR, quick ratio, LTV (times
    `gross_margin`), billed amount, late payments, overdue amount, DSO and AR aging
    (metrics.md), from invoice lines. Amounts in several currencies need `fx_rates` (a CSV of
    date, currency, rate) and `currency`, the reporting currency; `by` breaks MRR down by a
    billing or accounts column (default the plan). ARPU needs events with account_id: its
    users are active as engagement counts them (every event but `inactive_events`, taken
    from the config's [engagement] when [revenue] does not set it).

    >>> import polars as pl, csmetrics as cm
    >>> lines = pl.DataFrame({"invoice_id": ["i1", "i2"], "account_id": ["a", "b"],
    ...     "amount": ["1200", "50"], "issued_at": ["2026-01-15", "2026-10-31"],
    ...     "period_start": ["2026-01-15", "2026-10-31"],
    ...     "period_end": ["2027-01-15", "2026-11-30"]})
    >>> rep = cm.revenue(cm.load(billing=lines), period="2026-10")
    >>> rep.metrics["revenue.mrr"]  # 1200 / 12 (an annual plan) + 50 (30 days: one month)
    150.0
    """
    given = {
        "gross_margin": gross_margin,
        "currency": currency,
        "fx_rates": fx_rates,
        "by": by,
        "inactive_events": inactive_events,
    }
    return compute_family(REVENUE, inputs, given, window)


def health(
    inputs: Inputs,
    *,
    weights: Mapping[str, float] | None = None,
    bounds: Mapping[str, Mapping[str, float]] | None = None,
    bands: Mapping[str, float] | None = None,
    band: str | None = None,
    owner: str | None = None,
    inactive_events: str | Iterable[str] | None = None,
    features: Mapping[str, Iterable[str]] | None = None,
    currency: str | None = None,
    fx_rates: str | os.PathLike[str] | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """Account health (metrics.md): per account, component scores, a weighted score, a band and
    the two weakest components as reasons; the window defaults to the 30 days before the data's
    end. `weights` ({"billing": 2}); `bounds` ({"frequency": {"good": 12, "bad": 1}}); `bands`
    ({"green": 70, "yellow": 40}); `band`/`owner` filter the table; `inactive_events` and
    `features` as engagement's, `currency` and `fx_rates` as revenue's (and taken from the
    config's [engagement] and [revenue] when [health] does not set them)."""
    given = {
        "weights": weights,
        "bounds": bounds,
        "bands": bands,
        "band": band,
        "owner": owner,
        "inactive_events": inactive_events,
        "features": features,
        "currency": currency,
        "fx_rates": fx_rates,
    }
    return compute_family(HEALTH, inputs, given, window)
