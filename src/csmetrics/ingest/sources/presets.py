"""Known export layouts: a mapping from canonical columns to the headers an export uses.

A value that is a tuple lists alternatives: every one present in the file is coalesced in order
(Segment's `userId` then `anonymousId`). A dotted header (`properties.time`) reaches into a nested
JSON object; `list[KEY]` picks, from a list of `{key, value}` records, the one whose key is KEY
(GA4's `event_params[ga_session_id].value.int_value`). The user's explicit mapping always wins
over a preset.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Preset:
    kind: str
    columns: dict[str, str | tuple[str, ...]]
    # Source values that mean "missing" for a canonical column (Amplitude's session_id -1).
    null_values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    amount_unit: str = "units"
    # canonical columns that make a duplicate together with the dedup key (Mixpanel's
    # $insert_id is unique only with the event, the user and the time)
    dedup_with: tuple[str, ...] = ()
    # boolean canonical columns true where a header has a value (Stripe: an invoice with a
    # Subscription is recurring, one without is a one-off)
    flags: dict[str, str] = field(default_factory=dict)
    # source words -> canonical values, per column, compared without case or stray spaces
    # (Freshdesk's survey labels as 1-5 ratings)
    words: dict[str, dict[str, str]] = field(default_factory=dict)
    # canonical columns never read from this layout, not even by their canonical name
    # (Stripe API's period_start/period_end are the invoice period, not the service period)
    ignore: tuple[str, ...] = ()
    # duration columns whose plain numbers are hours, not minutes (Freshdesk's `(in hrs)`);
    # `H:MM:SS` text reads as a clock duration either way
    hours: tuple[str, ...] = ()
    # canonical columns read only from the preset's headers, never from a header of the
    # canonical name, which means something else in this layout (Snowplow's `event` is the
    # kind of event, `page_view` or `unstruct`; its `user_id` is the app's optional login id)
    exact: tuple[str, ...] = ()
    # headers only this layout has, which tell it from a look-alike (RudderStack's `rudderId`
    # against Segment)
    markers: tuple[str, ...] = ()


# Segment's spec, which RudderStack follows: the user (or the anonymous id), the event, its time
# and the message id, in JSON payloads and in warehouse columns
SEGMENT_SPEC: dict[str, str | tuple[str, ...]] = {
    "user_id": ("userId", "user_id", "anonymousId", "anonymous_id"),
    "event": ("event",),
    "timestamp": ("timestamp",),
    "event_id": ("messageId", "message_id", "id"),
}

PRESETS: dict[str, Preset] = {
    "segment": Preset(
        "events",
        {
            **SEGMENT_SPEC,
            "account_id": ("context.groupId", "context_group_id", "groupId"),
        },
    ),
    "amplitude": Preset(
        "events",
        {
            "user_id": ("user_id", "device_id"),
            "event": ("event_type",),
            "timestamp": ("event_time",),
            "session_id": ("session_id",),
            "event_id": ("$insert_id", "insert_id", "_insert_id", "uuid"),
        },
        null_values={"session_id": ("-1",)},
    ),
    "mixpanel": Preset(
        "events",
        {
            "user_id": ("properties.distinct_id", "distinct_id"),
            "event": ("event",),
            "timestamp": ("properties.time", "time"),
            "event_id": ("properties.$insert_id", "$insert_id", "insert_id"),
        },
        dedup_with=("event", "user_id", "timestamp"),
    ),
    "posthog": Preset(
        "events",
        {
            "user_id": ("person_id", "distinct_id"),
            "event": ("event",),
            "timestamp": ("timestamp",),
            "event_id": ("uuid", "id"),
            "session_id": ("properties.$session_id", "$session_id", "session_id"),
        },
    ),
    # Snowplow's atomic events (a warehouse's atomic.events as CSV, JSON or Parquet)
    "snowplow": Preset(
        "events",
        {
            "user_id": ("domain_userid",),
            "event": ("event_name",),
            "timestamp": ("derived_tstamp", "collector_tstamp"),
            "event_id": ("event_id",),
            "session_id": ("domain_sessionid",),
        },
        exact=("user_id", "event"),
    ),
    # RudderStack follows Segment's spec: its JSON payloads and its warehouse columns
    "rudderstack": Preset(
        "events",
        {
            **SEGMENT_SPEC,
            "session_id": ("context.sessionId", "context_session_id"),
        },
        markers=("rudderId", "rudder_id", "context_destination_id", "context_source_type"),
    ),
    # Heap Connect's all_events table (warehouse or S3 export)
    "heap": Preset(
        "events",
        {
            "user_id": ("user_id",),
            "event": ("event_table_name",),
            "timestamp": ("time",),
            "event_id": ("event_id",),
            "session_id": ("session_id",),
        },
    ),
    # Google Analytics 4's BigQuery export: microseconds, a pseudonymous client id, the
    # session's id among the event's parameters (or a flattened ga_session_id column)
    "ga4": Preset(
        "events",
        {
            "user_id": ("user_pseudo_id",),
            "event": ("event_name",),
            "timestamp": ("event_timestamp",),
            "session_id": ("event_params[ga_session_id].value.int_value", "ga_session_id"),
        },
        exact=("user_id",),
    ),
    "zendesk": Preset(
        "tickets",
        {
            # ticket_metrics API rows carry their own "id": the ticket's is "ticket_id"
            "ticket_id": ("ticket_id", "Id"),
            "created_at": ("Created at",),
            "solved_at": ("Solved at",),
            "first_response_minutes": (
                "First reply time in minutes",
                "reply_time_in_minutes.calendar",
            ),
            "resolution_minutes": (
                "Full resolution time in minutes",
                "full_resolution_time_in_minutes.calendar",
            ),
            "first_response_business_minutes": (
                "First reply time in minutes within business hours",
                "reply_time_in_minutes.business",
            ),
            "resolution_business_minutes": (
                "Full resolution time in minutes within business hours",
                "full_resolution_time_in_minutes.business",
            ),
            "account_id": ("Organization",),
            "requester_id": ("Requester id",),
            "status": ("Status",),
            "channel": ("Via",),
            "priority": ("Priority",),
            "group": ("Group",),
            "assignee": ("Assignee",),
            "agent_replies": ("Replies",),
            "reopens": ("Reopens",),
            "satisfaction": ("Satisfaction Score",),
        },
    ),
    "freshdesk": Preset(
        "tickets",
        {
            "ticket_id": ("Ticket ID",),
            "created_at": ("Created time",),
            "first_response_at": ("Initial response time",),
            "solved_at": ("Resolved time", "Closed time"),
            "status": ("Status",),
            "priority": ("Priority",),
            "channel": ("Source",),
            "group": ("Group",),
            "assignee": ("Agent",),
            "agent_replies": ("Agent interactions",),
            "satisfaction": ("Survey results",),
            # Freshdesk's own durations, `HH:MM:SS`, measured within the SLA policy's business
            # hours; calendar durations come from the timestamps
            "first_response_business_minutes": ("First response time (in hrs)",),
            "resolution_business_minutes": ("Resolution time (in hrs)",),
        },
        hours=("first_response_business_minutes", "resolution_business_minutes"),
        words={
            "satisfaction": {
                "extremely satisfied": "5",
                "very satisfied": "5",
                "satisfied": "4",
                "happy": "5",
                "neutral": "3",
                "dissatisfied": "2",
                "unhappy": "1",
                "very dissatisfied": "1",
                "extremely dissatisfied": "1",
            }
        },
    ),
    "intercom": Preset(
        "tickets",
        {
            "ticket_id": ("id",),
            "created_at": ("created_at",),
            "first_response_at": ("statistics.first_admin_reply_at",),
            "solved_at": ("statistics.last_close_at",),
            "reopens": ("statistics.count_reopens",),
            "status": ("state",),
        },
    ),
    "stripe": Preset(
        "billing",
        {
            "invoice_id": ("id",),
            "account_id": ("Customer", "Customer ID"),
            "amount": ("Subtotal",),
            "issued_at": ("Date (UTC)",),
            "currency": ("Currency",),
            "period_start": ("Minimum Line Item Period Start (UTC)",),
            "period_end": ("Maximum Line Item Period End (UTC)",),
            "due_at": ("Due Date (UTC)",),
            "paid_at": ("Paid At (UTC)",),
            "status": ("Status",),
        },
        flags={"recurring": "Subscription"},
    ),
    # Stripe's Dashboard subscriptions export (Billing > Subscriptions > Export): amounts in
    # units, one row per subscription
    "stripe_subscriptions": Preset(
        "subscriptions",
        {
            "subscription_id": ("id",),
            "account_id": ("Customer ID", "Customer"),
            "plan": ("Product", "Plan"),
            "quantity": ("Quantity",),
            "currency": ("Currency",),
            "interval": ("Interval",),
            "amount": ("Amount",),
            "status": ("Status",),
            "started_at": ("Start Date (UTC)", "Start (UTC)", "Created (UTC)"),
            "trial_ended_at": ("Trial End (UTC)",),
            # Ended At is when it stopped; never Canceled At, the request, which may take
            # effect at the period's end
            "ended_at": ("Ended At (UTC)",),
        },
    ),
    # Stripe's API invoice objects (JSON lines): cents, Unix seconds. Their service period is
    # per line item (lines.data[].period), which a flat export does not hold: periods default
    # to a calendar month from `created`, right for monthly plans (see docs/reading-exports.md).
    "stripe_api": Preset(
        "billing",
        {
            "invoice_id": ("id",),
            "account_id": ("customer",),
            "amount": ("subtotal",),
            "issued_at": ("created",),
            "currency": ("currency",),
            "due_at": ("due_date",),
            "paid_at": ("status_transitions.paid_at",),
            "status": ("status",),
        },
        amount_unit="cents",
        flags={"recurring": "subscription"},
        ignore=("period_start", "period_end"),
    ),
    "chargebee": Preset(
        "billing",
        {
            "invoice_id": ("id",),
            "account_id": ("customer_id",),
            "amount": ("total",),
            "issued_at": ("date",),
            "currency": ("currency_code",),
            "due_at": ("due_date",),
            "paid_at": ("paid_at",),
            "status": ("status",),
        },
        amount_unit="cents",
    ),
}
