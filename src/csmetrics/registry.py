"""Every metric and table, declared once: the catalogue, JSON ids, thresholds and docs use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower", "neutral"]


@dataclass(frozen=True)
class Metric:
    id: str
    unit: str  # users, accounts, sessions, share (a 0..1 fraction), minutes, ...
    direction: Direction
    definition: str
    sources: tuple[str, ...]
    columns: tuple[str, ...]  # canonical columns it needs, as "source.column"
    title: str

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Table:
    family: str
    name: str
    columns: tuple[str, ...]
    definition: str


_EVENTS = ("events.timestamp", "events.user_id", "events.event")

METRICS: tuple[Metric, ...] = (
    Metric(
        "engagement.dau_mean",
        "users",
        "higher",
        "Mean over the window's complete days of DAU, the distinct active users of each day.",
        ("events",),
        _EVENTS,
        "Daily active users (mean)",
    ),
    Metric(
        "engagement.active_users",
        "users",
        "higher",
        "Distinct active users in the window (for --period 2026-03: everyone active in March).",
        ("events",),
        _EVENTS,
        "Active users in the window",
    ),
    Metric(
        "engagement.wau",
        "users",
        "higher",
        "Distinct active users in the 7 days ending at the window's end.",
        ("events",),
        _EVENTS,
        "Weekly active users",
    ),
    Metric(
        "engagement.mau",
        "users",
        "higher",
        "Distinct active users in the 30 days ending at the window's end.",
        ("events",),
        _EVENTS,
        "Monthly active users",
    ),
    Metric(
        "engagement.stickiness",
        "share",
        "higher",
        "Mean over the window's complete days of DAU / MAU30 of that day (days with MAU30 = 0 left out).",
        ("events",),
        _EVENTS,
        "Stickiness (DAU/MAU)",
    ),
    Metric(
        "engagement.sessions_count",
        "sessions",
        "higher",
        "Sessions starting in the window: runs of a user's events with gaps up to session_gap, "
        "or distinct session_id values per user.",
        ("events",),
        _EVENTS,
        "Sessions",
    ),
    Metric(
        "engagement.sessions_per_user",
        "sessions",
        "higher",
        "Sessions starting in the window / distinct active users in the window.",
        ("events",),
        _EVENTS,
        "Sessions per active user",
    ),
    Metric(
        "engagement.session_duration_median_minutes",
        "minutes",
        "higher",
        "Median session duration (last event - first event; a one-event session lasts 0).",
        ("events",),
        _EVENTS,
        "Session duration (median)",
    ),
    Metric(
        "engagement.session_duration_mean_minutes",
        "minutes",
        "higher",
        "Mean session duration (last event - first event; a one-event session lasts 0).",
        ("events",),
        _EVENTS,
        "Session duration (mean)",
    ),
    Metric(
        "engagement.time_per_user_minutes",
        "minutes",
        "higher",
        "Total session duration in the window / distinct active users in the window.",
        ("events",),
        _EVENTS,
        "Time per active user",
    ),
    Metric(
        "engagement.active_accounts_count",
        "accounts",
        "higher",
        "Accounts with at least one active user in the window.",
        ("events",),
        (*_EVENTS, "events.account_id"),
        "Active accounts",
    ),
    Metric(
        "onboarding.signups_count",
        "count",
        "higher",
        "Users (accounts) whose signup (first signup_event, else first event) falls in the window.",
        ("events",),
        _EVENTS,
        "Signups",
    ),
    Metric(
        "onboarding.activation_rate",
        "share",
        "higher",
        "Among window signups whose activation window has elapsed by the window's end, the share "
        "that did every activation event within it; the others are pending, not failures.",
        ("events",),
        _EVENTS,
        "Activation rate",
    ),
    Metric(
        "onboarding.time_to_value_median_hours",
        "hours",
        "lower",
        "Median hours from signup to the first value_event, over window signups who reached it.",
        ("events",),
        _EVENTS,
        "Time to value (median)",
    ),
    Metric(
        "onboarding.time_to_value_p90_hours",
        "hours",
        "lower",
        "90th percentile of hours from signup to the first value_event (linear interpolation).",
        ("events",),
        _EVENTS,
        "Time to value (p90)",
    ),
    Metric(
        "onboarding.reached_value_share",
        "share",
        "higher",
        "Share of window signups who did the value_event by the window's end.",
        ("events",),
        _EVENTS,
        "Reached value",
    ),
    Metric(
        "onboarding.days_to_onboard_mean",
        "days",
        "lower",
        "Mean fractional days from signup to activation (the first instant every activation "
        "event was done), over window signups activated within their activation window.",
        ("events",),
        _EVENTS,
        "Days to onboard (mean)",
    ),
    Metric(
        "onboarding.days_to_onboard_median",
        "days",
        "lower",
        "Median fractional days from signup to activation, over the same signups.",
        ("events",),
        _EVENTS,
        "Days to onboard (median)",
    ),
    Metric(
        "onboarding.funnel_conversion_rate",
        "share",
        "higher",
        "Entities that reached the last funnel step within conversion_window of their first "
        "step-1 event in the window, each step at or after the previous / entities that entered.",
        ("events",),
        _EVENTS,
        "Funnel conversion",
    ),
    Metric(
        "retention.period_1_rate",
        "share",
        "higher",
        "Retention one bucket after the cohort's, measured in the window: cohort-size-weighted "
        "mean of retention(c, 1) over cohorts whose bucket c+1 lies wholly inside the window and "
        "is observable.",
        ("events",),
        _EVENTS,
        "Period 1 retention",
    ),
    Metric(
        "retention.period_3_rate",
        "share",
        "higher",
        "Month grain: retention three months after the cohort's, measured in the window.",
        ("events",),
        _EVENTS,
        "Period 3 retention",
    ),
    Metric(
        "retention.period_4_rate",
        "share",
        "higher",
        "Week grain: retention four weeks after the cohort's, measured in the window.",
        ("events",),
        _EVENTS,
        "Period 4 retention",
    ),
    Metric(
        "retention.period_7_rate",
        "share",
        "higher",
        "Day grain: retention seven days after the cohort's, measured in the window.",
        ("events",),
        _EVENTS,
        "Period 7 retention",
    ),
    Metric(
        "retention.user_churn_rate",
        "share",
        "lower",
        "Users (accounts) active in the bucket before the window's last complete bucket but not "
        "in it / those active in the bucket before.",
        ("events",),
        _EVENTS,
        "User churn",
    ),
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
        ("tickets.ticket_id", "tickets.created_at"),
        "Tickets solved",
    ),
    Metric(
        "support.backlog_count",
        "count",
        "lower",
        "Tickets created before the window's end and not solved before it.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "Backlog",
    ),
    Metric(
        "support.first_response_median_hours",
        "hours",
        "lower",
        "Median of first_response_at - created_at over the window's tickets answered before its end (business time with business hours).",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "First response (median)",
    ),
    Metric(
        "support.first_response_mean_hours",
        "hours",
        "lower",
        "Mean first-response time over the same tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "First response (mean)",
    ),
    Metric(
        "support.first_response_p90_hours",
        "hours",
        "lower",
        "90th percentile first-response time (linear interpolation).",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "First response (p90)",
    ),
    Metric(
        "support.unanswered_share",
        "share",
        "lower",
        "Share of the window's tickets with no first response before its end.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "Unanswered",
    ),
    Metric(
        "support.resolution_median_hours",
        "hours",
        "lower",
        "Median of solved_at - created_at over the window's tickets solved before its end.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "Resolution (median)",
    ),
    Metric(
        "support.resolution_mean_hours",
        "hours",
        "lower",
        "Mean resolution time over the same tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "Resolution (mean)",
    ),
    Metric(
        "support.resolution_p90_hours",
        "hours",
        "lower",
        "90th percentile resolution time.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "Resolution (p90)",
    ),
    Metric(
        "support.first_contact_resolution_rate",
        "share",
        "higher",
        "Solved tickets with agent_replies <= 1 and no reopen / solved tickets (the window's tickets solved before its end).",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "First-contact resolution",
    ),
    Metric(
        "support.reopen_rate",
        "share",
        "lower",
        "Solved tickets reopened at least once / solved tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "Reopen rate",
    ),
    Metric(
        "support.sla_first_response_breach_rate",
        "share",
        "lower",
        "Answered-or-overdue tickets whose first response took longer than sla_first_response (unanswered ones older than it are breaches).",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "SLA breaches (first response)",
    ),
    Metric(
        "support.csat_rate",
        "share",
        "higher",
        "Rated tickets of the window rated 4-5 (or good) / rated tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "CSAT (tickets)",
    ),
    Metric(
        "support.csat_response_rate",
        "share",
        "higher",
        "Rated solved tickets / solved tickets.",
        ("tickets",),
        ("tickets.ticket_id", "tickets.created_at"),
        "CSAT response rate",
    ),
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
        ("surveys.submitted_at", "surveys.score", "surveys.survey"),
        "CSAT",
    ),
    Metric(
        "voice.csat_mean",
        "score",
        "higher",
        "Mean CSAT score (1-5).",
        ("surveys",),
        ("surveys.submitted_at", "surveys.score", "surveys.survey"),
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

TABLES: tuple[Table, ...] = (
    Table(
        "engagement",
        "activity",
        ("bucket", "dau | active_users", "dau_mean", "wau7", "mau30", "stickiness", "partial"),
        "Per bucket of --grain: active users, and WAU7/MAU30 at the bucket's last day in the window; "
        "stickiness is the mean daily DAU/MAU30. Day grain shows dau per day.",
    ),
    Table(
        "engagement",
        "active_days_distribution",
        ("week", "active_days", "users", "share", "partial"),
        "For each week of the window: how many users were active on 1..7 of its days.",
    ),
    Table(
        "engagement",
        "feature_adoption",
        ("feature", "users", "user_share", "accounts", "account_share", "first_seen", "last_seen"),
        "Per feature (event name, or the features mapping): users and accounts that used it in the "
        "window, as shares of the window's active users and accounts.",
    ),
    Table(
        "engagement",
        "account_activity",
        ("account_id", "active_users", "active_days", "sessions", "events"),
        "Per account: active users, days with any activity, sessions started and active events in "
        "the window.",
    ),
)

TABLES += (
    Table(
        "onboarding",
        "activation_by_cohort",
        ("cohort", "signups", "activated", "pending", "activation_rate"),
        "Per signup week or month: signups, activated (decided ones), pending (activation window "
        "not yet elapsed), activation_rate = activated / (signups - pending).",
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
        "Per funnel step: entities that reached it, conversions, drop-off from the step before "
        "and the median hours from it.",
    ),
    Table(
        "retention",
        "cohorts",
        ("cohort", "size", "offset", "users", "rate", "partial"),
        "Per cohort and offset 0..periods: entities of the cohort with a return event in bucket "
        "cohort+offset (or later, on_or_after); null when not yet observable; partial when the "
        "horizon falls inside the bucket.",
    ),
    Table(
        "retention",
        "lifecycle",
        ("bucket", "new", "returning", "resurrecting", "dormant", "partial"),
        "Per bucket: new (signed up in it), returning (active in it and the bucket before), "
        "resurrecting (active, not before, signed up earlier), dormant (active before, not in "
        "it; negative).",
    ),
)

TABLES += (
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
        "by_<column>",
        ("<column>", "every headline metric"),
        "With --by channel|priority|group|assignee: one row per value, the headline metrics.",
    ),
)

TABLES += (
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

_BY_ID = {metric.id: metric for metric in METRICS}


def metric(metric_id: str) -> Metric:
    return _BY_ID[metric_id]


def family_metrics(family: str) -> tuple[Metric, ...]:
    return tuple(m for m in METRICS if m.family == family)


def family_tables(family: str) -> tuple[Table, ...]:
    return tuple(t for t in TABLES if t.family == family)


def families() -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.family for m in METRICS))
