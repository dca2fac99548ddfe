"""The Python API: `load` the sources once, then compute any family on them.

    >>> import csmetrics as cm
    >>> inputs = cm.load(events="sample_data/events.csv")  # doctest: +SKIP
    >>> rep = cm.engagement(inputs, period="2026-10", timezone="Europe/Paris")  # doctest: +SKIP
    >>> rep.metrics["engagement.stickiness"]  # doctest: +SKIP

The command line is a thin layer over these functions; every family is one more function of the
same shape: `family(inputs, *, window options, family parameters) -> Report`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypedDict, Unpack

from csmetrics.checks import Outcome, parse_checks
from csmetrics.families.engagement import FAMILY as ENGAGEMENT
from csmetrics.families.engagement import params_from_config
from csmetrics.families.health import FAMILY as HEALTH
from csmetrics.families.health import params_from_config as health_params
from csmetrics.families.onboarding import FAMILY as ONBOARDING
from csmetrics.families.onboarding import params_from_config as onboarding_params
from csmetrics.families.retention import FAMILY as RETENTION
from csmetrics.families.retention import params_from_config as retention_params
from csmetrics.families.revenue import FAMILY as REVENUE
from csmetrics.families.revenue import params_from_config as revenue_params
from csmetrics.families.support import FAMILY as SUPPORT
from csmetrics.families.support import params_from_config as support_params
from csmetrics.families.voice import FAMILY as VOICE
from csmetrics.families.voice import params_from_config as voice_params
from csmetrics.family_report import Report
from csmetrics.inputs import Inputs
from csmetrics.loading import SourceArg, load
from csmetrics.reporting import Bundle, build_bundle, family_params, run_checks
from csmetrics.runner import compute
from csmetrics.sources.spec import SourceSpec
from csmetrics.window import WindowSpec, build_window


class WindowArgs(TypedDict, total=False):
    """The window, in the command line's words: `period` ("last-week", "2026-10", "2026-Q3",
    ...) or `since`/`until` (dates or ISO datetimes, `until` exclusive), `as_of` (the "now" of
    relative periods), `timezone` (IANA, of calendar buckets), `week_start` (monday or sunday),
    `grain` (day, week or month). Without bounds the data's observed range is the window."""

    period: str | None
    since: str | None
    until: str | None
    as_of: str | None
    timezone: str
    week_start: str
    grain: str


def window_of(**window: Unpack[WindowArgs]) -> WindowSpec:
    """The window from the same words as the command line's options (see WindowArgs)."""
    return build_window(**window)


