"""Independent DuckDB SQL implementations of support and voice (metrics.md), written from the
spec, not from csmetrics' code: the tests compare them on generated data and `make bench` times
them. Report time zone UTC; business hours as weekday opening ranges expanded day by day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.families.reference_duckdb import connect
from tests.families.reference_duckdb import table_scan as _scan

TICKETS = """
WITH t AS (
    SELECT CAST(created_at AS TIMESTAMPTZ) AS c, CAST(first_response_at AS TIMESTAMPTZ) AS fr,
           CAST(solved_at AS TIMESTAMPTZ) AS sv, CAST(agent_replies AS INTEGER) AS replies,
           CAST(reopens AS INTEGER) AS reopens,
           CASE WHEN lower(CAST(satisfaction AS VARCHAR)) LIKE 'good%' THEN 5
                WHEN lower(CAST(satisfaction AS VARCHAR)) LIKE 'bad%' THEN 1
                ELSE TRY_CAST(satisfaction AS DOUBLE) END AS rating,
           row_number() OVER () AS id
    FROM {scan}
),
f AS (
    SELECT *, c >= $since AND c < $until AS w,
           coalesce(fr < $until, false) AS answered, coalesce(sv < $until, false) AS solved
    FROM t
)
"""

CALENDAR = """
, d AS (
    SELECT *, CASE WHEN answered THEN epoch(fr - c) / 3600 END AS frh,
              CASE WHEN solved THEN epoch(sv - c) / 3600 END AS rh,
              CASE WHEN NOT answered THEN epoch($until - c) / 3600 END AS age
    FROM f
)
"""

BUSINESS = """
, spans AS (
    SELECT id, 'fr' AS kind, CAST(c AS TIMESTAMP) AS a, CAST(fr AS TIMESTAMP) AS b FROM f WHERE answered AND fr >= c
    UNION ALL
    SELECT id, 'rh', CAST(c AS TIMESTAMP), CAST(sv AS TIMESTAMP) FROM f WHERE solved AND sv >= c
    UNION ALL
    SELECT id, 'age', CAST(c AS TIMESTAMP), CAST($until AS TIMESTAMP) FROM f WHERE NOT answered AND c < $until
),
days AS (
    SELECT id, kind, a, b, unnest(generate_series(date_trunc('day', a), date_trunc('day', b), INTERVAL 1 DAY)) AS day
    FROM spans
),
open_time AS (
    SELECT id, kind,
           sum(greatest(0, epoch(least(b, day + INTERVAL 17 HOUR) - greatest(a, day + INTERVAL 9 HOUR)))) / 3600 AS hours
    FROM days WHERE isodow(day) <= 5 GROUP BY id, kind
),
d AS (
    SELECT f.*,
           CASE WHEN answered AND fr >= c THEN coalesce(o1.hours, 0) WHEN answered THEN -1 END AS frh,
           CASE WHEN solved AND sv >= c THEN coalesce(o2.hours, 0) WHEN solved THEN -1 END AS rh,
           CASE WHEN NOT answered THEN coalesce(o3.hours, 0) END AS age
    FROM f
    LEFT JOIN open_time o1 ON o1.id = f.id AND o1.kind = 'fr'
    LEFT JOIN open_time o2 ON o2.id = f.id AND o2.kind = 'rh'
    LEFT JOIN open_time o3 ON o3.id = f.id AND o3.kind = 'age'
)
"""

MEASURES = """
SELECT count(*) FILTER (WHERE w) AS created,
       count(*) FILTER (WHERE sv >= $since AND sv < $until) AS solved_count,
       count(*) FILTER (WHERE c < $until AND NOT solved) AS backlog,
       quantile_cont(frh, 0.5) FILTER (WHERE w AND frh >= 0) AS fr_median,
       avg(frh) FILTER (WHERE w AND frh >= 0) AS fr_mean,
       quantile_cont(frh, 0.9) FILTER (WHERE w AND frh >= 0) AS fr_p90,
       count(*) FILTER (WHERE w AND NOT answered) / nullif(count(*) FILTER (WHERE w), 0) AS unanswered,
       quantile_cont(rh, 0.5) FILTER (WHERE w AND solved AND rh >= 0) AS res_median,
       avg(rh) FILTER (WHERE w AND solved AND rh >= 0) AS res_mean,
       quantile_cont(rh, 0.9) FILTER (WHERE w AND solved AND rh >= 0) AS res_p90,
       count(*) FILTER (WHERE w AND solved AND replies <= 1 AND coalesce(reopens, 0) = 0)
           / nullif(count(*) FILTER (WHERE w AND solved), 0) AS fcr,
       count(*) FILTER (WHERE w AND solved AND reopens > 0) / nullif(count(*) FILTER (WHERE w AND solved), 0) AS reopen,
       count(*) FILTER (WHERE w AND ((answered AND frh > $sla) OR (NOT answered AND age > $sla)))
           / nullif(count(*) FILTER (WHERE w AND (answered OR age > $sla)), 0) AS sla,
       count(*) FILTER (WHERE w AND rating >= 4) / nullif(count(*) FILTER (WHERE w AND rating IS NOT NULL), 0) AS csat,
       count(*) FILTER (WHERE w AND solved AND rating IS NOT NULL) / nullif(count(*) FILTER (WHERE w AND solved), 0) AS csat_response
FROM d
"""

NAMES = (
    "tickets_created_count",
    "tickets_solved_count",
    "backlog_count",
    "first_response_median_hours",
    "first_response_mean_hours",
    "first_response_p90_hours",
    "unanswered_share",
    "resolution_median_hours",
    "resolution_mean_hours",
    "resolution_p90_hours",
    "first_contact_resolution_rate",
    "reopen_rate",
    "sla_first_response_breach_rate",
    "csat_rate",
    "csat_response_rate",
)


def support_reference(
    path: str, since: datetime, until: datetime, *, sla_hours: float, business: bool = False
) -> dict[str, Any]:
    """Support's headline metrics; with `business`, durations in mon-fri 09:00-17:00 UTC."""
    con = connect()
    sql = TICKETS.format(scan=_scan(path)) + (BUSINESS if business else CALENDAR) + MEASURES
    row = con.execute(sql, {"since": since, "until": until, "sla": sla_hours}).fetchone()
    assert row is not None
    return {f"support.{name}": value for name, value in zip(NAMES, row, strict=True)}
