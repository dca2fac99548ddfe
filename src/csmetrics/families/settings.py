"""Family parameters from a config table and explicit values, one rule for every family: the
explicit value wins when it is set, an unknown key in the table is a config error naming it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from csmetrics.errors import ConfigError


def merged_settings(
    section: str, table: Mapping[str, Any], given: Mapping[str, Any], known: Iterable[str]
) -> dict[str, Any]:
    """The [section] table with the `given` values that are set laid over it."""
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"[{section}]: unknown key {unknown[0]!r} (known: {', '.join(known)})")
    return {**table, **{k: v for k, v in given.items() if v not in (None, (), [])}}


def choice(value: Any, allowed: Iterable[str], option: str) -> str:
    """`value` as one of `allowed`, or a config error naming the option."""
    text = str(value)
    allowed = tuple(allowed)
    if text not in allowed:
        raise ConfigError(f"{option}: expected one of {', '.join(allowed)}, got {text!r}")
    return text


def names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Event names from a string or a list of them."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(map(str, value))
