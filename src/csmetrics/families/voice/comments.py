"""What comments say (metrics.md, voice): the terms, single words and two-word phrases, most
over-represented among the low answers of a survey against its high ones (NPS detractors 0-6
against promoters 9-10; CSAT 1-2 against 4-5; CES 1-3 against 5-7), by the weighted log-odds
ratio with an informative Dirichlet prior of Monroe, Colaresi and Quinn (2008):

    delta_w = log((y_lw + a_w) / (n_l + a_0 - y_lw - a_w)) - log((y_hw + a_w) / (n_h + a_0 - y_hw - a_w))
    score_w = delta_w / sqrt(1 / (y_lw + a_w) + 1 / (y_hw + a_w))

y_gw the answers of group g that use term w, n_g the sum of y_gw over the group's terms, and
the prior a_w = PRIOR_SIZE x the term's share of both groups' uses: a frequent filler word is
expected to be frequent, so it does not win. A term used equally in both groups scores 0.

Comments are private (data.md): the table holds terms only, each used by at least
MIN_RESPONDENTS answers; e-mail addresses, URLs and numbers are dropped before any term is
made; lower-casing and accent folding first; English and Indonesian stop words (stopwordsiso).
"""

from __future__ import annotations

import functools

import polars as pl

MIN_RESPONDENTS = 5
PRIOR_SIZE = 100.0  # a_0: the prior's weight, in term uses
OTHER_FLOOR = 0.5
# survey -> (low group, its scores, high group, its scores)
GROUPS: dict[str, tuple[str, tuple[int, int], str, tuple[int, int]]] = {
    "nps": ("detractors", (0, 6), "promoters", (9, 10)),
    "csat": ("dissatisfied", (1, 2), "satisfied", (4, 5)),
    "ces": ("difficult", (1, 3), "easy", (5, 7)),
}
PRIVATE = r"(?:https?://|www\.)\S+|\S+@\S+"  # URLs and e-mail addresses
WORD = r"[a-z]+"  # after folding: letters only, so numbers never make a term


@functools.cache
def stop_words() -> list[str]:
    """English and Indonesian stop words, folded like the comments."""
    from stopwordsiso import stopwords

    words = pl.Series(sorted(stopwords(["en", "id"])))
    return _folded(words.to_frame("w").lazy(), "w").collect()["w"].unique().sort().to_list()


