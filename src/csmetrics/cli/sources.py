"""The source options' words (`--map SOURCE.KEY=VALUE`, `--preset SOURCE=NAME`) as the
arguments of `csmetrics.api.load`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmetrics.api import SOURCE_KINDS, Config, ConfigError
from csmetrics.cli.options import SourceOptions


def parse_assignments(values: list[str], option: str) -> dict[str, dict[str, str]]:
    """`SOURCE.COLUMN=HEADER` (or `SOURCE=NAME` when no dot is wanted) into nested dicts."""
    out: dict[str, dict[str, str]] = {}
    for item in values:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise ConfigError(f"{option}: expected SOURCE.COLUMN=HEADER, got {item!r}")
        left, header = item.split("=", 1)
        source, column = left.split(".", 1)
        if source not in SOURCE_KINDS:
            raise ConfigError(
                f"{option}: unknown source {source!r} in {item!r} (known: {', '.join(SOURCE_KINDS)})"
            )
        out.setdefault(source, {})[column] = header
    return out


# `--map SOURCE.KEY=VALUE` also sets these keys of [sources.SOURCE] (`billing.amount_unit=cents`,
# `events.formats.timestamp=%d-%m-%Y %H:%M`, `surveys.null_values=NA`)
MAP_OPTIONS = ("amount_unit", "decimal", "encoding", "format_in", "source_timezone", "survey",
               "preset", "null_values")  # fmt: skip


def _mapping_options(assigned: Mapping[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    """--map entries of one source split into column mappings and source options."""
    columns: dict[str, str] = {}
    options: dict[str, Any] = {}
    for key, value in assigned.items():
        if key.startswith("formats."):
            options.setdefault("formats", {})[key.removeprefix("formats.")] = value
        elif key == "null_values":
            options[key] = value.split("|")
        elif key in MAP_OPTIONS:
            options[key] = value
        else:
            columns[key] = value
    return columns, options


def parse_presets(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise ConfigError(f"--preset: expected SOURCE=NAME, got {item!r}")
        source, name = item.split("=", 1)
        if source not in SOURCE_KINDS:
            raise ConfigError(
                f"--preset: unknown source {source!r} (known: {', '.join(SOURCE_KINDS)})"
            )
        out[source] = name
    return out


def load_arguments(sources: SourceOptions, config: Config) -> dict[str, Any]:
    """The keywords of `csmetrics.api.load` that the source options give."""
    assigned = parse_assignments(list(sources.map_ or []), "--map")
    columns: dict[str, dict[str, str]] = {}
    options: dict[str, dict[str, Any]] = {}
    for kind, entries in assigned.items():
        columns[kind], options[kind] = _mapping_options(entries)
    return {
        **sources.paths(),
        "columns": {kind: found for kind, found in columns.items() if found},
        "options": {kind: found for kind, found in options.items() if found},
        "preset": parse_presets(list(sources.preset or [])),
        "source_timezone": sources.source_timezone,
        "format_in": sources.format_in,
        "encoding": sources.encoding,
        "survey": sources.survey,
        "config": config,
        "engine": sources.engine,
        "spark_master": sources.spark_master,
        "spark_remote": sources.spark_remote,
    }
