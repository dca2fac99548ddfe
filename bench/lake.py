"""`make bench`'s lakehouse rows: engagement on 20M events from a Delta table (a file per
month, as a lakehouse partitions events) against the same rows as one Parquet file, alternating,
over the whole six months and for one month (whose rows alone are read from the table)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

Measure = Callable[[list[str]], tuple[float, float]]
WINDOWS = {
    "six months": ["--since", "2026-05-01", "--until", "2026-11-01"],
    "--period 2026-10": ["--period", "2026-10"],
}


def ensure_delta(parquet: Path) -> Path:
    """The Parquet file's rows as a Delta table partitioned by month (written once, in a child
    process so that this one's peak RSS stays small)."""
    table = parquet.parent.parent / "delta-monthly"
    if not (table / "_delta_log").is_dir():
        print("writing the 20M events as a Delta table ...", file=sys.stderr, flush=True)
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import polars as pl, sys\n"
                "frame = pl.read_parquet(sys.argv[1])\n"
                "month = pl.col('timestamp').cast(pl.String).str.slice(0, 7)\n"
                "frame.with_columns(month=month).write_delta(sys.argv[2], "
                "delta_write_options={'partition_by': ['month']})",
                str(parquet),
                str(table),
            ],
            check=True,
        )
    return table


def lake_rows(
    parquet: Path, repeats: int, measure: Measure
) -> list[tuple[str, float, float, float]]:
    """(window, median Delta wall / median Parquet wall, the two medians) per window."""
    import statistics

    table = ensure_delta(parquet)
    common = ["--inactive-event", "email_opened", "--format", "json", "--quiet"]
    rows = []
    for label, window in WINDOWS.items():
        walls: dict[str, list[float]] = {"parquet": [], "delta": []}
        for _ in range(repeats):
            for name, source in (("parquet", parquet), ("delta", table)):
                command = [sys.executable, "-m", "csmetrics", "engagement", "--events",
                           str(source), *window, *common]  # fmt: skip
                walls[name].append(measure(command)[0])
        print(f"engagement 20M {label}: {walls}", file=sys.stderr, flush=True)
        delta, plain = statistics.median(walls["delta"]), statistics.median(walls["parquet"])
        rows.append((label, delta / plain, delta, plain))
    return rows


def print_lake_table(rows: list[tuple[str, float, float, float]]) -> None:
    print("\n| engagement, 20M events | Delta (a file per month) s | Parquet s | ratio |")
    print("|---|---:|---:|---:|")
    for label, ratio, delta, plain in rows:
        print(f"| {label} | {delta:.2f} | {plain:.2f} | {ratio:.2f} |")
    print("(target: Delta within 1.2x of Parquet)")
