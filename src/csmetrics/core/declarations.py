"""What a metric and a table declaration hold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower", "neutral"]


@dataclass(frozen=True)
class Metric:
    id: str
    unit: str  # users, accounts, sessions, share (a 0..1 fraction), minutes, ...
    direction: Direction
    definition: str
    sources: tuple[str, ...]
    columns: tuple[str, ...]  # canonical columns it needs, as "source.column"
    title: str

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Table:
    family: str
    name: str
    columns: tuple[str, ...]
    definition: str
