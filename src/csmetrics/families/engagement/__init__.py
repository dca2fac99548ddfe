"""Engagement (metrics.md): DAU/WAU/MAU, stickiness, sessions, feature adoption, account activity.

One module per concept: `timeline` (the per-user timeline every output reads), `actives` (DAU,
rolling WAU/MAU, active days), `sessions`, `features`, `accounts`; `stages` wires them into the
family's stages and plan, `assemble` turns the collected frames into the report.
"""

from csmetrics.families.base import Family
from csmetrics.families.engagement.assemble import assemble
from csmetrics.families.engagement.contract import FRAMES
from csmetrics.families.engagement.explain import EXPLAINERS, shared
from csmetrics.families.engagement.metrics import METRICS, TABLES
from csmetrics.families.engagement.params import (
    SETTINGS,
    EngagementParams,
    needed_columns,
    parameters,
    params_from_config,
)
from csmetrics.families.engagement.stages import group_events, order_events, plan
from csmetrics.families.engagement.timeline import lookback

FAMILY: Family[EngagementParams] = Family(
    name="engagement",
    summary="DAU/WAU/MAU, stickiness, sessions, feature adoption and account activity.",
    example=("csmetrics engagement --events events.parquet --period last-30d --grain week"),
    required=("events",),
    needed_columns=needed_columns,
    plan=plan,
    stages=(group_events, order_events),
    assemble=assemble,
    parameters=parameters,
    lookback=lookback,
    configure=params_from_config,
    settings=SETTINGS,
    metrics=METRICS,
    tables=TABLES,
    frames=FRAMES,
    explainers=EXPLAINERS,
    explain_shared=shared,
)

__all__ = ["FAMILY", "EngagementParams", "params_from_config"]
