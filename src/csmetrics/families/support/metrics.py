"""The support family's metrics and tables (metrics.md)."""

from csmetrics.core.declarations import Metric, Table

# Any column gives the time: the timestamp, or the minutes a help desk exports (its business
# minutes are read only with business hours: support/durations.py)
SOLVED = "tickets.solved_at|tickets.resolution_minutes|tickets.resolution_business_minutes"
RESPONDED = (
    "tickets.first_response_at|tickets.first_response_minutes"
    "|tickets.first_response_business_minutes"
)

METRICS = (
    Metric(
        "support.tickets_created_count",
        "count",
        "neutral",
        "Tickets created in the window.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "Tickets created",
    ),
    Metric(
        "support.tickets_solved_count",
        "count",
        "higher",
        "Tickets solved (solved_at) in the window.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", SOLVED),
        "Tickets solved",
    ),
    Metric(
        "support.backlog_count",
        "count",
        "lower",
        "Tickets created before the window's end and not solved before it.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", SOLVED),
        "Backlog",
    ),
    Metric(
        "support.first_response_median_hours",
        "hours",
        "lower",
        "Median of first_response_at - created_at over the window's tickets answered before its end (business time with business hours).",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", RESPONDED),
        "First response (median)",
    ),
    Metric(
        "support.first_response_mean_hours",
        "hours",
        "lower",
        "Mean first-response time over the same tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", RESPONDED),
        "First response (mean)",
    ),
    Metric(
        "support.first_response_p90_hours",
        "hours",
        "lower",
        "90th percentile first-response time (linear interpolation).",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", RESPONDED),
        "First response (p90)",
    ),
    Metric(
        "support.unanswered_share",
        "share",
        "lower",
        "Share of the window's tickets with no first response before its end.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", RESPONDED),
        "Unanswered",
    ),
    Metric(
        "support.resolution_median_hours",
        "hours",
        "lower",
        "Median of solved_at - created_at over the window's tickets solved before its end.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", SOLVED),
        "Resolution (median)",
    ),
    Metric(
        "support.resolution_mean_hours",
        "hours",
        "lower",
        "Mean resolution time over the same tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", SOLVED),
        "Resolution (mean)",
    ),
    Metric(
        "support.resolution_p90_hours",
        "hours",
        "lower",
        "90th percentile resolution time.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", SOLVED),
        "Resolution (p90)",
    ),
    Metric(
        "support.first_contact_resolution_rate",
        "share",
        "higher",
        "Solved tickets with agent_replies <= 1 and no reopen / solved tickets (the window's tickets solved before its end).",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", SOLVED, "tickets.agent_replies"),
        "First-contact resolution",
    ),
    Metric(
        "support.reopen_rate",
        "share",
        "lower",
        "Solved tickets reopened at least once / solved tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", SOLVED, "tickets.reopens"),
        "Reopen rate",
    ),
    Metric(
        "support.sla_first_response_breach_rate",
        "share",
        "lower",
        "Answered-or-overdue tickets whose first response took longer than sla_first_response (unanswered ones older than it are breaches).",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", RESPONDED),
        "SLA breaches (first response)",
    ),
    Metric(
        "support.csat_rate",
        "share",
        "higher",
        "Rated tickets of the window rated 4-5 (or good) / rated tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", "tickets.satisfaction"),
        "CSAT (tickets)",
    ),
    Metric(
        "support.csat_response_rate",
        "share",
        "higher",
        "Rated solved tickets / solved tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at", SOLVED, "tickets.satisfaction"),
        "CSAT response rate",
    ),
)

TABLES = (
    Table(
        "support",
        "volume",
        ("bucket", "created", "solved", "backlog", "partial"),
        "Per bucket of --grain: tickets created, solved, and the backlog at the bucket's end.",
    ),
    Table(
        "support",
        "response_times",
        (
            "bucket",
            "first_response_median_hours",
            "first_response_p90_hours",
            "resolution_median_hours",
            "resolution_p90_hours",
            "partial",
        ),
        "Per creation bucket: first-response and resolution medians and p90s.",
    ),
    Table(
        "support",
        "first_response_distribution",
        ("bucket", "from_hours", "to_hours", "tickets", "share"),
        "The window's answered tickets by hours to their first response (business hours with --business-hours), in fixed buckets (under 1 h, 1 to 4 h, 4 to 24 h, 1 to 3 days, 3 to 7 days, 7 days or more; each includes its lower edge); share of the answered tickets.",
    ),
    Table(
        "support",
        "by_<column>",
        ("<column>", "every headline metric"),
        "With --by channel|priority|group|assignee: one row per value, the headline metrics.",
    ),
)
