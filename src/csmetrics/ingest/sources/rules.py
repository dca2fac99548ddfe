"""Source value rules (data.md): values every family reads the same way, applied once in loading.

`normalised` gives each source's canonical spellings (survey kinds, invoice statuses, the
`recurring` default). `RULES` are the values that are read but must not count: each either drops
its rows or clears one value, and is counted for `validate` and the report's warnings, never
silently applied.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

import polars as pl

# the widest scale each kind may use; a CX index survey declares its own (1-5, 1-7 or 0-10:
# voice's cxi_scale), which voice holds its answers to
SURVEY_SCALES: dict[str, tuple[int, int]] = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    "cxi": (0, 10),
}
SURVEY_ALIASES = {
    "net promoter score": "nps",
    "customer satisfaction": "csat",
    "customer effort score": "ces",
    "customer experience index": "cxi",
    "cx index": "cxi",
}
INVOICE_STATUSES = ("paid", "open", "void", "uncollectible", "draft")
# Vendor spellings of the canonical statuses (Chargebee: posted, payment_due, not_paid, voided,
# pending; Stripe uses the canonical ones).
STATUS_ALIASES = {
    "voided": "void",
    "posted": "open",
    "payment_due": "open",
    "not_paid": "open",
    "pending": "open",
    "unpaid": "open",
}
IGNORED_STATUSES = ("void", "draft")
# Help-desk ticket statuses that say the ticket is not (or is) solved: Zendesk, Freshdesk,
# Intercom, Help Scout spellings. Support reads `solved_at`; the status only cross-checks it.
UNSOLVED_TICKET_STATUSES = ("new", "open", "pending", "hold", "on-hold", "on hold", "snoozed",
                            "active", "waiting on customer", "waiting on third party")  # fmt: skip
SOLVED_TICKET_STATUSES = ("solved", "closed", "resolved")
RATING_SCALE = (1.0, 5.0)


@dataclass(frozen=True)
class Rule:
    """Rows (`hits`) that are dropped, have their `column` cleared, or are only counted."""

    code: str
    kind: str
    needs: tuple[str, ...]  # canonical columns the rule reads
    hits: pl.Expr
    message: str  # completed with the count: "{count} ..."
    effect: Literal["drop", "clear", "count"] = "drop"
    column: str | None = None  # the column `clear` sets to null

    def applies(self, columns: Collection[str]) -> bool:
        return all(c in columns for c in self.needs)


def _lower(name: str) -> pl.Expr:
    return pl.col(name).str.strip_chars().str.to_lowercase()


def normalised(kind: str, columns: Collection[str]) -> list[pl.Expr]:
    """Expressions giving the canonical spelling of the columns that have one."""
    out: list[pl.Expr] = []
    if kind == "surveys" and "survey" in columns:
        out.append(_lower("survey").replace(SURVEY_ALIASES).alias("survey"))
    if kind == "surveys" and "component" in columns:
        out.append(_lower("component"))
    if kind == "billing" and "status" in columns:
        out.append(_lower("status").replace(STATUS_ALIASES).alias("status"))
    if kind == "billing" and "recurring" in columns:
        out.append(pl.col("recurring").fill_null(True))
    return out


def _outside_scale() -> pl.Expr:
    score, survey = pl.col("score"), pl.col("survey")
    inside = pl.lit(False)
    for name, (low, high) in SURVEY_SCALES.items():
        inside = inside | ((survey == name) & score.is_between(low, high))
    return survey.is_in(list(SURVEY_SCALES)) & ~inside


RULES: tuple[Rule, ...] = (
    Rule(
        "unknown_survey",
        "surveys",
        ("survey",),
        pl.col("survey").is_not_null() & ~pl.col("survey").is_in(list(SURVEY_SCALES)),
        "{count} survey answers of an unknown kind (not nps, csat, ces or cxi) were dropped",
    ),
    Rule(
        "score_out_of_scale",
        "surveys",
        ("survey", "score"),
        _outside_scale(),
        "{count} survey scores outside their scale (nps 0-10, csat 1-5, ces 1-7, cxi 0-10) were "
        "dropped",
    ),
    Rule(
        "rating_out_of_scale",
        "tickets",
        ("satisfaction",),
        ~pl.col("satisfaction").is_between(*RATING_SCALE),
        "{count} ticket satisfaction ratings outside 1-5 were treated as not rated",
        effect="clear",
        column="satisfaction",
    ),
    Rule(
        "unsolved_status_with_solved_at",
        "tickets",
        ("status", "solved_at"),
        _lower("status").is_in(list(UNSOLVED_TICKET_STATUSES)) & pl.col("solved_at").is_not_null(),
        "{count} tickets have an unsolved status (new, open, pending, hold...) but a solved_at; "
        "they count as solved at that time",
        effect="count",
    ),
    Rule(
        "solved_status_without_solved_at",
        "tickets",
        ("status", "solved_at"),
        _lower("status").is_in(list(SOLVED_TICKET_STATUSES)) & pl.col("solved_at").is_null(),
        "{count} tickets have status solved, closed or resolved but no solved_at; they count as "
        "unsolved (in the backlog)",
        effect="count",
    ),
    Rule(
        "ignored_invoice_lines",
        "billing",
        ("status",),
        pl.col("status").is_in(list(IGNORED_STATUSES)),
        "{count} void or draft invoice lines are ignored everywhere",
    ),
    Rule(
        "unknown_invoice_status",
        "billing",
        ("status",),
        pl.col("status").is_not_null()
        & ~pl.col("status").is_in([*INVOICE_STATUSES, *STATUS_ALIASES]),
        "{count} invoice lines have a status other than paid, open, void, uncollectible or "
        "draft; they are kept as they are",
        effect="count",
    ),
)


def rules_for(kind: str, columns: Collection[str]) -> list[Rule]:
    return [rule for rule in RULES if rule.kind == kind and rule.applies(columns)]


def apply_rules(kind: str, frame: pl.LazyFrame, columns: Collection[str]) -> pl.LazyFrame:
    """The frame with canonical spellings, rows dropped and values cleared by the rules."""
    frame = frame.with_columns(normalised(kind, columns))
    for rule in rules_for(kind, columns):
        hit = rule.hits.fill_null(False)
        if rule.effect == "drop":
            frame = frame.filter(~hit)
        elif rule.effect == "clear" and rule.column is not None:
            frame = frame.with_columns(
                pl.when(hit).then(None).otherwise(pl.col(rule.column)).alias(rule.column)
            )
    return frame
