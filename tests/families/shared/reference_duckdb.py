"""The events onboarding's and retention's DuckDB references start from (deduplicated, active,
with each user's signup), as families/shared/signups.py is the stage both families share."""

EVENTS = """
WITH raw AS (SELECT * FROM {scan}),
dedup AS (
    SELECT * FROM raw WHERE event_id IS NULL
    UNION ALL
    SELECT * FROM raw WHERE event_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY event_id) = 1
),
ev AS (SELECT user_id, event, CAST(ts AS TIMESTAMPTZ) AS ts FROM dedup WHERE ts < $until),
signup AS (SELECT user_id, min(ts) AS s FROM ev GROUP BY user_id)
"""
