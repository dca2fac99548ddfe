"""The Python API: `load` the sources once, then compute any family on them.

    >>> import csmetrics as cm
    >>> inputs = cm.load(events="sample_data/events.csv")  # doctest: +SKIP
    >>> rep = cm.engagement(inputs, period="2026-10", timezone="Europe/Paris")  # doctest: +SKIP
    >>> rep.metrics["engagement.stickiness"]  # doctest: +SKIP

The command line is a thin layer over these functions and calls nothing else of the package
but rendering (a contract in pyproject.toml holds it to that). Every family is one more
function of the same shape: `family(inputs, *, its settings, window) -> Report`.
"""

from csmetrics.api.explanations import explain, explain_metric_family, explainable_metrics
from csmetrics.api.families import (
    engagement,
    health,
    onboarding,
    retention,
    revenue,
    support,
    voice,
)
from csmetrics.api.run import (
    WindowArgs,
    check,
    checks_of,
    compute_family,
    family_named,
    report,
    window_of,
)
from csmetrics.api.sources import load, profile, read_config
from csmetrics.api.tools import catalogue, exit_code, families, starter_config
from csmetrics.core.errors import ConfigError, CsMetricsError, InputError, OutputError
from csmetrics.families.base import Family
from csmetrics.families.settings import Setting
from csmetrics.ingest.config import Config
from csmetrics.ingest.inputs import Inputs
from csmetrics.ingest.load import SourceArg
from csmetrics.ingest.sources.schema import SOURCE_KINDS
from csmetrics.results.bundle import Bundle
from csmetrics.results.explanation import Explanation
from csmetrics.results.report import Report
from csmetrics.sample import SampleOptions, write_sample

__all__ = [
    "SOURCE_KINDS",
    "Bundle",
    "Config",
    "ConfigError",
    "CsMetricsError",
    "Explanation",
    "Family",
    "InputError",
    "Inputs",
    "OutputError",
    "Report",
    "SampleOptions",
    "Setting",
    "SourceArg",
    "WindowArgs",
    "catalogue",
    "check",
    "checks_of",
    "compute_family",
    "engagement",
    "exit_code",
    "explain",
    "explain_metric_family",
    "explainable_metrics",
    "families",
    "family_named",
    "health",
    "load",
    "onboarding",
    "profile",
    "read_config",
    "report",
    "retention",
    "revenue",
    "starter_config",
    "support",
    "voice",
    "window_of",
    "write_sample",
]
