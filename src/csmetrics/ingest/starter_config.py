"""The commented csmetrics.toml that `csmetrics init` writes; it runs as is against the
sample data (tests/test_report_check.py runs it)."""

STARTER_CONFIG = """\
# csmetrics configuration (`csmetrics init`). Command-line options override everything here;
# relative paths are relative to this file. Full reference: README.md. Written next to the
# exports of `csmetrics sample`, it runs as is: csmetrics report --config csmetrics.toml

# Report time zone (IANA name) for calendar buckets; source_timezone is the zone of timestamps
# that carry no offset.
timezone = "UTC"
source_timezone = "UTC"
week_start = "monday"      # or "sunday"
# grain = "week"           # day | week | month buckets of the time-series tables
# period = "last-week"     # default window: all data; cron jobs set --period and --as-of

[sources.events]
path = "events.csv"        # a file, a glob ("events/*.parquet") or a folder
# preset = "segment"       # segment | amplitude | mixpanel | posthog
# columns = { user_id = "User ID", timestamp = "Time" }
# formats = { timestamp = "%d-%m-%Y %H:%M" }
# null_values = ["NA"]     # tokens read as missing besides empty cells

[sources.tickets]
path = "tickets.csv"
# preset = "zendesk"       # zendesk | freshdesk | intercom

[sources.billing]
path = "billing.csv"
# preset = "stripe"        # stripe | chargebee
# amount_unit = "cents"    # amounts in minor units
# decimal = ","            # decimal commas (otherwise each number column decides)

[sources.surveys]
path = "surveys.csv"
# survey = "nps"           # a single-kind export without a survey column

[sources.accounts]
path = "accounts.csv"

# Events too many for this machine, or in a data lake next to a Spark cluster: compute the
# event families on Spark (pip install 'csmetrics[spark]'); README: Beyond one machine.
# [engine]
# name = "spark"                    # polars (default) | spark
# spark_master = "local[*]"         # spark://host:7077, yarn, k8s://...
# spark_memory = "4g"               # driver memory of a session csmetrics starts

[engagement]
session_gap = "30m"
inactive_events = ["email_opened"]   # events that do not make a user active
# [engagement.features]              # feature name -> the events that count as using it
# Reports = ["report_viewed", "report_exported"]

[onboarding]
activation_events = ["created_project", "invited_user"]   # all are needed
activation_window = "14d"
# value_event = "invited_user"      # default: the last activation event
steps = ["signed_up", "created_project", "invited_user"]    # the funnel, in order
conversion_window = "14d"
# signup_event = "signed_up"        # default: a user's first event
# level = "account"                 # user | account

[retention]
cohort_grain = "week"      # day | week | month
periods = 8
inactive_events = ["email_opened"]
# retention_type = "recurring"      # first_time | recurring
# retention_mode = "on_or_after"    # on | on_or_after

[support]
sla_first_response = "4h"
# business_hours = "mon-fri 09:00-17:00"   # durations in business time
# holidays = "holidays.txt"                # one date per line
# by = "channel"                           # channel | priority | group | assignee

[voice]
# by = "segment"             # a surveys or accounts column
# include_comments = false   # comments are never written unless true

[revenue]
gross_margin = 0.8           # for LTV
# currency = "EUR"           # the reporting currency (needed with fx_rates)
# fx_rates = "fx.csv"        # date,currency,rate: needed when lines are in several currencies
# by = "plan"                # a billing or accounts column (default the plan)

[health]
inactive_events = ["email_opened"]
# weights = { billing = 2 }                      # equal by default
# bounds = { frequency = { good = 12, bad = 1 } } # raw values scored 100 and 0
# bands = { green = 70, yellow = 40 }

# Thresholds for `csmetrics check` (exit 1 when one fails). Limits: min, max, warn_min,
# warn_max, max_increase_pct, max_decrease_pct (against the previous window); by = a
# breakdown column; allow_missing = true lets a null value pass.
[[checks]]
metric = "engagement.stickiness"
min = 0.05
warn_min = 0.1

[[checks]]
metric = "support.first_response_median_hours"
max = 48.0
warn_max = 24.0

[[checks]]
metric = "support.tickets_created_count"
max_increase_pct = 500
allow_missing = true

[[checks]]
metric = "voice.nps"
min = -100
allow_missing = true

[[checks]]
metric = "health.red_accounts_count"
max_increase_pct = 50
allow_missing = true

[[checks]]
metric = "revenue.logo_churn_rate"
max = 0.05
warn_max = 0.03
allow_missing = true
"""
