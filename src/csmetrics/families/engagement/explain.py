"""How `explain` splits engagement's metrics by segment (families/explainer.py). The units are
users, each in one segment: its values on the user's latest active event before `until` (an
events column), or its account's (an accounts column).

Stickiness is the mean over the window's complete days d of DAU(d) / MAU30(d) (metrics.md). As
a ratio of sums over users it is exact with per-day weights: a user adds 1 / MAU30(d) to the
numerator for each complete day d it is active, and 1 / MAU30(d) to the denominator for each
complete day whose MAU30 it is in. Summed over everyone, the numerator is the sum of the daily
ratios and the denominator the count of days (with MAU30 > 0), so their ratio is the headline;
a segment's weight is its mean share of MAU30 and its ratio the stickiness of its users.

A user is in MAU30(d) for the days from each active day e up to the next active day or e + 30
days, whichever is first: disjoint spans, so with P(x) the sum of 1 / MAU30(d) over the complete
days before x, a span [a, b) adds P(b) - P(a).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from csmetrics.core.timeparts import local_date
from csmetrics.families.base import Frames, RunContext
from csmetrics.families.engagement.params import LOOKBACK_DAYS, ROLLING_WINDOWS, EngagementParams
from csmetrics.families.engagement.timeline import active_events
from csmetrics.families.explainer import Explainer, Segments, per_unit_latest

MAU_DAYS = ROLLING_WINDOWS["mau30"]


def _user_days(frames: Frames, ctx: RunContext, params: EngagementParams) -> pl.LazyFrame:
    """Each user's active days, from MAU30's reach before the window's first day to `until`."""
    window = ctx.window
    start = window.midnight(window.first_day - timedelta(days=LOOKBACK_DAYS))
    active = active_events(frames["events"], window, params).filter(pl.col("timestamp") >= start)
    return active.select("user_id", local_date(pl.col("timestamp"), window.timezone).alias("day"))


def _users(
    frames: Frames, ctx: RunContext, params: EngagementParams, segments: Segments
) -> pl.LazyFrame:
    """One row per user active in the reach of the window, with its segment columns."""
    window = ctx.window
    start = window.midnight(window.first_day - timedelta(days=LOOKBACK_DAYS))
    active = active_events(frames["events"], window, params).filter(pl.col("timestamp") >= start)
    return segments.attach(per_unit_latest(active, "user_id", "timestamp", segments.carry))


def _complete_days(ctx: RunContext) -> list[date]:
    window = ctx.window
    observed = ctx.observed["events"]
    return [d for d in window.days() if not window.is_partial(d, d + timedelta(days=1), observed)]


def _is_complete(ctx: RunContext) -> pl.Expr:
    return pl.col("day").is_in(pl.Series(_complete_days(ctx), dtype=pl.Date).implode())


def _daily_weights(days: pl.LazyFrame, ctx: RunContext) -> pl.LazyFrame:
    """Per calendar day from the reach's start to the window's last day: `inverse` (1 / MAU30
    on a complete day with MAU30 > 0, else 0) and `before` (P: the sum of `inverse` over the
    days before it)."""
    window = ctx.window
    first = window.first_day - timedelta(days=LOOKBACK_DAYS)
    # a calendar to the last span's end, so every span end finds its P
    calendar = pl.LazyFrame(
        {"day": pl.date_range(first, window.last_day + timedelta(days=MAU_DAYS), eager=True)}
    )
    dau = days.group_by("day").agg(pl.len().alias("starts"))
    ends = _spans(days).group_by(pl.col("end").alias("day")).agg(pl.len().alias("ends"))
    complete = _is_complete(ctx)
    counts = calendar.join(dau, on="day", how="left").join(ends, on="day", how="left")
    counts = counts.with_columns(pl.col("starts", "ends").fill_null(0)).sort("day")
    mau = pl.col("starts").cum_sum() - pl.col("ends").cum_sum()
    inverse = pl.when(complete & (mau > 0)).then(1.0 / mau).otherwise(0.0)
    weights = counts.with_columns(inverse.alias("inverse"))
    return weights.with_columns(before=pl.col("inverse").cum_sum() - pl.col("inverse"))


def _spans(days: pl.LazyFrame) -> pl.LazyFrame:
    """Each active day's span in MAU30: [day, the user's next active day or day + 30)."""
    ordered = days.sort("user_id", "day")
    same_user = pl.col("user_id") == pl.col("user_id").shift(-1)
    cap = pl.col("day") + pl.duration(days=MAU_DAYS)
    end = pl.min_horizontal(pl.when(same_user).then(pl.col("day").shift(-1)), cap)
    return ordered.with_columns(end.alias("end"))


def stickiness_users(
    frames: Frames, ctx: RunContext, params: EngagementParams, segments: Segments
) -> pl.LazyFrame:
    """Per user in the reach of MAU30: `sticky` (the sum of 1 / MAU30(d) over its complete
    active days) and `in_mau` (over the complete days whose MAU30 it is in)."""
    # read twice (the daily weights and the spans): cached, or it is computed twice (-1 s of
    # 3.5 s per window at 20M events)
    days = _user_days(frames, ctx, params).unique().cache()
    weights = _daily_weights(days, ctx)
    at_start = weights.select("day", "inverse", pl.col("before").alias("p_start"))
    at_end = weights.select(pl.col("day").alias("end"), pl.col("before").alias("p_end"))
    spans = _spans(days).join(at_start, on="day").join(at_end, on="end")
    per_user = spans.group_by("user_id").agg(
        pl.col("inverse").sum().alias("sticky"),
        (pl.col("p_end") - pl.col("p_start")).sum().alias("in_mau"),
    )
    return _users(frames, ctx, params, segments).join(per_user, on="user_id")


def window_users(
    frames: Frames, ctx: RunContext, params: EngagementParams, segments: Segments
) -> pl.LazyFrame:
    """Per user active in the window: `dau_share`, its complete active days over the window's
    complete days (its part of the mean DAU; null without a complete day)."""
    window = ctx.window
    days = _user_days(frames, ctx, params).unique().filter(pl.col("day") >= window.first_day)
    per_user = days.group_by("user_id").agg(_is_complete(ctx).sum().alias("complete_days"))
    count = len(_complete_days(ctx))
    share = pl.col("complete_days") / count if count else pl.lit(None, pl.Float64)
    users = _users(frames, ctx, params, segments).join(per_user, on="user_id")
    return users.with_columns(share.cast(pl.Float64).alias("dau_share"))


EXPLAINERS: dict[str, Explainer[EngagementParams]] = {
    "engagement.stickiness": Explainer(
        "ratio",
        "events",
        "active users",
        stickiness_users,
        (pl.col("sticky"), pl.col("in_mau")),
        weight="share of MAU30",
    ),
    "engagement.active_users": Explainer(
        "additive", "events", "active users", window_users, (pl.lit(1.0),)
    ),
    "engagement.dau_mean": Explainer(
        "additive", "events", "active users", window_users, (pl.col("dau_share"),)
    ),
}
