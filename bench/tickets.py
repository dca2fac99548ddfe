"""Generated help-desk tickets for `make bench` (millions of rows, written once to Parquet)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

START = np.datetime64("2026-04-01T00:00:00", "us")
SPAN_US = 214 * 86_400 * 1_000_000  # about seven months


def write_tickets(path: Path, rows: int, seed: int = 1) -> None:
    """`rows` tickets: created over seven months, most answered within hours (some never),
    most solved within days, with replies, reopens, ratings and a channel."""
    rng = np.random.default_rng(seed)
    created = START + rng.integers(0, SPAN_US, rows).astype("timedelta64[us]")
    reply = (rng.lognormal(1.0, 1.2, rows) * 3.6e9).astype("int64").astype("timedelta64[us]")
    solve = (rng.lognormal(3.0, 1.0, rows) * 3.6e9).astype("int64").astype("timedelta64[us]")
    answered = rng.random(rows) > 0.05
    solved = rng.random(rows) > 0.15
    ratings = rng.choice(["5", "4", "3", "2", "1", "good", "bad", ""], rows,
                         p=[0.2, 0.1, 0.05, 0.03, 0.02, 0.1, 0.05, 0.45])  # fmt: skip
    frame = pl.DataFrame(
        {
            "ticket_id": np.arange(rows).astype(str),
            "created_at": created,
            "first_response_at": np.where(answered, created + reply, np.datetime64("NaT")),
            "solved_at": np.where(solved, created + reply + solve, np.datetime64("NaT")),
            "agent_replies": rng.poisson(1.5, rows),
            "reopens": (rng.random(rows) < 0.08).astype(np.int64),
            "satisfaction": ratings,
            "channel": rng.choice(["email", "chat", "phone", "web"], rows),
        }
    ).with_columns(
        pl.col("created_at", "first_response_at", "solved_at").dt.replace_time_zone("UTC"),
        pl.col("satisfaction").replace("", None),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path, row_group_size=1_000_000)
