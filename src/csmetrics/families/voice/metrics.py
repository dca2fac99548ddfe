"""The voice family's metrics and tables (metrics.md)."""

from csmetrics.core.declarations import Metric, Table

METRICS = (
    Metric(
        "voice.nps",
        "score",
        "higher",
        "100 x (promoters - detractors) / responses on the window's NPS answers (promoters 9-10, detractors 0-6), latest answer per respondent; -100..100.",
        ("surveys",),
        ("surveys.submitted_at", "surveys.score", "surveys.survey"),
        "NPS",
    ),
    Metric(
        "voice.nps_margin_of_error",
        "score",
        "lower",
        "95% margin in NPS points: 100 x 1.96 x sqrt((p + d - (p - d)^2) / n).",
        ("surveys",),
        ("surveys.submitted_at", "surveys.score", "surveys.survey"),
        "NPS margin of error",
    ),
    Metric(
        "voice.nps_responses_count",
        "count",
        "higher",
        "NPS answers counted (latest per respondent).",
        ("surveys",),
        ("surveys.submitted_at", "surveys.score", "surveys.survey"),
        "NPS responses",
    ),
    Metric(
        "voice.csat_rate",
        "share",
        "higher",
        "CSAT answers of 4-5 / CSAT answers (1-5 scale); from ticket ratings when no CSAT survey answers are given.",
        ("surveys",),
        ("surveys.score|tickets.satisfaction",),
        "CSAT",
    ),
    Metric(
        "voice.csat_mean",
        "score",
        "higher",
        "Mean CSAT score (1-5).",
        ("surveys",),
        ("surveys.score|tickets.satisfaction",),
        "CSAT (mean)",
    ),
    Metric(
        "voice.ces_mean",
        "score",
        "higher",
        "Mean CES score (1-7).",
        ("surveys",),
        ("surveys.submitted_at", "surveys.score", "surveys.survey"),
        "CES (mean)",
    ),
    Metric(
        "voice.ces_easy_share",
        "share",
        "higher",
        "CES answers of 5-7 / CES answers.",
        ("surveys",),
        ("surveys.submitted_at", "surveys.score", "surveys.survey"),
        "CES easy",
    ),
)

TABLES = (
    Table(
        "voice",
        "nps_trend",
        ("bucket", "responses", "promoters", "passives", "detractors", "nps", "margin", "partial"),
        "Per bucket of --grain: NPS answers (latest per respondent in the bucket), NPS, margin.",
    ),
    Table(
        "voice",
        "score_distribution",
        ("survey", "score", "responses", "share"),
        "Per survey kind and score: answers counted and their share of the kind's answers.",
    ),
    Table(
        "voice",
        "by_<column>",
        ("<column>", "every headline metric"),
        "With --by: one row per value of a surveys or accounts column.",
    ),
    Table(
        "voice",
        "nps_trend_by_<column>",
        ("bucket", "<column>", "responses", "promoters", "passives", "detractors", "nps", "margin"),
        "With --by: the NPS trend per bucket and value.",
    ),
    Table(
        "voice",
        "comments",
        ("submitted_at", "survey", "score", "comment"),
        "Only with --include-comments: the counted answers that carry a comment, newest first.",
    ),
)
