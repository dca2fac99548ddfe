"""Where a source is and how to read it: what the config and the command line say."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceSpec:
    """Where a source is and how to read it (from the config and the command line)."""

    kind: str
    path: str
    format_in: str | None = None
    preset: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    amount_unit: str | None = None  # "cents" for minor units; None: the preset's, else units
    encoding: str | None = None
    source_timezone: str = "UTC"
