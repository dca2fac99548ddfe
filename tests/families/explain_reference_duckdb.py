"""Independent DuckDB SQL of explain's per-segment values and weights (metrics.md, "Why it
changed"), written from the spec: stickiness by an accounts column (a user's account on its
latest active event before `until`) and first contact resolution by channel. Each returns
{segment: (value, weight)}."""

from __future__ import annotations

from datetime import datetime

from tests.families.reference_duckdb import connect, scan_of, table_scan

STICKINESS = """
WITH raw AS (SELECT * FROM {events}),
dedup AS (
    SELECT * FROM raw WHERE event_id IS NULL
    UNION ALL
    SELECT * FROM raw WHERE event_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY event_id) = 1
),
active AS (
    SELECT user_id, account_id, CAST(ts AS TIMESTAMPTZ) AS ts FROM dedup
    WHERE ts < $until AND ts >= $since - INTERVAL 29 DAY
      AND event NOT IN (SELECT unnest($inactive::VARCHAR[]))
),
observed AS (SELECT min(CAST(ts AS TIMESTAMPTZ)) AS first_ts, max(CAST(ts AS TIMESTAMPTZ)) AS last_ts FROM raw),
user_days AS (SELECT DISTINCT user_id, CAST(ts AS DATE) AS day FROM active),
days AS (
    SELECT CAST(d AS DATE) AS day
    FROM generate_series(CAST($since AS TIMESTAMP), CAST($until AS TIMESTAMP) - INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)
),
complete_days AS (
    SELECT day FROM days, observed
    WHERE CAST(day AS TIMESTAMPTZ) >= first_ts
      AND CAST(day AS TIMESTAMPTZ) + INTERVAL 1 DAY <= last_ts + INTERVAL 1 MICROSECOND
),
latest AS (
    SELECT user_id, account_id FROM active
    QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY ts DESC, account_id DESC) = 1
),
segments AS (
    SELECT l.user_id, a.{column} AS segment
    FROM latest l LEFT JOIN (SELECT DISTINCT ON (account_id) * FROM {accounts}) a USING (account_id)
),
daily AS (
    SELECT c.day, s.segment,
           count(DISTINCT CASE WHEN u.day = c.day THEN u.user_id END) AS dau,
           count(DISTINCT u.user_id) AS mau
    FROM complete_days c
    JOIN user_days u ON u.day BETWEEN c.day - INTERVAL 29 DAY AND c.day
    JOIN segments s USING (user_id)
    GROUP BY c.day, s.segment
),
totals AS (SELECT day, sum(mau) AS all_mau FROM daily GROUP BY day)
SELECT segment, sum(dau / all_mau) AS num, sum(mau / all_mau) AS den
FROM daily JOIN totals USING (day)
WHERE all_mau > 0
GROUP BY segment
"""

FIRST_CONTACT = """
WITH tickets AS (
    SELECT channel,
           CAST(created_at AS TIMESTAMPTZ) AS created_at,
           CAST(solved_at AS TIMESTAMPTZ) AS solved_at,
           CAST(agent_replies AS INTEGER) AS replies,
           coalesce(CAST(reopens AS INTEGER), 0) AS reopens
    FROM {tickets}
),
solved AS (
    SELECT * FROM tickets
    WHERE created_at >= $since AND created_at < $until AND solved_at < $until
)
SELECT channel AS segment,
       count(*) FILTER (WHERE replies <= 1 AND reopens = 0) AS num,
       count(*) AS den
FROM solved GROUP BY channel
"""


def _shares(rows: list[tuple]) -> dict[object, tuple[float | None, float]]:
    total = sum(float(den) for _, _, den in rows)
    return {
        segment: (float(num) / float(den) if den else None, float(den) / total)
        for segment, num, den in rows
    }


def stickiness_by(
    events: str,
    accounts: str,
    column: str,
    since: datetime,
    until: datetime,
    inactive: tuple[str, ...],
) -> dict[object, tuple[float | None, float]]:
    sql = STICKINESS.format(events=scan_of(events), accounts=table_scan(accounts), column=column)
    rows = (
        connect()
        .execute(sql, {"since": since, "until": until, "inactive": list(inactive)})
        .fetchall()
    )
    return _shares(rows)


def first_contact_by_channel(
    tickets: str, since: datetime, until: datetime
) -> dict[object, tuple[float | None, float]]:
    sql = FIRST_CONTACT.format(tickets=table_scan(tickets))
    return _shares(connect().execute(sql, {"since": since, "until": until}).fetchall())
