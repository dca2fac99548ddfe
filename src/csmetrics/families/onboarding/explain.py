"""How `explain` splits onboarding's metrics by segment (families/explainer.py): the units are the
window's signups (users, or accounts at account level) with the outcomes the headline reads
(activation.with_outcomes). A signup's segment in an events column is that column on its latest
event before `until`; in an accounts column, its account's (at account level, itself)."""

from __future__ import annotations

import polars as pl

from csmetrics.families.base import Frames, RunContext
from csmetrics.families.explainer import Explainer, Segments, per_unit_latest
from csmetrics.families.onboarding.activation import signup_progress, with_outcomes
from csmetrics.families.onboarding.params import OnboardingParams
from csmetrics.families.shared.signups import entity_events, signups

DECIDED = ~pl.col("pending")
REACHED = pl.col("value_at").is_not_null()


SIGNUPS, WANTED = "__signups", "__wanted"


def shared(frames: Frames, ctx: RunContext, params: OnboardingParams) -> dict[str, pl.LazyFrame]:
    """What every window of one explain or history reads, once over their span (`ctx.window`):
    every user's signup, and the activation and value events. A window's signups are those
    before its `until` (a first event before it is the first event of the span too). At
    account level an account's created_at may come after its first event, so each window
    computes its own."""
    if params.level != "user":
        return {}
    span = ctx.window
    events = entity_events(frames, ctx.columns, span, params.level)
    signed = signups(events, params.signup_event, frames, ctx.columns, span, params.level)
    wanted = sorted(set(params.activation_events) | ({params.value} if params.value else set()))
    timed = events.filter(pl.col("event").is_in(wanted)).select("entity", "event", "timestamp")
    return {SIGNUPS: signed.cache(), WANTED: timed.cache()}


def outcomes(
    frames: Frames, ctx: RunContext, params: OnboardingParams, segments: Segments
) -> pl.LazyFrame:
    """The window's signups, their outcomes and their segment columns."""
    window = ctx.window
    events = entity_events(frames, ctx.columns, window, params.level)
    before = pl.col("timestamp") < window.until
    if SIGNUPS in frames:
        signed = frames[SIGNUPS].filter(pl.col("signup") < window.until)
        timed = frames[WANTED].filter(before)
    else:
        events = events.cache()
        signed = signups(events, params.signup_event, frames, ctx.columns, window, params.level)
        timed = events.select("entity", "event", "timestamp")
    units = with_outcomes(signup_progress(timed, signed, window, params), window, params)
    carry = tuple(c for c in segments.carry if c != "account_id" or params.level == "user")
    if carry:  # the latest event of the window's signups only: a few rows, not every entity's
        own = events.join(units.select("entity"), on="entity", how="semi")
        latest = per_unit_latest(own, "entity", "timestamp", carry)
        units = units.join(latest, on="entity", how="left")
    if params.level == "account" and segments.accounts is not None:
        units = units.with_columns(account_id=pl.col("entity"))
    return segments.attach(units)


def _activation(params: OnboardingParams) -> str | None:
    if params.activation_events:
        return None
    return (
        "no activation events configured (--activation-event or [onboarding] "
        "activation_events), so the activation rate is null in both windows"
    )


def _value(params: OnboardingParams) -> str | None:
    if params.value is not None:
        return None
    return (
        "no value event configured (--value-event or [onboarding] value_event), so time to "
        "value is null in both windows"
    )


def _share(part: pl.Expr, whole: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    return ((part & whole).cast(pl.Float64), whole.cast(pl.Float64))


EXPLAINERS: dict[str, Explainer[OnboardingParams]] = {
    "onboarding.signups_count": Explainer(
        "additive", "events", "signups", outcomes, (pl.lit(1.0),)
    ),
    "onboarding.activation_rate": Explainer(
        "ratio",
        "events",
        "signups past their activation window",
        outcomes,
        _share(pl.col("activated"), DECIDED),
        weight="share of the decided signups",
        ready=_activation,
    ),
    "onboarding.reached_value_share": Explainer(
        "ratio",
        "events",
        "signups",
        outcomes,
        _share(REACHED, pl.lit(True)),
        weight="share of the signups",
        ready=_value,
    ),
    "onboarding.time_to_value_median_hours": Explainer(
        "quantile",
        "events",
        "signups who reached value",
        outcomes,
        (pl.col("hours_to_value"),),
        ready=_value,
    ),
}
