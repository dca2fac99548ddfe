"""The retention family's metrics and tables (metrics.md)."""

from csmetrics.core.declarations import Metric, Table

METRICS = (
    Metric(
        "retention.period_1_rate",
        "share",
        "higher",
        "Retention one bucket after the cohort's, measured in the window: cohort-size-weighted mean of retention(c, 1) over cohorts whose bucket c+1 lies wholly inside the window and is observable.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Period 1 retention",
    ),
    Metric(
        "retention.period_3_rate",
        "share",
        "higher",
        "Month grain: retention three months after the cohort's, measured in the window.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Period 3 retention",
    ),
    Metric(
        "retention.period_4_rate",
        "share",
        "higher",
        "Week grain: retention four weeks after the cohort's, measured in the window.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Period 4 retention",
    ),
    Metric(
        "retention.period_7_rate",
        "share",
        "higher",
        "Day grain: retention seven days after the cohort's, measured in the window.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Period 7 retention",
    ),
    Metric(
        "retention.user_churn_rate",
        "share",
        "lower",
        "Users (accounts) active in the bucket before the window's last complete bucket but not in it / those active in the bucket before.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "User churn",
    ),
)

TABLES = (
    Table(
        "retention",
        "cohorts",
        ("cohort", "size", "offset", "users", "rate", "partial", "before_window"),
        "Per cohort and offset 0..periods (and the headlines' offsets): entities of the cohort with a return event in bucket cohort+offset (or later, on_or_after); null when not yet observable; partial when the horizon falls inside the bucket. Cohorts from the bucket holding min(since, until - periods), back to every cohort a headline reads (before_window: the cohort's bucket starts before since), never before the export's first event.",
    ),
    Table(
        "retention",
        "lifecycle",
        ("bucket", "new", "returning", "resurrecting", "dormant", "partial"),
        "Per bucket: new (signed up in it), returning (active in it and the bucket before), resurrecting (active, not before, signed up earlier), dormant (active before, not in it; negative).",
    ),
)