def _folded(frame: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """Lower-cased, accents folded (NFKD, then the combining marks dropped)."""
    text = pl.col(column).str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    return frame.with_columns(text.alias(column))


def _group(survey: str) -> pl.Expr:
    _, (low_a, low_b), _, (high_a, high_b) = GROUPS[survey]
    score = pl.col("score")
    return (
        pl.when(score.is_between(low_a, low_b))
        .then(pl.lit("low"))
        .when(score.is_between(high_a, high_b))
        .then(pl.lit("high"))
    )


def commented(answers: pl.LazyFrame) -> pl.LazyFrame:
    """The answers with a comment in a low or a high group, with `group`."""
    return pl.concat(
        [
            answers.filter(pl.col("survey") == survey).with_columns(_group(survey).alias("group"))
            for survey in GROUPS
        ]
    ).filter(pl.col("group").is_not_null() & pl.col("comment").is_not_null())


def answer_counts(grouped: pl.LazyFrame) -> pl.LazyFrame:
    """Per survey and group: the answers with a comment (the shares' denominators)."""
    return grouped.group_by("survey", "group").agg(pl.len().alias("answers"))


def term_uses(grouped: pl.LazyFrame) -> pl.LazyFrame:
    """Per survey, group (low or high) and term: the answers using it.

    Words are exploded to one row each and the stop words removed by a join-like `is_in` on the
    long column: filtering inside each answer's list was 6 s of 15 at 1M answers. A phrase is
    a kept word and the next kept word of the same answer (explode and filter keep the
    answer's word order)."""
    numbered = grouped.with_row_index("answer")
    cleaned = _folded(
        numbered.with_columns(pl.col("comment").str.replace_all(PRIVATE, " ")), "comment"
    )
    words = cleaned.select(
        "answer", "survey", "group", pl.col("comment").str.extract_all(WORD).alias("term")
    ).explode("term")
    stop = pl.Series(stop_words(), dtype=pl.String)
    kept = words.filter(
        ~pl.col("term").is_in(stop.implode()) & (pl.col("term").str.len_chars() > 1)
    )
    # rows are in answer order: the next row's word, when it is the same answer's
    same = pl.col("answer") == pl.col("answer").shift(-1)
    following = pl.when(same).then(pl.col("term").shift(-1))
    pairs = kept.with_columns((pl.col("term") + " " + following).alias("term")).drop_nulls("term")
    terms = pl.concat([kept, pairs]).unique(subset=["answer", "term"])
    return terms.group_by("survey", "group", "term").agg(pl.len().alias("uses"))


def terms_table(uses: pl.DataFrame, answers: pl.DataFrame) -> pl.DataFrame:
    """The comment_terms table: per survey and term used by MIN_RESPONDENTS answers or more,
    its uses and shares in each group, its log-odds and score (positive: the low group's)."""
    wide = uses.pivot(on="group", index=["survey", "term"], values="uses").lazy()
    for side in ("low", "high"):
        if side not in wide.collect_schema():
            wide = wide.with_columns(pl.lit(0, pl.UInt32).alias(side))
    wide = wide.with_columns(pl.col("low", "high").fill_null(0).cast(pl.Float64))
    totals = pl.col("low").sum().over("survey"), pl.col("high").sum().over("survey")
    prior = PRIOR_SIZE * (pl.col("low") + pl.col("high")) / (totals[0] + totals[1])
    scored = wide.with_columns(n_low=totals[0], n_high=totals[1], prior=prior)
    low, high, a = pl.col("low"), pl.col("high"), pl.col("prior")
    # the uses of every other term, prior included; at least half a use, so that a term that
    # is a group's whole vocabulary has finite odds (a corpus of one word scores 0, not NaN)
    rest_low = (pl.col("n_low") + PRIOR_SIZE - low - a).clip(lower_bound=OTHER_FLOOR)
    rest_high = (pl.col("n_high") + PRIOR_SIZE - high - a).clip(lower_bound=OTHER_FLOOR)
    odds_low = ((low + a) / rest_low).log()
    odds_high = ((high + a) / rest_high).log()
    delta = odds_low - odds_high
    scored = scored.with_columns(
        log_odds=delta, score=delta / (1 / (low + a) + 1 / (high + a)).sqrt()
    )
    per_group = answers.pivot(on="group", index="survey", values="answers").lazy()
    for side in ("low", "high"):
        if side not in per_group.collect_schema():
            per_group = per_group.with_columns(pl.lit(None, pl.UInt32).alias(side))
    per_group = per_group.rename({"low": "low_answers", "high": "high_answers"})
    shares = scored.join(per_group, on="survey", how="left")
    names = pl.col("survey").replace_strict(
        {s: g[0] for s, g in GROUPS.items()}, return_dtype=pl.String
    )
    table = shares.filter(low + high >= MIN_RESPONDENTS).select(
        "survey",
        "term",
        pl.when(pl.col("score") > 0)
        .then(names)
        .when(pl.col("score") < 0)
        .then(
            pl.col("survey").replace_strict(
                {s: g[2] for s, g in GROUPS.items()}, return_dtype=pl.String
            )
        )
        .alias("group"),
        low.cast(pl.Int64).alias("low_uses"),
        high.cast(pl.Int64).alias("high_uses"),
        (low / pl.col("low_answers")).alias("low_share"),
        (high / pl.col("high_answers")).alias("high_share"),
        "log_odds",
        "score",
    )
    # the strongest terms of either group first, so a terminal's first rows show both groups
    strength = pl.col("score").abs()
    return table.sort(["survey", strength, "term"], descending=[False, True, False]).collect()
