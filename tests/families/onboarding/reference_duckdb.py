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

ONBOARDING = """
, win AS (SELECT * FROM signup WHERE s >= $since),
firsts AS (
    SELECT w.user_id, e.event, min(e.ts) AS f
    FROM win w JOIN ev e ON e.user_id = w.user_id
    WHERE e.ts >= w.s AND e.event IN (SELECT unnest($activation::VARCHAR[]))
    GROUP BY w.user_id, e.event
),
act AS (
    SELECT user_id, CASE WHEN count(*) = len($activation::VARCHAR[]) THEN max(f) END AS act_at
    FROM firsts GROUP BY user_id
),
val AS (SELECT user_id, f AS val_at FROM firsts WHERE event = $value),
o AS (
    SELECT w.s, a.act_at, v.val_at,
           w.s + to_days($window_days) > $until AS pending,
           coalesce(a.act_at < w.s + to_days($window_days), false) AS activated,
           epoch(v.val_at - w.s) / 3600 AS ttv,
           CASE WHEN a.act_at < w.s + to_days($window_days) THEN epoch(a.act_at - w.s) / 86400 END AS dto
    FROM win w LEFT JOIN act a USING (user_id) LEFT JOIN val v USING (user_id)
)
SELECT count(*) AS signups,
       count(*) FILTER (WHERE activated AND NOT pending) / nullif(count(*) FILTER (WHERE NOT pending), 0) AS rate,
       quantile_cont(ttv, 0.5) AS ttv_median,
       quantile_cont(ttv, 0.9) AS ttv_p90,
       count(val_at) / nullif(count(*), 0) AS reached,
       avg(dto) AS dto_mean,
       quantile_cont(dto, 0.5) AS dto_median
FROM o
"""


def _funnel_sql(steps: int) -> str:
    parts = [
        ", s1 AS (SELECT user_id, min(ts) AS t1, min(ts) AS at FROM ev "
        "WHERE event = $step1 AND ts >= $since GROUP BY user_id)"
    ]
    for k in range(2, steps + 1):
        parts.append(
            f", s{k} AS (SELECT p.user_id, p.t1, min(e.ts) AS at FROM s{k - 1} p "
            f"JOIN ev e ON e.user_id = p.user_id AND e.event = $step{k} "
            f"AND e.ts >= p.at AND e.ts < p.t1 + to_days($conversion_days) GROUP BY p.user_id, p.t1)"
        )
    counts = ", ".join(f"(SELECT count(*) FROM s{k}) AS n{k}" for k in range(1, steps + 1))
    return "".join(parts) + f" SELECT {counts}"


def onboarding_reference(
    path: str,
    since: datetime,
    until: datetime,
    *,
    activation: tuple[str, ...],
    window_days: int,
    steps: tuple[str, ...],
    conversion_days: int,
) -> dict[str, Any]:
    """The onboarding headline metrics of an events file, computed by DuckDB."""
    con = connect()
    scan = scan_of(path)
    row = con.execute(
        (EVENTS + ONBOARDING).format(scan=scan),
        {
            "since": since,
            "until": until,
            "activation": list(activation),
            "value": activation[-1],
            "window_days": window_days,
        },
    ).fetchone()
    assert row is not None
    names = [d[0] for d in con.description]  # type: ignore[union-attr]
    values = dict(zip(names, row, strict=True))
    step_params = {f"step{k}": name for k, name in enumerate(steps, start=1)}
    funnel = con.execute(
        (EVENTS + _funnel_sql(len(steps))).format(scan=scan),
        {"since": since, "until": until, "conversion_days": conversion_days, **step_params},
    ).fetchone()
    assert funnel is not None
    return {
        "onboarding.signups_count": values["signups"],
        "onboarding.activation_rate": values["rate"],
        "onboarding.time_to_value_median_hours": values["ttv_median"],
        "onboarding.time_to_value_p90_hours": values["ttv_p90"],
        "onboarding.reached_value_share": values["reached"],
        "onboarding.days_to_onboard_mean": values["dto_mean"],
        "onboarding.days_to_onboard_median": values["dto_median"],
        "onboarding.funnel_conversion_rate": funnel[-1] / funnel[0] if funnel[0] else None,
    }
