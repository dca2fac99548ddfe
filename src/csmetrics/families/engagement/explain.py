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

from datetime import date, datetime, timedelta

import polars as pl

from csmetrics.core.timeparts import local_date
from csmetrics.families.base import Frames, RunContext
from csmetrics.families.engagement.params import LOOKBACK_DAYS, ROLLING_WINDOWS, EngagementParams
from csmetrics.families.engagement.timeline import active_events
from csmetrics.families.explainer import Explainer, Segments, per_unit_latest

MAU_DAYS = ROLLING_WINDOWS["mau30"]


def shared(frames: Frames, ctx: RunContext, params: EngagementParams) -> dict[str, pl.LazyFrame]:
    """What every window of one explain or history reads, computed once over the span of them
    all (`ctx.window`): each user's active days, from MAU30's reach before the first window."""
    days = _active_days(frames, ctx, params).cache()
    first = ctx.window.first_day - timedelta(days=LOOKBACK_DAYS)
    return {USER_DAYS: days, DAILY: _daily_counts(days, first, ctx.window.last_day).cache()}


USER_DAYS, DAILY = "__user_days", "__daily"


def _active_days(frames: Frames, ctx: RunContext, params: EngagementParams) -> pl.LazyFrame:
    window = ctx.window
    active = active_events(frames["events"], window, params).filter(
        pl.col("timestamp") >= _reach(ctx)
    )
    day = local_date(pl.col("timestamp"), window.timezone).alias("day")
    return active.select("user_id", day).unique()


def _reach(ctx: RunContext) -> datetime:
    """MAU30's reach: the midnight LOOKBACK_DAYS before the window's first day."""
    return ctx.window.midnight(ctx.window.first_day - timedelta(days=LOOKBACK_DAYS))


def _user_days(frames: Frames, ctx: RunContext, params: EngagementParams) -> pl.LazyFrame:
    """Each user's active days, from MAU30's reach before the window's first day to `until`:
    from the shared days when there are some and `until` is a midnight (a whole last day)."""
    window = ctx.window
    if USER_DAYS in frames and window.until == window.midnight(window.last_day + timedelta(days=1)):
        first = window.first_day - timedelta(days=LOOKBACK_DAYS)
        return frames[USER_DAYS].filter(pl.col("day").is_between(first, window.last_day))
    return _active_days(frames, ctx, params)


def _users(
    frames: Frames, ctx: RunContext, params: EngagementParams, segments: Segments
) -> pl.LazyFrame:
    """One row per user active in the reach of the window, with its segment columns (none for
    a history: then the users of the active days)."""
    if not segments.by:
        return _user_days(frames, ctx, params).select("user_id").unique()
    window = ctx.window
    active = active_events(frames["events"], window, params).filter(
        pl.col("timestamp") >= _reach(ctx)
    )
    return segments.attach(per_unit_latest(active, "user_id", "timestamp", segments.carry))


def _complete_days(ctx: RunContext) -> list[date]:
    window = ctx.window
    observed = ctx.observed["events"]
    return [d for d in window.days() if not window.is_partial(d, d + timedelta(days=1), observed)]


def _is_complete(ctx: RunContext) -> pl.Expr:
    return pl.col("day").is_in(pl.Series(_complete_days(ctx), dtype=pl.Date).implode())


def _daily_counts(days: pl.LazyFrame, first: date, last: date) -> pl.LazyFrame:
    """Per calendar day from `first` to `last` + 30 (so every span end finds its day): `dau`
    and `mau`, the users whose MAU30 span covers it (the spans' starts less their ends so far)."""
    calendar = pl.LazyFrame(
        {"day": pl.date_range(first, last + timedelta(days=MAU_DAYS), eager=True)}
    )
    dau = days.group_by("day").agg(pl.len().alias("dau"))
    ends = _spans(days).group_by(pl.col("end").alias("day")).agg(pl.len().alias("ends"))
    counts = calendar.join(dau, on="day", how="left").join(ends, on="day", how="left")
    counts = counts.with_columns(pl.col("dau", "ends").fill_null(0)).sort("day")
    return counts.select(
        "day", "dau", (pl.col("dau").cum_sum() - pl.col("ends").cum_sum()).alias("mau")
    )


def _daily(frames: Frames, days: pl.LazyFrame, ctx: RunContext) -> pl.LazyFrame:
    """The daily counts of the window's reach: from the shared ones when there are some (a
    user's MAU30 span ends at its next active day, which a later window may add, but only
    after the window's last day, so the counts up to it are the same)."""
    window = ctx.window
    first = window.first_day - timedelta(days=LOOKBACK_DAYS)
    if DAILY in frames and USER_DAYS in frames:
        upto = window.last_day + timedelta(days=MAU_DAYS)
        return frames[DAILY].filter(pl.col("day").is_between(first, upto))
    return _daily_counts(days, first, window.last_day)


def _daily_weights(frames: Frames, days: pl.LazyFrame, ctx: RunContext) -> pl.LazyFrame:
    """Per calendar day of the reach: `inverse` (1 / MAU30 on a complete day with MAU30 > 0,
    else 0) and `before` (P: the sum of `inverse` over the days before it)."""
    counts = _daily(frames, days, ctx)
    complete = _is_complete(ctx) & (pl.col("mau") > 0)
    weights = counts.with_columns(
        pl.when(complete).then(1.0 / pl.col("mau")).otherwise(0.0).alias("inverse")
    )
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
    active days) and `in_mau` (over the complete days whose MAU30 it is in). Without segments
    (a history), per complete day instead: DAU / MAU30 and 1, the same sums at a fraction of
    the cost."""
    # read twice (the daily weights and the spans): cached, or it is computed twice (-1 s of
    # 3.5 s per window at 20M events)
    days = _user_days(frames, ctx, params).cache()
    if not segments.by:
        counted = _daily(frames, days, ctx).filter(_is_complete(ctx) & (pl.col("mau") > 0))
        return counted.select(
            (pl.col("dau") / pl.col("mau")).alias("sticky"), pl.lit(1.0).alias("in_mau")
        )
    weights = _daily_weights(frames, days, ctx)
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
    days = _user_days(frames, ctx, params).filter(pl.col("day") >= window.first_day)
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
