"""What the tests comparing each family with its DuckDB reference share: the windows, the
tolerance and the window bounds as instants."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

WINDOWS = [
    ("2026-09-01", "2026-10-01"),  # a month, with MAU30 reaching into August
    ("2026-10-12", "2026-10-19"),  # a week
    ("2026-08-15", "2026-10-31"),  # window ending on the data's last (partial) day
]


def bounds(since: str, until: str) -> list[datetime]:
    return [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in (since, until)]


def same(ours: object, theirs: object, key: str) -> None:
    if theirs is None:
        assert ours is None, key
    else:
        assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-9), key
