"""The onboarding family's metrics and tables (metrics.md)."""

from csmetrics.core.declarations import Metric, Table

METRICS = (
    Metric(
        "onboarding.signups_count",
        "count",
        "higher",
        "Users (accounts) whose signup (first signup_event, else first event) falls in the window.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Signups",
    ),
    Metric(
        "onboarding.activation_rate",
        "share",
        "higher",
        "Among window signups whose activation window has elapsed by the window's end, the share that did every activation event within it; the others are pending, not failures.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Activation rate",
    ),
    Metric(
        "onboarding.time_to_value_median_hours",
        "hours",
        "lower",
        "Median hours from signup to the first value_event, over window signups who reached it.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Time to value (median)",
    ),
    Metric(
        "onboarding.time_to_value_p90_hours",
        "hours",
        "lower",
        "90th percentile of hours from signup to the first value_event (linear interpolation).",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Time to value (p90)",
    ),
    Metric(
        "onboarding.reached_value_share",
        "share",
        "higher",
        "Share of window signups who did the value_event by the window's end.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Reached value",
    ),
    Metric(
        "onboarding.days_to_onboard_mean",
        "days",
        "lower",
        "Mean fractional days from signup to activation (the first instant every activation event was done), over window signups activated within their activation window.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Days to onboard (mean)",
    ),
    Metric(
        "onboarding.days_to_onboard_median",
        "days",
        "lower",
        "Median fractional days from signup to activation, over the same signups.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Days to onboard (median)",
    ),
    Metric(
        "onboarding.funnel_conversion_rate",
        "share",
        "higher",
        "Entities that reached the last funnel step within conversion_window of their first step-1 event in the window, each step at or after the previous / entities that entered.",
        ("events",),
        ("events.timestamp", "events.user_id", "events.event"),
        "Funnel conversion",
    ),
)

TABLES = (
    Table(
        "onboarding",
        "activation_by_cohort",
        ("cohort", "signups", "activated", "pending", "activation_rate"),
        "Per signup week or month: signups, activated (decided ones), pending (activation window not yet elapsed), activation_rate = activated / (signups - pending).",
    ),
    Table(
        "onboarding",
        "time_to_value_distribution",
        ("bucket", "from_hours", "to_hours", "signups", "share"),
        "With a value event: the window's signups that reached it, by hours from signup to value, in fixed buckets (under 1 h, 1 to 4 h, 4 to 24 h, 1 to 3 days, 3 to 7 days, 7 days or more; each includes its lower edge); share of those signups.",
    ),
    Table(
        "onboarding",
        "funnel",
        (
            "step",
            "users",
            "conversion_from_previous",
            "conversion_from_start",
            "drop_off",
            "median_time_from_previous_hours",
        ),
        "Per funnel step: entities that reached it, conversions, drop-off from the step before and the median hours from it.",
    ),
)
