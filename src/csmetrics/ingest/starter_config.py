"""The parts of the commented csmetrics.toml `csmetrics init` writes that are not family
settings: the sources and the engine (SOURCES) and example thresholds (CHECKS). The family
tables between them are made from each family's declared settings (csmetrics.api.starter_config);
the whole runs as is against the sample data (tests/test_report_check.py runs it)."""

SOURCES = """\
# csmetrics configuration (`csmetrics init`). Command-line options override everything here;
# relative paths are relative to this file. Full reference: docs/commands.md. Written next to the
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
# event families on Spark (pip install 'csmetrics[spark]'); docs/spark.md.
# [engine]
# name = "spark"                    # polars (default) | spark
# spark_master = "local[*]"         # spark://host:7077, yarn, k8s://...
# spark_memory = "4g"               # driver memory of a session csmetrics starts
# spark_remote = "sc://host:15002"  # or a Spark Connect server (instead of spark_master)
"""

CHECKS = """\
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
