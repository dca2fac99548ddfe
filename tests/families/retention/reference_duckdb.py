"""Independent DuckDB SQL implementations of onboarding and retention (metrics.md), written
from the spec, not from csmetrics' code: the tests compare the two on generated data, and
`make bench` times both on the same files. Report time zone UTC, Monday weeks, user level,
signup = a user's first event, cohort grain week, retention first_time/on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.families.reference_duckdb import connect, scan_of
from tests.families.shared.reference_duckdb import EVENTS

RETENTION = """
, ret AS (
    SELECT DISTINCT user_id, CAST(date_trunc('week', ts) AS DATE) AS b FROM ev
    WHERE event NOT IN (SELECT unnest($inactive::VARCHAR[]))
),
coh AS (SELECT user_id, CAST(date_trunc('week', s) AS DATE) AS c FROM signup),
sizes AS (SELECT c, count(*) AS size FROM coh GROUP BY c),
cells AS (
    SELECT coh.c, CAST((ret.b - coh.c) / 7 AS INTEGER) AS k, count(*) AS users
    FROM coh JOIN ret USING (user_id) WHERE ret.b > coh.c GROUP BY 1, 2
),
observed AS (
    SELECT least($until, max(CAST(ts AS TIMESTAMPTZ))) AS horizon,
           min(CAST(ts AS TIMESTAMPTZ)) AS first_ts, max(CAST(ts AS TIMESTAMPTZ)) AS last_ts
    FROM raw
),
weeks AS (
    SELECT CAST(w AS DATE) AS b
    FROM generate_series(CAST(date_trunc('week', $since) AS TIMESTAMP),
                         CAST($until AS TIMESTAMP), INTERVAL 7 DAY) t(w)
),
inside AS (
    SELECT b FROM weeks, observed
    WHERE CAST(b AS TIMESTAMPTZ) >= $since AND CAST(b AS TIMESTAMPTZ) + INTERVAL 7 DAY <= $until
      AND CAST(b AS TIMESTAMPTZ) + INTERVAL 7 DAY <= horizon
),
complete AS (
    SELECT max(b) AS b FROM weeks, observed
    WHERE CAST(b AS TIMESTAMPTZ) >= $since AND CAST(b AS TIMESTAMPTZ) + INTERVAL 7 DAY <= $until
      AND CAST(b AS TIMESTAMPTZ) >= first_ts
      AND CAST(b AS TIMESTAMPTZ) + INTERVAL 7 DAY <= last_ts + INTERVAL 1 MICROSECOND
),
rates AS (
    SELECT k.k,
           sum(coalesce(cells.users, 0)) / nullif(sum(coalesce(sizes.size, 0)), 0) AS rate
    FROM (SELECT unnest([1, 4]) AS k) k
    CROSS JOIN inside
    LEFT JOIN sizes ON sizes.c = inside.b - 7 * k.k
    LEFT JOIN cells ON cells.c = inside.b - 7 * k.k AND cells.k = k.k
    GROUP BY k.k
),
churn AS (
    SELECT count(*) FILTER (WHERE now_b.user_id IS NULL) / nullif(count(*), 0) AS rate
    FROM complete
    JOIN ret prev ON prev.b = complete.b - 7
    LEFT JOIN ret now_b ON now_b.user_id = prev.user_id AND now_b.b = complete.b
)
SELECT (SELECT rate FROM rates WHERE k = 1) AS p1,
       (SELECT rate FROM rates WHERE k = 4) AS p4,
       (SELECT rate FROM churn) AS churn
"""

CELLS = """
, ret AS (
    SELECT DISTINCT user_id, CAST(date_trunc('week', ts) AS DATE) AS b FROM ev
    WHERE event NOT IN (SELECT unnest($inactive::VARCHAR[]))
),
coh AS (SELECT user_id, CAST(date_trunc('week', s) AS DATE) AS c FROM signup)
SELECT coh.c, CAST((ret.b - coh.c) / 7 AS INTEGER) AS k, count(*) AS users
FROM coh JOIN ret USING (user_id) WHERE ret.b > coh.c GROUP BY 1, 2
"""


def retention_reference(
    path: str, since: datetime, until: datetime, *, inactive: tuple[str, ...] = ()
) -> tuple[dict[str, Any], dict[tuple[Any, int], int]]:
    """The retention headline metrics, and every cohort cell (cohort, offset >= 1) -> users."""
    con = connect()
    scan = scan_of(path)
    params = {"since": since, "until": until, "inactive": list(inactive)}
    row = con.execute((EVENTS + RETENTION).format(scan=scan), params).fetchone()
    assert row is not None
    cells = con.execute(
        (EVENTS + CELLS).format(scan=scan), {"until": until, "inactive": list(inactive)}
    ).fetchall()
    metrics = {
        "retention.period_1_rate": row[0],
        "retention.period_4_rate": row[1],
        "retention.user_churn_rate": row[2],
    }
    return metrics, {(c, k): n for c, k, n in cells}
