"""Family settings, each declared once: its name (the API keyword and the config key), how a value
is read, its default, its help text and its command-line flag.

A family's `SETTINGS` is the one place a setting is stated. The config's `[family]` table, the
command line and the Python API all go through `Settings.resolve`, so a value means the same
wherever it is given: a value given explicitly (flag or keyword) wins over the config's table,
which wins over the default; a list setting given as one string is one item, never its letters;
an unknown key in the table is a config error naming the keys that exist.
"""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csmetrics.core.errors import ConfigError
from csmetrics.core.readers import Reader, duration


@dataclass(frozen=True)
class Setting:
    """One family setting. `flag` is its command-line option (None: config and API only);
    `repeatable`: the flag may be given several times (a list setting); `path`: a relative
    path in the config is relative to the config's folder."""

    name: str
    read: Reader
    default: Any
    help: str
    flag: str | None = None
    repeatable: bool = False
    path: bool = False
    cli_type: type = str  # what the command line parses before `read` (str, int, float, bool)
    # a window setting whose value, when one is given (command line, call or config), is this
    # setting's default: retention's cohort_grain follows `grain`
    window_default: str | None = None
    # the starter config (`csmetrics init`): a TOML value showing the setting, and whether the
    # line is set (True) or left commented out for the reader to switch on
    example: str | None = None
    in_starter: bool = False
    # the source column whose values this setting names ("events.event": event names): a name
    # that never occurs there is a warning with the closest ones that do (families/names.py)
    values_of: str | None = None
    # the command line's placeholder of the value (None: said by its reader, see `placeholder`)
    metavar: str | None = None

    @property
    def placeholder(self) -> str:
        """What `--help` shows for the value: `day|week|month` for a choice, DURATION, EVENT,
        PATH, N, NUMBER, or nothing for a flag."""
        allowed: tuple[str, ...] = getattr(self.read, "allowed", ())
        if self.metavar is not None:
            return self.metavar
        if self.cli_type is bool:
            return ""
        if self.path:
            return "PATH"
        if allowed:
            return "|".join(allowed)
        if self.read is duration:
            return "DURATION"
        if self.values_of is not None and self.values_of.endswith(".event"):
            return "EVENT"
        return {int: "N", float: "NUMBER"}.get(self.cli_type, "TEXT")

    @property
    def option(self) -> str:
        """How a message names the setting: its flag, else its config key."""
        return self.flag or self.name


@dataclass(frozen=True)
class Settings:
    """The settings of one family (`section` is its config table's name)."""

    section: str
    items: tuple[Setting, ...]

    def __iter__(self) -> Iterator[Setting]:
        return iter(self.items)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.items)

    def __getitem__(self, name: str) -> Setting:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(name)

    def resolve(
        self, table: Mapping[str, Any], given: Mapping[str, Any], base: str = "."
    ) -> dict[str, Any]:
        """Every setting's typed value: `given` (explicit values; None means not given) over
        the config's `table` over the default. Defaults are not read again: they are typed."""
        unknown = sorted(set(table) - set(self.names))
        if unknown:
            raise ConfigError(unknown_key(self.section, unknown[0], self.names))
        extra = sorted(set(given) - set(self.names))
        if extra:  # a programming error of a caller, said as plainly as a user's
            raise ConfigError(unknown_key(self.section, extra[0], self.names))
        values: dict[str, Any] = {}
        for item in self.items:
            value = given.get(item.name)
            where = item.option
            if value is None and item.name in table:
                value = table[item.name]
                where = f"[{self.section}] {item.name}"
                if item.path and value is not None:
                    value = relative_path(str(value), base)
            values[item.name] = item.default if value is None else item.read(value, where)
        return values


def starter_table(settings: Settings) -> str:
    """The family's table of the starter config: each setting with an example, its help as a
    comment above it, commented out unless the starter sets it."""
    lines = [f"[{settings.section}]"]
    for item in settings:
        if item.example is None:
            continue
        lines += textwrap.wrap(item.help, width=96, initial_indent="# ", subsequent_indent="# ")
        lines.append(f"{'' if item.in_starter else '# '}{item.name} = {item.example}")
    return "\n".join(lines) + "\n"


def unknown_key(section: str, key: str, known: Iterable[str]) -> str:
    known = tuple(known)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"[{section}]: unknown key {key!r}{hint} (known: {', '.join(known)})"


def relative_path(text: str, base: str) -> str:
    candidate = Path(text).expanduser()
    return str(candidate if candidate.is_absolute() else Path(base) / candidate)