def engagement(
    inputs: Inputs,
    *,
    session_gap: str | timedelta = "30m",
    inactive_events: Iterable[str] = (),
    features: Mapping[str, Iterable[str]] | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """DAU/WAU/MAU, stickiness, sessions, feature adoption and account activity (metrics.md).

    `window`: period, since, until, as_of, timezone, week_start, grain (WindowArgs); `session_gap` ends a session after that much
    inactivity ("30m", "4h" or a timedelta); `inactive_events` do not make a user active;
    `features` maps a feature name to the events that count as using it.

    >>> import polars as pl, csmetrics as cm
    >>> frame = pl.DataFrame({"timestamp": ["2026-11-02T10:00:00Z", "2026-11-02T10:10:00Z"],
    ...                       "user_id": ["u1", "u1"], "event": ["login", "report"]})
    >>> rep = cm.engagement(cm.load(events=frame), session_gap="30m")
    >>> rep.metrics["engagement.sessions_count"], rep.metrics["engagement.session_duration_mean_minutes"]
    (1.0, 10.0)
    """
    params = params_from_config(
        {},
        session_gap=session_gap,
        inactive_events=tuple(inactive_events),
        features={k: tuple(v) for k, v in features.items()} if features is not None else None,
    )
    return compute(ENGAGEMENT, inputs, window_of(**window), params)


def onboarding(
    inputs: Inputs,
    *,
    activation_events: Iterable[str] = (),
    activation_window: str | timedelta = "14d",
    value_event: str | None = None,
    steps: Iterable[str] = (),
    conversion_window: str | timedelta = "14d",
    signup_event: str | None = None,
    level: str = "user",
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
    params = onboarding_params(
        {},
        activation_events=tuple(activation_events),
        activation_window=activation_window,
        value_event=value_event,
        steps=tuple(steps),
        conversion_window=conversion_window,
        signup_event=signup_event,
        level=level,
    )
    return compute(ONBOARDING, inputs, window_of(**window), params)


def retention(
    inputs: Inputs,
    *,
    cohort_grain: str | None = None,
    periods: int = 12,
    signup_event: str | None = None,
    return_events: Iterable[str] = (),
    inactive_events: Iterable[str] = (),
    retention_type: str = "first_time",
    retention_mode: str = "on",
    level: str = "user",
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
    params = retention_params(
        {},
        cohort_grain=cohort_grain or window.get("grain"),
        periods=periods,
        signup_event=signup_event,
        return_events=tuple(return_events),
        inactive_events=tuple(inactive_events),
        retention_type=retention_type,
        retention_mode=retention_mode,
        level=level,
    )
    return compute(RETENTION, inputs, window_of(**window), params)


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
    days = None
    if holidays is not None and not isinstance(holidays, str | os.PathLike):
        days = tuple(holidays)
    params = support_params(
        {},
        sla_first_response=sla_first_response,
        business_hours=business_hours,
        holidays=os.fspath(holidays) if isinstance(holidays, str | os.PathLike) else None,
        by=by,
    )
    if days and params.business_hours is not None:
        params = replace(params, business_hours=replace(params.business_hours, holidays=days))
    return compute(SUPPORT, inputs, window_of(**window), params)


def voice(
    inputs: Inputs,
    *,
    by: str | None = None,
    include_comments: bool = False,
    **window: Unpack[WindowArgs],
) -> Report:
    """NPS with its margin of error, CSAT and CES (metrics.md), from the surveys; CSAT from
    ticket ratings when no CSAT survey is given. `by`: a surveys or accounts column to break
    down by; `include_comments`: add the free-text comments table (never by default).

    >>> import polars as pl, csmetrics as cm
    >>> answers = pl.DataFrame({"submitted_at": ["2026-11-02", "2026-11-03", "2026-11-04"],
    ...                         "score": [10, 9, 3], "survey": ["nps"] * 3})
    >>> cm.voice(cm.load(surveys=answers)).metrics["voice.nps"]  # 100 * (2 - 1) / 3
    33.33333333333333
    """
    params = voice_params({}, by=by, include_comments=include_comments)
    return compute(VOICE, inputs, window_of(**window), params)


def revenue(
    inputs: Inputs,
    *,
    gross_margin: float = 1.0,
    currency: str | None = None,
    fx_rates: str | os.PathLike[str] | None = None,
    by: str | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """MRR and its movements, ARR, ARPA, churn, NRR/GRR, quick ratio, LTV (times
    `gross_margin`), billed amount, late payments, overdue amount, DSO and AR aging
    (metrics.md), from invoice lines. Amounts in several currencies need `fx_rates` (a CSV of
    date, currency, rate) and `currency`, the reporting currency; `by` breaks MRR down by a
    billing or accounts column (default the plan).

    >>> import polars as pl, csmetrics as cm
    >>> lines = pl.DataFrame({"invoice_id": ["i1", "i2"], "account_id": ["a", "b"],
    ...     "amount": ["1200", "50"], "issued_at": ["2026-01-15", "2026-10-31"],
    ...     "period_start": ["2026-01-15", "2026-10-31"],
    ...     "period_end": ["2027-01-15", "2026-11-30"]})
    >>> rep = cm.revenue(cm.load(billing=lines), period="2026-10")
    >>> rep.metrics["revenue.mrr"]  # 1200 / 12 (an annual plan) + 50 (30 days: one month)
    150.0
    """
    params = revenue_params(
        {},
        gross_margin=gross_margin,
        currency=currency,
        fx_rates=os.fspath(fx_rates) if fx_rates is not None else None,
        by=by,
    )
    return compute(REVENUE, inputs, window_of(**window), params)


def health(
    inputs: Inputs,
    *,
    weights: Mapping[str, float] | None = None,
    band: str | None = None,
    owner: str | None = None,
    inactive_events: Iterable[str] | None = None,
    settings: Mapping[str, Any] | None = None,
    **window: Unpack[WindowArgs],
) -> Report:
    """Account health (metrics.md): per account, component scores, a weighted score, a band and
    the two weakest components as reasons; the window defaults to the 30 days before the data's
    end. `weights` ({"billing": 2}); `band`/`owner` filter the table; `settings` takes the
    config's [health] keys (bounds, bands, features, currency, fx_rates)."""
    params = health_params(
        settings or {}, weights=weights, band=band, owner=owner, inactive_events=inactive_events
    )
    return compute(HEALTH, inputs, window_of(**window), params)


def report(
    inputs: Inputs,
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    **window: Unpack[WindowArgs],
) -> Bundle:
    """Every family the loaded sources allow, for the window and the previous window of equal
    length (the previous whole months for a window of whole months). `params` holds each
    family's settings as in its config table (`{"support": {"sla_first_response": "4h"}}`).
    `bundle.write(folder)` writes the dated bundle atomically."""
    return build_bundle(inputs, window_of(**window), _family_params(params))


def check(
    inputs: Inputs,
    checks: Iterable[Mapping[str, Any]],
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    **window: Unpack[WindowArgs],
) -> list[Outcome]:
    """Evaluate thresholds (the config's [[checks]] entries: metric, min, max, warn_min,
    warn_max, max_increase_pct, max_decrease_pct, by, allow_missing) on a report of the
    window; `csmetrics.checks.exit_code(outcomes)` is 1 when any failed."""
    parsed = parse_checks(list(checks))
    chosen = _family_params(params)
    bundle = build_bundle(inputs, window_of(**window), chosen)
    return run_checks(parsed, bundle, inputs, chosen)


def _family_params(params: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    """Every family's parameters from settings given as its config table would hold them."""
    settings = params or {}
    return family_params(lambda name: settings.get(name, {}), ".")


__all__ = [
    "Bundle",
    "Inputs",
    "Report",
    "SourceArg",
    "SourceSpec",
    "WindowArgs",
    "check",
    "engagement",
    "health",
    "load",
    "onboarding",
    "report",
    "retention",
    "revenue",
    "support",
    "voice",
    "window_of",
]
