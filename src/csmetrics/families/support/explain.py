"""How `explain` splits support's metrics by segment (families/explainer.py): the units are
tickets, with the same per-ticket facts as the headline (tickets.ticket_facts) and the same
conditions as measures.py, so a segment's numbers are the headline's over its tickets."""

from __future__ import annotations

import polars as pl

from csmetrics.families.base import Frames, RunContext
from csmetrics.families.explainer import Explainer, Segments
from csmetrics.families.shared.surveys import SATISFIED_MIN
from csmetrics.families.support.measures import SOLVED
from csmetrics.families.support.params import SupportParams
from csmetrics.families.support.tickets import ticket_facts

IN_WINDOW = pl.col("in_window")
ANSWERED = IN_WINDOW & pl.col("answered")
RATED = IN_WINDOW & pl.col("satisfaction").is_not_null()
# measures.py reads a missing reopens value (or column) as 0
FIRST_CONTACT = SOLVED & (pl.col("agent_replies") <= 1) & (pl.col("reopens").fill_null(0) == 0)


def tickets(
    frames: Frames, ctx: RunContext, params: SupportParams, segments: Segments
) -> pl.LazyFrame:
    """Every ticket's facts for the window, with its segment columns."""
    facts = ticket_facts(frames["tickets"], ctx.columns, ctx.window, params, segments.carry)
    if "reopens" not in ctx.columns["tickets"]:
        facts = facts.with_columns(reopens=pl.lit(0, pl.Int64))
    return segments.attach(facts)


def _count(condition: pl.Expr) -> pl.Expr:
    return condition.fill_null(False).cast(pl.Float64)


def _additive(condition: pl.Expr) -> Explainer[SupportParams]:
    return Explainer("additive", "tickets", "tickets", tickets, (_count(condition),))


def _ratio(part: pl.Expr, whole: pl.Expr, unit: str) -> Explainer[SupportParams]:
    measures = (_count(part & whole), _count(whole))
    return Explainer("ratio", "tickets", unit, tickets, measures, weight=f"share of the {unit}")


def _hours(column: str, keep: pl.Expr, quantile: float) -> Explainer[SupportParams]:
    measure = (pl.when(keep).then(pl.col(column)),)
    return Explainer("quantile", "tickets", "tickets", tickets, measure, quantile=quantile)


EXPLAINERS: dict[str, Explainer[SupportParams]] = {
    "support.tickets_created_count": _additive(IN_WINDOW),
    "support.tickets_solved_count": _additive(pl.col("solved_in_window")),
    "support.backlog_count": _additive(pl.col("backlog")),
    "support.unanswered_share": _ratio(~pl.col("answered"), IN_WINDOW, "tickets created"),
    "support.first_contact_resolution_rate": _ratio(FIRST_CONTACT, SOLVED, "solved tickets"),
    "support.reopen_rate": _ratio(pl.col("reopens") > 0, SOLVED, "solved tickets"),
    "support.csat_rate": _ratio(pl.col("satisfaction") >= SATISFIED_MIN, RATED, "rated tickets"),
    "support.first_response_median_hours": _hours("response_hours", ANSWERED, 0.5),
    "support.first_response_p90_hours": _hours("response_hours", ANSWERED, 0.9),
    "support.resolution_median_hours": _hours("resolution_hours", SOLVED, 0.5),
    "support.resolution_p90_hours": _hours("resolution_hours", SOLVED, 0.9),
}
