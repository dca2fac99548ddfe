"""csmetrics: customer-success metrics from exported product, help-desk, billing and survey data.

    import csmetrics as cm
    inputs = cm.load(events="exports/events/*.parquet", accounts="accounts.csv",
                     preset={"events": "segment"})
    rep = cm.engagement(inputs, period="2026-10", timezone="Europe/Paris", session_gap="30m")
    rep.metrics["engagement.stickiness"]; rep.tables["activity"]   # a polars DataFrame
    rep.to_json(); rep.write("out/", format="parquet")

The names below are the public API; everything else is internal. They are imported on first use,
so `csmetrics --help` does not pay for Polars.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from csmetrics.api import (
        catalogue,
        check,
        compute_family,
        engagement,
        exit_code,
        explain,
        health,
        load,
        onboarding,
        profile,
        read_config,
        report,
        retention,
        revenue,
        support,
        voice,
        window_of,
    )
    from csmetrics.core.diagnostics import DataWarning
    from csmetrics.core.errors import ConfigError, CsMetricsError, InputError, OutputError
    from csmetrics.core.window import Window
    from csmetrics.ingest.inputs import Inputs
    from csmetrics.ingest.source import Source
    from csmetrics.results.bundle import Bundle
    from csmetrics.results.explanation import Explanation
    from csmetrics.results.report import Report

_EXPORTS = {
    "load": "csmetrics.api",
    "engagement": "csmetrics.api",
    "health": "csmetrics.api",
    "window_of": "csmetrics.api",
    "onboarding": "csmetrics.api",
    "retention": "csmetrics.api",
    "revenue": "csmetrics.api",
    "support": "csmetrics.api",
    "voice": "csmetrics.api",
    "report": "csmetrics.api",
    "check": "csmetrics.api",
    "catalogue": "csmetrics.api",
    "compute_family": "csmetrics.api",
    "exit_code": "csmetrics.api",
    "explain": "csmetrics.api",
    "profile": "csmetrics.api",
    "read_config": "csmetrics.api",
    "Bundle": "csmetrics.results.bundle",
    "Inputs": "csmetrics.ingest.inputs",
    "Source": "csmetrics.ingest.source",
    "Report": "csmetrics.results.report",
    "Explanation": "csmetrics.results.explanation",
    "Window": "csmetrics.core.window",
    "DataWarning": "csmetrics.core.diagnostics",
    "CsMetricsError": "csmetrics.core.errors",
    "InputError": "csmetrics.core.errors",
    "ConfigError": "csmetrics.core.errors",
    "OutputError": "csmetrics.core.errors",
}

__all__ = [
    "Bundle",
    "ConfigError",
    "CsMetricsError",
    "DataWarning",
    "Explanation",
    "InputError",
    "Inputs",
    "OutputError",
    "Report",
    "Source",
    "Window",
    "__version__",
    "catalogue",
    "check",
    "compute_family",
    "engagement",
    "exit_code",
    "explain",
    "health",
    "load",
    "onboarding",
    "profile",
    "read_config",
    "report",
    "retention",
    "revenue",
    "support",
    "voice",
    "window_of",
]


def __dir__() -> list[str]:
    """The public API only, so a notebook's tab completion offers what there is to use (the
    names are imported on first use, so they are not in the module's namespace yet)."""
    return sorted(__all__)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'csmetrics' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
