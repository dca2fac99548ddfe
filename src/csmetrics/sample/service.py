"""The sample's help-desk tickets and survey answers (NPS, CSAT, CES)."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import polars as pl

from csmetrics.core.timeparts import UTC
from csmetrics.sample.people import CHANNELS, PRIORITIES, weighted_choice


def make_tickets(
    rng: np.random.Generator, accounts: pl.DataFrame, start: date, end: date
) -> pl.DataFrame:
    """Tickets per account by segment; replies and solves after lognormal delays, as of `end`."""
    per_segment = {"smb": 4, "mid-market": 9, "enterprise": 20}
    counts = rng.poisson([per_segment[s] for s in accounts["segment"]])
    account = np.repeat(accounts["account_id"].to_numpy(), counts)
    n = account.size
    micro = 1_000_000
    created = np.datetime64(start.isoformat(), "us") + (
        rng.integers(0, (end - start).days * 86400, n) * micro
    ).astype("timedelta64[us]")
    first = created + (rng.lognormal(0.8, 1.1, n) * 3600 * micro).astype("timedelta64[us]")
    solved = first + (rng.lognormal(2.5, 1.3, n) * 3600 * micro).astype("timedelta64[us]")
    until = np.datetime64(end.isoformat(), "us")
    answered = first < until
    done = answered & (solved < until) & (rng.random(n) > 0.05)
    rated = done & (rng.random(n) < 0.4)
    rating = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.05, 0.05, 0.1, 0.3, 0.5])
    frame = pl.DataFrame(
        {
            "ticket_id": (np.arange(n) + 1001).astype(str),
            "created_at": created,
            "first_response_at": first,
            "solved_at": solved,
            "account_id": account,
            "requester_id": pl.Series([None] * n, dtype=pl.String),
            "status": np.where(done, "solved", np.where(answered, "open", "new")),
            "channel": weighted_choice(rng, CHANNELS, n),
            "priority": weighted_choice(rng, PRIORITIES, n),
            "group": np.where(rng.random(n) < 0.2, "billing", "support"),
            "agent_replies": np.where(answered, 1 + rng.poisson(0.8, n), 0),
            "reopens": (rng.random(n) < 0.08).astype(np.int64),
            "satisfaction": rating,
            "_answered": answered,
            "_done": done,
            "_rated": rated,
        }
    )
    return (
        frame.with_columns(
            pl.when("_answered").then("first_response_at").alias("first_response_at"),
            pl.when("_done").then("solved_at").alias("solved_at"),
            pl.when("_rated").then("satisfaction").alias("satisfaction"),
        )
        .with_columns(
            pl.col(c).dt.replace_time_zone("UTC")
            for c in ("created_at", "first_response_at", "solved_at")
        )
        .drop("_answered", "_done", "_rated")
    )


def make_surveys(
    rng: np.random.Generator, users: pl.DataFrame, tickets: pl.DataFrame, end: date
) -> pl.DataFrame:
    """NPS from a quarter of users some weeks after signup, CES from some of them, and CSAT
    from rated tickets two hours after their solve."""
    until = datetime(end.year, end.month, end.day, tzinfo=UTC)
    asked = users.filter(pl.col("user_id").hash(seed=3) % 4 == 0)
    n = asked.height
    nps_shares = [0.02, 0.01, 0.02, 0.03, 0.04, 0.06, 0.07, 0.15, 0.2, 0.2, 0.2]
    nps = asked.select(
        (
            pl.col("signup").cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
            + pl.duration(days=pl.lit(pl.Series(rng.integers(20, 200, n))))
        ).alias("submitted_at"),
        pl.lit("nps").alias("survey"),
        pl.Series("score", rng.choice(11, size=n, p=nps_shares)),
        pl.col("user_id").alias("respondent_id"),
        "account_id",
        pl.Series("_praise", rng.random(n) < 0.3),
    ).with_columns(
        comment=pl.when((pl.col("score") >= 9) & pl.col("_praise")).then(pl.lit("Great support!"))
    )
    ces = nps.filter(pl.Series(rng.random(n) < 0.3)).with_columns(
        pl.col("submitted_at") + pl.duration(hours=1),
        survey=pl.lit("ces"),
        comment=pl.lit(None, pl.String),
    )
    ces = ces.with_columns(score=pl.Series(rng.integers(2, 8, ces.height)))
    csat = tickets.filter(
        pl.col("solved_at").is_not_null() & pl.col("satisfaction").is_not_null()
    ).select(
        (pl.col("solved_at") + pl.duration(hours=2)).alias("submitted_at"),
        pl.lit("csat").alias("survey"),
        pl.col("satisfaction").alias("score"),
        pl.lit(None, pl.String).alias("respondent_id"),
        "account_id",
        pl.lit(None, pl.String).alias("comment"),
    )
    columns = [
        "submitted_at",
        "survey",
        "component",
        "score",
        "respondent_id",
        "account_id",
        "comment",
    ]
    frames = (_commented(nps), ces, csat, _cxi(nps))
    frame = pl.concat(
        [
            (f if "component" in f.columns else f.with_columns(component=pl.lit(None, pl.String)))
            .select(columns)
            .with_columns(pl.col("score").cast(pl.Int64))
            for f in frames
        ]
    )
    return frame.filter(pl.col("submitted_at") < until).sort(
        "submitted_at", "survey", "account_id", "component"
    )


CXI_COMPONENTS = ("effort", "empathy", "understanding", "efficiency")
# what detractors, passives and promoters write, in English and Indonesian (the teams these
# surveys come from often ask in Indonesian): the comment terms have something to find
COMMENTS = {
    "low": (
        "Support is slow and the dashboard keeps breaking",
        "Too slow, support took days to answer",
        "Slow support, export broken again",
        "Dukungan lambat sekali, dashboard sering error",
        "Pricing too expensive for what we get",
        "Export broken, support slow to reply",
    ),
    "middle": (
        "Good product but the reports could be faster",
        "Fine overall, dashboard is ok",
        "Cukup bagus, tapi laporan lambat",
    ),
    "high": (
        "Easy to use, the team loves the dashboard",
        "Great support, very fast answers",
        "Sangat mudah digunakan, tim support cepat",
        "Easy setup and great integrations",
        "Fast and easy reports",
    ),
}


def _commented(nps: pl.DataFrame) -> pl.DataFrame:
    """Most NPS answers without a comment get one from COMMENTS, by their score. Its own
    random stream, so the other sources and the scores stay as they were."""
    rng = np.random.default_rng(2025)
    n = nps.height
    scores = nps["score"].to_numpy()
    banks = {key: np.array(bank, dtype=object) for key, bank in COMMENTS.items()}
    drawn = {key: bank[rng.integers(0, len(bank), n)] for key, bank in banks.items()}
    written = np.where(
        scores <= 6, drawn["low"], np.where(scores <= 8, drawn["middle"], drawn["high"])
    )
    wanted = pl.Series(rng.random(n) < 0.8)
    extra = pl.Series("extra", written, dtype=pl.String)
    comment = pl.coalesce(pl.col("comment"), pl.when(wanted).then(extra))
    return nps.with_columns(comment.alias("comment"))


def _cxi(nps: pl.DataFrame) -> pl.DataFrame:
    """A CX index survey (1-5) of a fifth of the NPS respondents, a day after their NPS answer:
    one answer per component. Its own random stream, so the other sources stay as they were."""
    rng = np.random.default_rng(2024)
    asked = nps.filter(pl.Series(rng.random(nps.height) < 0.2))
    shares = [0.05, 0.1, 0.2, 0.4, 0.25]  # 1 to 5
    parts = [
        asked.select(
            (pl.col("submitted_at") + pl.duration(days=1)).alias("submitted_at"),
            pl.lit("cxi").alias("survey"),
            pl.lit(component).alias("component"),
            pl.Series("score", rng.choice(5, size=asked.height, p=shares) + 1),
            "respondent_id",
            "account_id",
            pl.lit(None, pl.String).alias("comment"),
        )
        for component in CXI_COMPONENTS
    ]
    return pl.concat(parts)
