"""What the command line offers besides computing: the metric catalogue, the families'
declarations (each family command is made from one), the sample data and the starter config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmetrics.core.declarations import Metric, Table
from csmetrics.families.base import Family
from csmetrics.families.catalogue import FAMILIES, METRICS, TABLES
from csmetrics.families.settings import starter_table
from csmetrics.ingest.starter_config import CHECKS, SOURCES
from csmetrics.results.checks import Outcome
from csmetrics.results.checks import exit_code as _exit_code


def families() -> Mapping[str, Family[Any]]:
    """Every family's declaration, in report order: its sources, settings, metrics and tables."""
    return FAMILIES


def catalogue(family: str | None = None) -> tuple[tuple[Metric, ...], tuple[Table, ...]]:
    """The metrics and tables every family declares (`family`: only that one's)."""
    if family is None:
        return METRICS, TABLES
    return FAMILIES[family].metrics, FAMILIES[family].tables


def starter_config() -> str:
    """The commented csmetrics.toml `csmetrics init` writes: the sources, every family's table
    from its declared settings (in the catalogue's order), example checks."""
    order = dict.fromkeys(metric.family for metric in METRICS)
    tables = [starter_table(FAMILIES[name].settings) for name in order]
    return "\n".join([SOURCES, *tables, CHECKS])


def exit_code(outcomes: list[Outcome]) -> int:
    """1 when a check failed, else 0 (warnings pass)."""
    return _exit_code(outcomes)
