"""Readers of setting values: each takes a value as the config (TOML), the command line (text)
or a Python call gives it, and returns the typed value or raises a ConfigError naming `where`
(the key, the flag or the keyword) and what is expected.

They are the config's schema: the top-level keys and the sources' keys (ingest/config.py) and
every family setting (families/*/params.py) are read by these, so one value is accepted or
refused the same way wherever it is written.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from csmetrics.core.errors import ConfigError
from csmetrics.core.text import quoted
from csmetrics.core.timeparts import parse_duration, zone

# (value, where it came from) -> the typed value; raises ConfigError naming `where`
Reader = Callable[[Any, str], Any]


def refuse(where: str, expected: str, value: Any) -> ConfigError:
    return ConfigError(f"{where}: expected {expected}, got {quoted(value)}")


def text(value: Any, where: str) -> str:
    """A text; a number is taken as its digits (a name such as an event may be all digits)."""
    if isinstance(value, Mapping | list | tuple | set | bool | date | timedelta):
        raise refuse(where, "a text", value)
    return str(value)


def strict_text(value: Any, where: str) -> str:
    """A text, and only a text (a path, a preset, an encoding)."""
    if not isinstance(value, str):
        raise refuse(where, 'a text in quotes such as "value"', value)
    return value


def names(value: Any, where: str) -> tuple[str, ...]:
    """A list of names: one string is one name (never its letters)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        items = tuple(value)
        if all(isinstance(item, str | int) and not isinstance(item, bool) for item in items):
            return tuple(map(str, items))
    raise refuse(where, 'a name or a list of names such as ["a", "b"]', value)


def texts(value: Any, where: str) -> tuple[str, ...]:
    """A list of texts (null markers such as ["NA", "-"])."""
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise refuse(where, 'a list of texts such as ["NA", "-"]', value)


def duration(value: Any, where: str) -> timedelta:
    if isinstance(value, timedelta):
        return value
    try:
        return parse_duration(text(value, where), where)
    except OverflowError:  # "99999999999d" is past what a timedelta holds
        raise refuse(where, "a duration of at most 100 years", value) from None


class choice:  # noqa: N801 - read as a function: choice("day", "week")
    """A reader of one of `allowed` words; `allowed` also gives the command line's placeholder
    (`day|week|month`)."""

    def __init__(self, *allowed: str) -> None:
        self.allowed = allowed

    def __call__(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or value not in self.allowed:
            raise refuse(where, f"one of {', '.join(self.allowed)}", value)
        return value


def whole_number(minimum: int, maximum: int | None = None) -> Reader:
    """A whole number in [minimum, maximum]; digits in a text are taken (the command line)."""
    span = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"

    def read(value: Any, where: str) -> int:
        number_of = value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            number_of = int(value)
        if not isinstance(number_of, int) or isinstance(number_of, bool):
            raise refuse(where, f"a whole number {span}", value)
        if number_of < minimum or (maximum is not None and number_of > maximum):
            raise refuse(where, f"a whole number {span}", value)
        return number_of

    return read


def number(value: Any, where: str) -> float:
    """A finite number (NaN and infinity are refused: no threshold or weight means them)."""
    if isinstance(value, bool):
        raise refuse(where, "a number", value)
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        raise refuse(where, "a number", value) from None
    if not math.isfinite(result):
        raise refuse(where, "a finite number", value)
    return result


def positive_number(value: Any, where: str) -> float:
    result = number(value, where)
    if result <= 0:
        raise refuse(where, "a number above 0", value)
    return result


def boolean(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise refuse(where, "true or false", value)


def mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise refuse(where, "a table such as { key = value }", value)
    return value


def text_table(value: Any, where: str) -> dict[str, str]:
    """A table of texts ({ user_id = "Customer ID" }): columns, formats."""
    table = mapping(value, where)
    for key, item in table.items():
        if not isinstance(item, str):
            raise refuse(f"{where}.{key}", 'a text in quotes such as "value"', item)
    return dict(table)


def zone_name(value: Any, where: str) -> str:
    """An IANA time zone name."""
    zone(strict_text(value, where), where)
    return value


def moment(value: Any, where: str) -> str | date:
    """A window bound: a text (a date, an ISO datetime, "today") or a TOML date or datetime
    (`since = 2026-10-01`, unquoted, as people write them). A TOML time of day is no bound."""
    if isinstance(value, str | date):  # datetime is a date
        return value
    raise refuse(where, "a date such as 2026-10-01 or an ISO datetime", value)
