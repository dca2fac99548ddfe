"""Support's measures as aggregations over the per-ticket facts (tickets.ticket_facts): the same
expressions give the headline (over every ticket) and each row of a `--by` breakdown."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from csmetrics.families.shared.exact import exact_mean
from csmetrics.families.shared.surveys import SATISFIED_MIN
from csmetrics.families.support.params import SupportParams

SOLVED = pl.col("in_window") & pl.col("solved")  # the window's tickets solved before until


def _share(part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    return pl.when(whole > 0).then(part / whole)


def _durations(column: str, prefix: str, keep: pl.Expr) -> list[pl.Expr]:
    values = pl.col(column).filter(keep)
    return [
        values.median().alias(f"support.{prefix}_median_hours"),
        exact_mean(values).alias(f"support.{prefix}_mean_hours"),
        values.quantile(0.9, interpolation="linear").alias(f"support.{prefix}_p90_hours"),
    ]


def measures(columns: tuple[str, ...], params: SupportParams) -> list[pl.Expr]:
    """One aggregation per headline metric (null where its column or setting is missing)."""
    window = pl.col("in_window")
    created = window.sum()
    solved = SOLVED.sum()
    out = [
        created.cast(pl.Float64).alias("support.tickets_created_count"),
        pl.col("solved_in_window").sum().cast(pl.Float64).alias("support.tickets_solved_count"),
        pl.col("backlog").sum().cast(pl.Float64).alias("support.backlog_count"),
        *_durations("response_hours", "first_response", window & pl.col("answered")),
        _share((window & ~pl.col("answered")).sum(), created).alias("support.unanswered_share"),
        *_durations("resolution_hours", "resolution", SOLVED),
    ]
    reopens = pl.col("reopens").fill_null(0) if "reopens" in columns else pl.lit(0)
    if "agent_replies" in columns:
        first_contact = SOLVED & (pl.col("agent_replies") <= 1) & (reopens == 0)
        out.append(
            _share(first_contact.sum(), solved).alias("support.first_contact_resolution_rate")
        )
    else:
        out.append(pl.lit(None, pl.Float64).alias("support.first_contact_resolution_rate"))
    if "reopens" in columns:
        out.append(
            _share((SOLVED & (pl.col("reopens") > 0)).sum(), solved).alias("support.reopen_rate")
        )
    else:
        out.append(pl.lit(None, pl.Float64).alias("support.reopen_rate"))
    out.append(_sla_breach(params).alias("support.sla_first_response_breach_rate"))
    if "satisfaction" in columns:
        rated = window & pl.col("satisfaction").is_not_null()
        good = rated & (pl.col("satisfaction") >= SATISFIED_MIN)
        out.append(_share(good.sum(), rated.sum()).alias("support.csat_rate"))
        out.append(
            _share((SOLVED & pl.col("satisfaction").is_not_null()).sum(), solved).alias(
                "support.csat_response_rate"
            )
        )
    else:
        out += [
            pl.lit(None, pl.Float64).alias("support.csat_rate"),
            pl.lit(None, pl.Float64).alias("support.csat_response_rate"),
        ]
    return out


def _sla_breach(params: SupportParams) -> pl.Expr:
    """Answered-or-overdue window tickets whose first response took longer than the SLA."""
    if params.sla_first_response is None:
        return pl.lit(None, pl.Float64)
    limit = params.sla_first_response / timedelta(hours=1)
    window, answered, overdue = pl.col("in_window"), pl.col("answered"), pl.col("overdue")
    late = answered & (pl.col("response_hours") > limit)
    return _share((window & (late | overdue)).sum(), (window & (answered | overdue)).sum())


def counted_problems() -> list[pl.Expr]:
    """Counts for the warnings: negative durations dropped, reopens missing."""
    window = pl.col("in_window")
    return [
        (window & pl.col("negative_response")).sum().alias("negative_response"),
        (window & pl.col("negative_resolution")).sum().alias("negative_resolution"),
    ]
