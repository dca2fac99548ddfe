"""The health family's metrics and tables (metrics.md)."""

from csmetrics.core.declarations import Metric, Table

METRICS = (
    Metric(
        "health.red_accounts_count",
        "accounts",
        "lower",
        "Accounts whose health score is below the yellow cut-off (default 40).",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event", "events.account_id"),
        "Red accounts",
    ),
    Metric(
        "health.yellow_accounts_count",
        "accounts",
        "lower",
        "Accounts scoring from the yellow cut-off (40) to below the green one (70).",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event", "events.account_id"),
        "Yellow accounts",
    ),
    Metric(
        "health.mrr_at_risk",
        "money",
        "lower",
        "MRR at the window's end of the red accounts (revenue's definition of MRR).",
        ("events", "billing", "subscriptions"),
        (
            "events.account_id",
            "billing.account_id|subscriptions.account_id",
            "billing.amount|subscriptions.amount",
            "billing.issued_at|subscriptions.started_at",
        ),
        "MRR at risk",
    ),
    Metric(
        "health.score_mean",
        "score",
        "higher",
        "Mean health score (0-100) over the scored accounts: per account, the weighted mean of its components' scores, each scaled from its bad value (0) to its good value (100) and clamped; components without data left out and the weights renormalised.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event", "events.account_id"),
        "Health score (mean)",
    ),
)

TABLES = (
    Table(
        "health",
        "health",
        (
            "account_id",
            "name",
            "segment",
            "owner",
            "score",
            "band",
            "<component>",
            "<component>_score",
            "components",
            "reasons",
            "mrr",
        ),
        "One row per account (active in the window or the one before, listed in the accounts source, or paying): its score and band, each component's raw value and 0-100 score (frequency, breadth, depth, trend; support, sentiment and billing when their sources are given), the components the score used, the two weakest as reasons in words, and MRR; the most at-risk, highest-MRR accounts first.",
    ),
)
