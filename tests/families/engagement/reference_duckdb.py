"""An independent DuckDB SQL implementation of the engagement headline metrics (metrics.md).

Written from the spec, not from csmetrics' code: the test suite compares the two on generated
data, and `make bench` times both on the same files. Report time zone UTC; windows day-aligned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.families.reference_duckdb import connect, scan_of

SQL = """
WITH raw AS (
    SELECT * FROM {scan}
),
dedup AS (
    SELECT * FROM raw WHERE event_id IS NULL
    UNION ALL
    SELECT * FROM raw WHERE event_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY event_id) = 1
),
active AS (
    SELECT user_id, account_id, CAST(ts AS TIMESTAMPTZ) AS ts
    FROM dedup
    WHERE ts < $until AND event NOT IN (SELECT unnest($inactive::VARCHAR[]))
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
daily AS (
    SELECT c.day,
           (SELECT count(*) FROM user_days u WHERE u.day = c.day) AS dau,
           (SELECT count(DISTINCT user_id) FROM user_days u
             WHERE u.day BETWEEN c.day - INTERVAL 29 DAY AND c.day) AS mau30
    FROM complete_days c
),
windowed AS (SELECT * FROM active WHERE ts >= $since),
gaps AS (
    SELECT user_id, ts,
           CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > to_minutes($gap) THEN 1 ELSE 0 END AS new
    FROM active
    WINDOW w AS (PARTITION BY user_id ORDER BY ts)
),
numbered AS (
    SELECT user_id, ts, sum(new) OVER (PARTITION BY user_id ORDER BY ts, new DESC ROWS UNBOUNDED PRECEDING) AS n
    FROM gaps
),
sessions AS (
    SELECT user_id, n, min(ts) AS start_ts, max(ts) AS end_ts FROM numbered GROUP BY user_id, n
    HAVING min(ts) >= $since
)
SELECT
    (SELECT avg(dau) FROM daily) AS dau_mean,
    (SELECT count(DISTINCT user_id) FROM active WHERE ts >= $until - INTERVAL 7 DAY) AS wau,
    (SELECT count(DISTINCT user_id) FROM active WHERE ts >= $until - INTERVAL 30 DAY) AS mau,
    (SELECT avg(dau / mau30) FROM daily WHERE mau30 > 0) AS stickiness,
    (SELECT count(*) FROM sessions) AS sessions_count,
    (SELECT count(DISTINCT user_id) FROM windowed) AS active_users,
    (SELECT quantile_cont(epoch(end_ts - start_ts) / 60, 0.5) FROM sessions) AS median_minutes,
    (SELECT avg(epoch(end_ts - start_ts) / 60) FROM sessions) AS mean_minutes,
    (SELECT sum(epoch(end_ts - start_ts) / 60) FROM sessions) AS total_minutes,
    (SELECT count(DISTINCT account_id) FROM windowed) AS active_accounts
"""


def engagement_reference(
    path: str,
    since: datetime,
    until: datetime,
    *,
    gap_minutes: int = 30,
    inactive: tuple[str, ...] = (),
    threads: int | None = None,
) -> dict[str, Any]:
    """The engagement headline metrics of a Parquet or CSV events file, computed by DuckDB."""
    con = connect(threads)
    scan = scan_of(path)
    row = con.execute(
        SQL.format(scan=scan),
        {"since": since, "until": until, "gap": gap_minutes, "inactive": list(inactive)},
    ).fetchone()
    assert row is not None
    names = [d[0] for d in con.description]  # type: ignore[union-attr]
    values = dict(zip(names, row, strict=True))
    users = values.pop("active_users")
    total = values.pop("total_minutes") or 0.0
    return {
        "engagement.dau_mean": values["dau_mean"],
        "engagement.active_users": users,
        "engagement.wau": values["wau"],
        "engagement.mau": values["mau"],
        "engagement.stickiness": values["stickiness"],
        "engagement.sessions_count": values["sessions_count"],
        "engagement.sessions_per_user": values["sessions_count"] / users if users else None,
        "engagement.session_duration_median_minutes": values["median_minutes"],
        "engagement.session_duration_mean_minutes": values["mean_minutes"],
        "engagement.time_per_user_minutes": total / users if users else None,
        "engagement.active_accounts_count": values["active_accounts"],
    }
