"""From raw component values to scores, bands and reasons (metrics.md, account health): each
component scaled linearly from its bad value (0) to its good value (100) and clamped; the score
is the weighted mean of the components an account has data for; the reasons are the two
weakest components in plain words. All expressions over the (small) per-account table."""

from __future__ import annotations

import polars as pl

from csmetrics.families.health.params import HealthParams

c = pl.col


def _one(expr: pl.Expr) -> pl.Expr:
    return expr.round(1).cast(pl.String)


def _money(expr: pl.Expr) -> pl.Expr:
    """Two decimals, as money is shown (the amounts here are never negative)."""
    cents = (expr * 100).round(0).cast(pl.Int64)
    return pl.format("{}.{}", cents // 100, (cents % 100).cast(pl.String).str.zfill(2))


def raw_values(available: tuple[str, ...]) -> dict[str, pl.Expr]:
    """Each available component's raw value (null where the account has no data for it)."""
    active = c("active_users")
    has_seats = c("seats").fill_null(0) > 0
    base = pl.when(c("mrr_start") > 0).then(c("mrr_start")).otherwise(c("mrr"))
    contraction = (c("mrr_start") - c("mrr")).clip(lower_bound=0)
    values = {
        "frequency": pl.when(active > 0).then(c("user_days") / active),
        "breadth": pl.when(has_seats)
        .then(active / c("seats"))
        .when(c("earlier_max_users") > 0)
        .then(active / c("earlier_max_users")),
        "depth": pl.when(c("features_all") > 0).then(c("features_used") / c("features_all")),
        "trend": pl.when(c("previous_active_users") > 0).then(active / c("previous_active_users")),
        "support": (c("tickets") + c("stale_tickets")) / pl.max_horizontal(active, pl.lit(1)),
        "sentiment": c("sentiment"),
        "billing": pl.when(base > 0).then((c("overdue").fill_null(0) + contraction) / base),
    }
    return {name: values[name].cast(pl.Float64) for name in available}


def reason_texts(available: tuple[str, ...]) -> dict[str, pl.Expr]:
    """Each component's finding in words, with the raw numbers behind it."""
    now = c("user_days") / c("active_users")
    before = c("previous_user_days") / c("previous_active_users")
    fell = (c("previous_active_users") > 0) & (now < before)
    texts = {
        "frequency": pl.when(fell)
        .then(pl.format("active days per active user fell from {} to {}", _one(before), _one(now)))
        .otherwise(pl.format("{} active days per active user", _one(now.fill_null(0)))),
        "breadth": pl.when(c("seats").fill_null(0) > 0)
        .then(pl.format("{} of {} seats active", c("active_users"), c("seats")))
        .otherwise(
            pl.format(
                "{} active users, {} at most before", c("active_users"), c("earlier_max_users")
            )
        ),
        "depth": pl.format("{} of {} features used", c("features_used"), c("features_all")),
        "trend": pl.format(
            "active users {} from {} to {}",
            pl.when(c("active_users") < c("previous_active_users"))
            .then(pl.lit("fell"))
            .otherwise(pl.lit("went")),
            c("previous_active_users"),
            c("active_users"),
        ),
        "support": pl.format(
            "{} tickets and {} open over 7 days for {} active users",
            c("tickets"),
            c("stale_tickets"),
            c("active_users"),
        ),
        "sentiment": pl.format(
            "NPS answers average {} (n={})", _one(c("sentiment")), c("respondents")
        ),
        "billing": pl.format(
            "overdue {}, MRR {} -> {}",
            _money(c("overdue").fill_null(0)),
            _money(c("mrr_start")),
            _money(c("mrr")),
        ),
    }
    return {name: texts[name] for name in available}


def scored(table: pl.DataFrame, available: tuple[str, ...], params: HealthParams) -> pl.DataFrame:
    """The table with `<component>`, `<component>_score`, `score`, `band`, `components` (the
    ones the score used) and `reasons`."""
    raw = raw_values(available)
    table = table.with_columns(expr.alias(name) for name, expr in raw.items())
    scores = {}
    for name in available:
        good, bad = params.bounds[name]
        # + 0.0 turns the -0.0 of a raw value at its bad bound into 0.0
        scores[f"{name}_score"] = ((c(name) - bad) / (good - bad)).clip(0, 1) * 100 + 0.0
    table = table.with_columns(expr.alias(name) for name, expr in scores.items())
    weighted = [n for n in available if params.weights.get(n, 0) > 0]
    has = {n: c(f"{n}_score").is_not_null() for n in weighted}
    numerator = (
        pl.sum_horizontal(
            pl.when(has[n]).then(c(f"{n}_score") * params.weights[n]).otherwise(0.0)
            for n in weighted
        )
        if weighted
        else pl.lit(0.0)
    )
    denominator = (
        pl.sum_horizontal(
            pl.when(has[n]).then(pl.lit(params.weights[n])).otherwise(0.0) for n in weighted
        )
        if weighted
        else pl.lit(0.0)
    )
    score = pl.when(denominator > 0).then(numerator / denominator)
    band = (
        pl.when(score >= params.green)
        .then(pl.lit("green"))
        .when(score >= params.yellow)
        .then(pl.lit("yellow"))
        .when(score.is_not_null())
        .then(pl.lit("red"))
    )
    used = (
        pl.concat_list(
            pl.when(has[n]).then(pl.lit(n)).otherwise(pl.lit(None, pl.String)) for n in weighted
        ).list.drop_nulls()
        if weighted
        else pl.lit([], pl.List(pl.String))
    )
    table = table.with_columns(
        score.alias("score"), band.alias("band"), used.list.join(", ").alias("components")
    )
    return table.with_columns(_reasons(table, available, weighted).alias("reasons"))


def _reasons(table: pl.DataFrame, available: tuple[str, ...], weighted: list[str]) -> pl.Series:
    """The two lowest-scored components' texts, joined (ties: the order of the spec)."""
    if not weighted:
        return pl.Series("reasons", [None] * table.height, dtype=pl.String)
    texts = reason_texts(available)
    order = {name: i for i, name in enumerate(available)}
    long = pl.concat(
        [
            table.select(
                pl.int_range(pl.len()).alias("row"),
                c(f"{n}_score").alias("value"),
                texts[n].alias("text"),
                pl.lit(order[n]).alias("order"),
            )
            for n in weighted
        ]
    ).filter(c("value").is_not_null())
    weakest = long.group_by("row").agg(
        c("text").sort_by("value", "order").head(2).str.join("; ").alias("reasons")
    )
    rows = pl.DataFrame({"row": pl.int_range(table.height, eager=True)})
    return rows.join(weakest, on="row", how="left").sort("row")["reasons"]
