"""Independent DuckDB SQL implementations of support and voice (metrics.md), written from the
spec, not from csmetrics' code: the tests compare them on generated data and `make bench` times
them. Report time zone UTC; business hours as weekday opening ranges expanded day by day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.families.reference_duckdb import connect
from tests.families.reference_duckdb import table_scan as _scan

VOICE = """
WITH s AS (
    SELECT CAST(submitted_at AS TIMESTAMPTZ) AS answered_at, CAST(score AS DOUBLE) AS score,
           lower(survey) AS survey, lower(trim({component})) AS component, respondent_id
    FROM {scan}
    WHERE CAST(submitted_at AS TIMESTAMPTZ) >= $since AND CAST(submitted_at AS TIMESTAMPTZ) < $until
),
valid AS (
    SELECT * FROM s
    WHERE (survey = 'nps' AND score BETWEEN 0 AND 10) OR (survey = 'csat' AND score BETWEEN 1 AND 5)
       OR (survey = 'ces' AND score BETWEEN 1 AND 7)
       OR (survey = 'cxi' AND score BETWEEN 1 AND 5
           AND component IN ('effort', 'empathy', 'understanding', 'efficiency'))
),
latest AS (
    SELECT * FROM valid WHERE respondent_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY survey, respondent_id, component ORDER BY answered_at DESC, score DESC) = 1
    UNION ALL
    SELECT * FROM valid WHERE respondent_id IS NULL
),
parts AS (
    -- the CX index on its default 1-5 scale: top two boxes minus bottom two, per component
    SELECT c.component,
           CASE WHEN count(l.score) > 0 THEN
               100.0 * (count(*) FILTER (WHERE l.score >= 4) - count(*) FILTER (WHERE l.score <= 2))
               / count(l.score) END AS idx
    FROM (VALUES ('effort'), ('empathy'), ('understanding'), ('efficiency')) c(component)
    LEFT JOIN (SELECT * FROM latest WHERE survey = 'cxi') l USING (component)
    GROUP BY c.component
),
n AS (
    SELECT count(*) FILTER (WHERE survey = 'nps') AS n,
           count(*) FILTER (WHERE survey = 'nps' AND score >= 9) AS p,
           count(*) FILTER (WHERE survey = 'nps' AND score <= 6) AS d
    FROM latest
)
SELECT CASE WHEN n > 0 THEN 100 * (p - d) / n END AS nps,
       CASE WHEN n > 0 THEN 100 * 1.96 * sqrt(greatest(p / n + d / n - pow(p / n - d / n, 2), 0) / n) END AS margin,
       n,
       (SELECT avg(CASE WHEN score >= 4 THEN 1.0 ELSE 0.0 END) FROM latest WHERE survey = 'csat') AS csat_rate,
       (SELECT avg(score) FROM latest WHERE survey = 'csat') AS csat_mean,
       (SELECT avg(score) FROM latest WHERE survey = 'ces') AS ces_mean,
       (SELECT avg(CASE WHEN score >= 5 THEN 1.0 ELSE 0.0 END) FROM latest WHERE survey = 'ces') AS ces_easy,
       (SELECT CASE WHEN count(idx) = 4 THEN avg(idx) END FROM parts) AS cxi,
       (SELECT idx FROM parts WHERE component = 'effort') AS cxi_effort,
       (SELECT idx FROM parts WHERE component = 'empathy') AS cxi_empathy,
       (SELECT idx FROM parts WHERE component = 'understanding') AS cxi_understanding,
       (SELECT idx FROM parts WHERE component = 'efficiency') AS cxi_efficiency
FROM n
"""


def voice_reference(path: str, since: datetime, until: datetime) -> dict[str, Any]:
    con = connect()
    header = con.execute(f"SELECT * FROM {_scan(path)} LIMIT 0").description or []
    component = "component" if "component" in {d[0] for d in header} else "NULL"
    sql = VOICE.format(scan=_scan(path), component=component)
    row = con.execute(sql, {"since": since, "until": until}).fetchone()
    assert row is not None
    names = ("nps", "nps_margin_of_error", "nps_responses_count", "csat_rate", "csat_mean",
             "ces_mean", "ces_easy_share", "cxi", "cxi_effort", "cxi_empathy",
             "cxi_understanding", "cxi_efficiency")  # fmt: skip
    return {f"voice.{name}": value for name, value in zip(names, row, strict=True)}
