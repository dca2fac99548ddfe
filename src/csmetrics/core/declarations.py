"""What a metric and a table declaration hold."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower", "neutral"]
COUNT_UNITS = ("users", "accounts", "sessions", "count")


@dataclass(frozen=True)
class Metric:
    id: str
    unit: str  # users, accounts, sessions, share (a 0..1 fraction), minutes, ...
    direction: Direction
    definition: str
    sources: tuple[str, ...]
    # canonical columns it needs, each "source.column" or alternatives "source.a|source.b"
    # (either will do); without one the metric is null with a reason (families/needs.py)
    columns: tuple[str, ...]
    title: str

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def whole(self) -> bool:
        """A count of things (users, accounts, sessions, tickets): a whole number in every
        output, JSON and CSV included. A mean of counts (`dau_mean`, `sessions_per_user`) is
        not."""
        return self.unit in COUNT_UNITS and not self.id.endswith(("_mean", "_per_user"))

    @property
    def needs(self) -> tuple[str, ...]:
        """The needed columns as people read them: alternatives joined by "or"."""
        return tuple(need.replace("|", " or ") for need in self.columns)

    def unmet(self, present: Mapping[str, Collection[str]]) -> list[tuple[tuple[str, str], ...]]:
        """The needs no loaded column meets, each as its (source, column) alternatives;
        `present`: the columns read per loaded source."""
        unmet: list[tuple[tuple[str, str], ...]] = []
        for need in self.columns:
            options = tuple(_source_column(option) for option in need.split("|"))
            if not any(column in present.get(source, ()) for source, column in options):
                unmet.append(options)
        return unmet


def _source_column(need: str) -> tuple[str, str]:
    source, column = need.split(".", 1)
    return source, column


@dataclass(frozen=True)
class Table:
    family: str
    name: str
    columns: tuple[str, ...]
    definition: str
    # the columns a terminal too narrow for the table leaves out first, in order (after them,
    # the rightmost; the first column, the row's key, always stays): render/fit.py
    drop_first: tuple[str, ...] = ()
