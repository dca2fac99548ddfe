"""The rows of a source a run reads, as an interval of its time column: `[since, until)`, an
open bound (None) reading every row on that side. Families say which span each source needs;
a database or lakehouse table is then asked for those rows only (ingest/sources/pushdown.py)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple


class Span(NamedTuple):
    since: datetime | None = None
    until: datetime | None = None

    @property
    def is_everything(self) -> bool:
        return self.since is None and self.until is None

    def covers(self, other: Span) -> bool:
        """Whether every row `other` needs lies in this span."""
        starts_early = self.since is None or (other.since is not None and self.since <= other.since)
        ends_late = self.until is None or (other.until is not None and self.until >= other.until)
        return starts_early and ends_late

    def union(self, other: Span) -> Span:
        """The smallest span covering both."""
        since = None if self.since is None or other.since is None else min(self.since, other.since)
        until = None if self.until is None or other.until is None else max(self.until, other.until)
        return Span(since, until)
