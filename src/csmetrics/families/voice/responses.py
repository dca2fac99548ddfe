"""Survey answers as voice metrics (metrics.md): only each respondent's latest answer per survey
counts; NPS with its 95% margin of error, CSAT, CES; the same aggregations serve the headline,
each trend bucket and each `--by` value."""

from __future__ import annotations

import polars as pl

from csmetrics.core.window import Window
from csmetrics.families.shared.exact import exact_mean
from csmetrics.families.shared.surveys import DETRACTOR_MAX, EASY_MIN, PROMOTER_MIN, SATISFIED_MIN

Z95 = 1.96


def latest_answers(surveys: pl.LazyFrame, window: Window, *keys: str) -> pl.LazyFrame:
    """The window's answers, one per respondent, survey (and `keys`, e.g. a trend bucket): the
    latest; answers without a respondent each count."""
    answers = surveys.filter(
        pl.col("submitted_at").is_between(window.since, window.until, closed="left")
    )
    schema = answers.collect_schema()
    if "respondent_id" not in schema:
        return answers
    # a CX index respondent answers each component once: the latest per component counts
    group = ["survey", "respondent_id", *(["component"] if "component" in schema else []), *keys]
    known = pl.col("respondent_id").is_not_null()
    last = pl.col("submitted_at") == pl.col("submitted_at").max().over(group)
    latest = answers.filter(known).filter(last)
    # ties at one instant keep the highest score, so the result never depends on row order
    best = latest.filter(pl.col("score") == pl.col("score").max().over(group))
    return pl.concat(
        [best.unique(subset=group, keep="any"), answers.filter(~known)], how="vertical"
    )


def nps_measures(prefix: str = "voice.") -> list[pl.Expr]:
    """NPS, its margin and the response count, over `survey == "nps"` rows."""
    nps = pl.col("survey") == "nps"
    score = pl.col("score").filter(nps)
    n = score.len()
    promoters = (score >= PROMOTER_MIN).sum() / n
    detractors = (score <= DETRACTOR_MAX).sum() / n
    margin = (
        Z95 * (promoters + detractors - (promoters - detractors) ** 2).clip(0).sqrt() / n.sqrt()
    )
    return [
        pl.when(n > 0).then(100 * (promoters - detractors)).alias(f"{prefix}nps"),
        pl.when(n > 0).then(100 * margin).alias(f"{prefix}nps_margin_of_error"),
        n.cast(pl.Float64).alias(f"{prefix}nps_responses_count"),
    ]


def scale_measures(prefix: str = "voice.") -> list[pl.Expr]:
    """CSAT rate and mean, CES mean and easy share."""
    csat = pl.col("score").filter(pl.col("survey") == "csat")
    ces = pl.col("score").filter(pl.col("survey") == "ces")
    return [
        pl.when(csat.len() > 0).then((csat >= SATISFIED_MIN).mean()).alias(f"{prefix}csat_rate"),
        exact_mean(csat).alias(f"{prefix}csat_mean"),
        exact_mean(ces).alias(f"{prefix}ces_mean"),
        pl.when(ces.len() > 0).then((ces >= EASY_MIN).mean()).alias(f"{prefix}ces_easy_share"),
    ]


def trend_counts() -> list[pl.Expr]:
    nps = pl.col("survey") == "nps"
    score = pl.col("score").filter(nps)
    return [
        score.len().alias("responses"),
        (score >= PROMOTER_MIN).sum().alias("promoters"),
        score.is_between(DETRACTOR_MAX + 1, PROMOTER_MIN - 1).sum().alias("passives"),
        (score <= DETRACTOR_MAX).sum().alias("detractors"),
        *(e.name.map(lambda n: n.removeprefix("voice.")) for e in nps_measures()[:2]),
    ]


def ticket_csat(tickets: pl.LazyFrame, window: Window) -> pl.LazyFrame:
    """CSAT from ticket ratings: the window's rated tickets rated 4-5 (good reads as 5)."""
    rated = tickets.filter(
        pl.col("created_at").is_between(window.since, window.until, closed="left")
        & pl.col("satisfaction").is_not_null()
    )
    return rated.select(
        pl.when(pl.len() > 0)
        .then((pl.col("satisfaction") >= SATISFIED_MIN).mean())
        .alias("csat_rate"),
        pl.len().alias("rated"),
    )
