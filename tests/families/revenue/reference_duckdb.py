"""An independent DuckDB SQL implementation of the revenue metrics (metrics.md), written from the
spec, not from csmetrics' code: the tests compare the two on generated lines and `make bench`
times both. Report time zone UTC; month-aligned windows; one currency; amounts as doubles (the
spec's rounding of a line's monthly amount is csmetrics' only difference, below 1e-6 per line).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.families.reference_duckdb import connect
from tests.families.reference_duckdb import table_scan as _scan

SQL = """
WITH raw AS (SELECT * FROM {scan}),
l AS (
    SELECT invoice_id, account_id, CAST(amount AS DOUBLE) AS amount,
           CAST(issued_at AS TIMESTAMPTZ) AS issued,
           coalesce(CAST(period_start AS TIMESTAMPTZ), CAST(issued_at AS TIMESTAMPTZ)) AS ps,
           coalesce(CAST(period_end AS TIMESTAMPTZ),
                    coalesce(CAST(period_start AS TIMESTAMPTZ), CAST(issued_at AS TIMESTAMPTZ)) + INTERVAL 1 MONTH) AS pe,
           CAST(due_at AS TIMESTAMPTZ) AS due, CAST(paid_at AS TIMESTAMPTZ) AS paid,
           coalesce(CAST(recurring AS BOOLEAN), true) AS recurring
    FROM raw
    WHERE coalesce(lower(trim(status)), '') NOT IN ('void', 'draft')
      AND CAST(issued_at AS TIMESTAMPTZ) < $until
),
r AS (
    SELECT account_id, ps, pe, epoch(pe - ps) / 86400 / 30.436875 AS m, amount
    FROM l WHERE recurring AND pe > ps
),
rates AS (
    SELECT account_id, ps, pe,
           amount / CASE WHEN abs(m - greatest(round(m), 1)) <= 0.1 * greatest(round(m), 1)
                         THEN greatest(round(m), 1) ELSE m END AS monthly
    FROM r
),
boundaries AS (
    SELECT CAST(b AS TIMESTAMPTZ) AS boundary, CAST(b - INTERVAL 1 MONTH AS DATE) AS month
    FROM generate_series(
        CAST(date_trunc('month', (SELECT min(ps) FROM rates)) + INTERVAL 1 MONTH AS TIMESTAMP),
        CAST($until AS TIMESTAMP), INTERVAL 1 MONTH) t(b)
),
am AS (
    SELECT month, account_id, sum(monthly) AS mrr
    FROM rates JOIN boundaries ON ps < boundary AND pe >= boundary
    GROUP BY month, account_id
    HAVING sum(monthly) > 0
),
first_paid AS (SELECT account_id, min(month) AS first_month FROM am GROUP BY account_id),
pairs AS (
    SELECT coalesce(c.month, CAST(p.month + INTERVAL 1 MONTH AS DATE)) AS month,
           coalesce(c.account_id, p.account_id) AS account_id,
           coalesce(c.mrr, 0) AS cur, coalesce(p.mrr, 0) AS prev
    FROM am c FULL OUTER JOIN am p
      ON c.account_id = p.account_id AND c.month = CAST(p.month + INTERVAL 1 MONTH AS DATE)
),
movements AS (
    SELECT month,
           sum(prev) AS starting, sum(cur) AS ending,
           coalesce(sum(cur) FILTER (WHERE prev = 0 AND month = first_month), 0) AS new,
           coalesce(sum(cur) FILTER (WHERE prev = 0 AND cur > 0 AND month > first_month), 0) AS reactivation,
           coalesce(sum(cur - prev) FILTER (WHERE prev > 0 AND cur > prev), 0) AS expansion,
           coalesce(sum(prev - cur) FILTER (WHERE cur > 0 AND cur < prev), 0) AS contraction,
           coalesce(sum(prev) FILTER (WHERE cur = 0), 0) AS churn,
           count(*) FILTER (WHERE prev > 0) AS starting_accounts,
           count(*) FILTER (WHERE prev > 0 AND cur = 0) AS churned_accounts
    FROM pairs JOIN first_paid USING (account_id)
    GROUP BY month
),
window_months AS (
    SELECT month FROM boundaries WHERE boundary > $since AND boundary <= $until
),
last_month AS (SELECT max(month) AS month FROM window_months),
inside AS (SELECT m.* FROM movements m JOIN window_months USING (month)),
now_accounts AS (
    SELECT account_id, sum(monthly) AS mrr FROM rates
    WHERE ps < $until AND pe >= $until GROUP BY account_id
),
head AS (
    SELECT sum(greatest(mrr, 0)) AS mrr, count(*) FILTER (WHERE mrr > 0) AS paying FROM now_accounts
),
nrr AS (
    SELECT sum(b.mrr) AS base, sum(coalesce(c.mrr, 0)) AS kept,
           sum(least(coalesce(c.mrr, 0), b.mrr)) AS kept_gross
    FROM am b LEFT JOIN am c
      ON c.account_id = b.account_id AND c.month = (SELECT month FROM last_month)
    WHERE b.month = CAST((SELECT month FROM last_month) - INTERVAL 12 MONTH AS DATE)
),
year_churn AS (
    SELECT avg(churned_accounts / starting_accounts) AS rate FROM movements
    WHERE starting_accounts > 0
      AND month > CAST((SELECT month FROM last_month) - INTERVAL 12 MONTH AS DATE)
      AND month <= (SELECT month FROM last_month)
),
inv AS (
    SELECT invoice_id, sum(amount) AS amount, min(issued) AS issued, max(due) AS due,
           CASE WHEN count(*) = count(paid) THEN max(paid) END AS paid
    FROM l GROUP BY invoice_id
),
pay AS (
    SELECT count(*) FILTER (WHERE amount > 0 AND due >= $since AND due < $until) AS due_count,
           count(*) FILTER (WHERE amount > 0 AND due >= $since AND due < $until
                            AND (paid IS NULL OR paid >= $until OR paid > due)) AS late_count,
           avg(epoch(paid - due) / 86400) FILTER (WHERE amount > 0 AND due >= $since AND due < $until
                            AND paid < $until AND paid > due) AS days_late,
           coalesce(sum(amount) FILTER (WHERE amount > 0 AND (paid IS NULL OR paid >= $until) AND due < $until), 0) AS overdue,
           coalesce(sum(amount) FILTER (WHERE amount > 0 AND (paid IS NULL OR paid >= $until)), 0) AS receivable
    FROM inv
)
SELECT head.mrr, head.paying,
       (SELECT avg(churned_accounts / starting_accounts) FROM inside WHERE starting_accounts > 0) AS logo_churn,
       (SELECT avg((contraction + churn) / starting) FROM inside WHERE starting > 0) AS gross_churn,
       nrr.kept / nullif(nrr.base, 0) AS nrr, nrr.kept_gross / nullif(nrr.base, 0) AS grr,
       (SELECT sum(new + reactivation + expansion) / nullif(sum(contraction + churn), 0) FROM inside) AS quick,
       (SELECT rate FROM year_churn) AS year_churn,
       (SELECT coalesce(sum(amount), 0) FROM l WHERE issued >= $since) AS billed,
       pay.*
