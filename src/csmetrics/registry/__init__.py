"""Every metric and table, declared once, one module per family: the catalogue, JSON ids,
thresholds and docs use it."""

from __future__ import annotations

from csmetrics.registry import engagement as _engagement
from csmetrics.registry import health as _health
from csmetrics.registry import onboarding as _onboarding
from csmetrics.registry import retention as _retention
from csmetrics.registry import revenue as _revenue
from csmetrics.registry import support as _support
from csmetrics.registry import voice as _voice
from csmetrics.registry.model import Direction, Metric, Table

_FAMILIES = (
    _engagement,
    _onboarding,
    _retention,
    _support,
    _voice,
    _revenue,
    _health,
)
METRICS: tuple[Metric, ...] = tuple(m for module in _FAMILIES for m in module.METRICS)
TABLES: tuple[Table, ...] = tuple(t for module in _FAMILIES for t in module.TABLES)

_BY_ID = {metric.id: metric for metric in METRICS}


def metric(metric_id: str) -> Metric:
    return _BY_ID[metric_id]


def family_metrics(family: str) -> tuple[Metric, ...]:
    return tuple(m for m in METRICS if m.family == family)


def family_tables(family: str) -> tuple[Table, ...]:
    return tuple(t for t in TABLES if t.family == family)


def families() -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.family for m in METRICS))


__all__ = [
    "METRICS",
    "TABLES",
    "Direction",
    "Metric",
    "Table",
    "families",
    "family_metrics",
    "family_tables",
    "metric",
]
