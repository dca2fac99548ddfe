"""Every family, and every metric and table they declare: the catalogue that the command line,
`report`, `check` and the docs read. FAMILIES lists the families in report order; a family
added here appears in `report`, `check`, `csmetrics metrics` and the docs with no other change.
"""

from __future__ import annotations

from typing import Any

from csmetrics.core.declarations import Metric, Table
from csmetrics.families.base import Family
from csmetrics.families.engagement import FAMILY as ENGAGEMENT
from csmetrics.families.health import FAMILY as HEALTH
from csmetrics.families.onboarding import FAMILY as ONBOARDING
from csmetrics.families.retention import FAMILY as RETENTION
from csmetrics.families.revenue import FAMILY as REVENUE
from csmetrics.families.support import FAMILY as SUPPORT
from csmetrics.families.voice import FAMILY as VOICE

FAMILIES: dict[str, Family[Any]] = {
    family.name: family
    for family in (ONBOARDING, ENGAGEMENT, RETENTION, SUPPORT, VOICE, REVENUE, HEALTH)
}
# the catalogue's order: the order families are read about in the docs
CATALOGUE_ORDER = ("engagement", "onboarding", "retention", "support", "voice", "revenue", "health")
METRICS: tuple[Metric, ...] = tuple(m for name in CATALOGUE_ORDER for m in FAMILIES[name].metrics)
TABLES: tuple[Table, ...] = tuple(t for name in CATALOGUE_ORDER for t in FAMILIES[name].tables)

_BY_ID = {metric.id: metric for metric in METRICS}


def metric(metric_id: str) -> Metric:
    return _BY_ID[metric_id]


def family_metrics(family: str) -> tuple[Metric, ...]:
    return FAMILIES[family].metrics


def family_tables(family: str) -> tuple[Table, ...]:
    return FAMILIES[family].tables


def families() -> tuple[str, ...]:
    return CATALOGUE_ORDER


__all__ = [
    "FAMILIES",
    "METRICS",
    "TABLES",
    "Metric",
    "Table",
    "families",
    "family_metrics",
    "family_tables",
    "metric",
]