FROM head, nrr, pay
"""

MOVEMENTS = """
SELECT month, starting, new, expansion, contraction, churn, reactivation, ending
FROM movements JOIN window_months USING (month) ORDER BY month
"""


# ARPU's users: distinct users of the accounts paying at `until`, with an event other than the
# inactive ones in the calendar month before `until` (UTC)
ARPU_USERS = """
SELECT count(DISTINCT e.user_id) AS users
FROM {events} e
WHERE CAST(e.timestamp AS TIMESTAMPTZ) >= CAST($until AS TIMESTAMPTZ) - INTERVAL 1 MONTH
  AND CAST(e.timestamp AS TIMESTAMPTZ) < $until
  AND e.event NOT IN (SELECT unnest($inactive::VARCHAR[]))
  AND e.account_id IN (SELECT account_id FROM now_accounts WHERE mrr > 0)
"""


def revenue_reference(
    path: str,
    since: datetime,
    until: datetime,
    gross_margin: float = 1.0,
    events: str | None = None,
    inactive: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Revenue's headline metrics of a billing file (ARPU with an events file)."""
    con = connect()
    row = con.execute(SQL.format(scan=_scan(path)), {"since": since, "until": until}).fetchone()
    assert row is not None
    names = [d[0] for d in con.description]  # type: ignore[union-attr]
    v = dict(zip(names, row, strict=True))
    mrr, paying = v["mrr"] or 0.0, v["paying"]
    arpa = mrr / paying if paying else None
    users = None
    if events is not None:
        sql = SQL.format(scan=_scan(path)).split("\nSELECT head.mrr")[0]
        sql += ARPU_USERS.format(events=_scan(events))
        found = con.execute(sql, {"since": since, "until": until, "inactive": list(inactive)})
        users = found.fetchone()[0]  # type: ignore[index]
    days = (until - since).total_seconds() / 86400
    billed = v["billed"]
    return {
        "revenue.mrr": mrr,
        "revenue.arr": 12 * mrr,
        "revenue.paying_accounts_count": paying,
        "revenue.arpa": arpa,
        "revenue.arpu": mrr / users if users and paying else None,
        "revenue.logo_churn_rate": v["logo_churn"],
        "revenue.gross_mrr_churn_rate": v["gross_churn"],
        "revenue.nrr": v["nrr"],
        "revenue.grr": v["grr"],
        "revenue.quick_ratio": v["quick"],
        "revenue.ltv": arpa * gross_margin / v["year_churn"]
        if arpa is not None and v["year_churn"]
        else None,
        "revenue.billed_amount": billed,
        "revenue.late_payment_share": v["late_count"] / v["due_count"] if v["due_count"] else None,
        "revenue.days_late_mean": v["days_late"],
        "revenue.overdue_amount": v["overdue"],
        "revenue.dso_days": v["receivable"] / billed * days if billed and billed > 0 else None,
    }


def movements_reference(path: str, since: datetime, until: datetime) -> list[tuple[Any, ...]]:
    """The window's monthly movements: (month, starting, new, expansion, contraction, churn,
    reactivation, ending)."""
    con = connect()
    sql = SQL.format(scan=_scan(path)).split("\nSELECT head.mrr")[0] + MOVEMENTS
    return con.execute(sql, {"since": since, "until": until}).fetchall()
