"""The Spark part of `make bench` (issue 14): engagement, onboarding and retention with
`--engine spark --spark-master local[2]` on the 20M-event Parquet file next to Polars on the
same file, and one bounded-memory run: engagement on 100M events with Spark's driver given
4 GB, next to Polars on the same files.

Spark runs in a JVM that the Python process starts, so peak memory here is the peak of the
whole process tree's RSS, sampled every 0.2 s (wait4's figure would miss the JVM).
BENCH_SPARK_REPEATS (default 1) runs each command that many times.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SPARK = ["--engine", "spark", "--spark-master", "local[2]"]
SPARK_MEMORY = "4g"
REPEATS = int(os.environ.get("BENCH_SPARK_REPEATS", "1"))
COPIES = 5  # 100M events: the 20M file five times, each copy's users, accounts, ids renamed


def tree_rss_mb(root: int) -> float:
    """RSS of a process and all its descendants, in MB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    family, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        family.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in family) / 2**20


def measure_tree(
    command: list[str], env: dict[str, str], output: Path | None = None
) -> tuple[float, float]:
    """Wall seconds and the peak RSS (MB) of the command's process tree; its stdout (the JSON
    report) goes to `output`."""
    started = time.perf_counter()
    handle = output.open("wb") if output else None
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle or subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if handle:
        handle.close()
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"failed: {' '.join(command)}\n{error[-3000:]}")
    return wall, peak


def ensure_100m(parquet_20m: Path) -> Path:
    folder = parquet_20m.parent.parent.parent / "100M" / "events-v2"
    if not (folder / f"part-{COPIES - 1}.parquet").exists():
        print("writing 100M events (5 renamed copies of 20M) ...", file=sys.stderr, flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        for copy in range(COPIES):
            suffix = f"-{copy}"
            pl.scan_parquet(parquet_20m).with_columns(
                pl.col(name).cast(pl.String) + suffix
                for name in ("user_id", "account_id", "event_id")
            ).sink_parquet(folder / f"part-{copy}.parquet")
    return folder


def spark_rows(
    jobs: dict[str, tuple[list[str], str]], common: list[str], parquet_20m: Path
) -> list[tuple[str, str, float, float, float, float]]:
    """(family, rows label, Polars wall, Polars peak MB, Spark wall, Spark peak MB), medians."""
    env = {**os.environ, "CSMETRICS_SPARK_MEMORY": SPARK_MEMORY}
    runs = [(family, "20M", parquet_20m, options) for family, (options, _) in jobs.items()]
    engagement_options = jobs["engagement"][0]
    runs.append(("engagement", "100M", ensure_100m(parquet_20m), engagement_options))
    rows = []
    for family, label, path, options in runs:
        base = [sys.executable, "-m", "csmetrics", family, "--events", str(path), *options, *common]
        polars, spark = [], []
        reports = DATA / "spark-bench"
        reports.mkdir(exist_ok=True)
        for _ in range(REPEATS):
            polars.append(measure_tree(base, env, reports / "polars.json"))
            spark.append(measure_tree([*base, *SPARK], env, reports / "spark.json"))
        same = same_metrics(reports / "spark.json", reports / "polars.json")
        print(
            f"spark bench {family} {label}: polars {[round(w, 1) for w, _ in polars]}s "
            f"{max(r for _, r in polars):.0f}MB; spark {[round(w, 1) for w, _ in spark]}s "
            f"{max(r for _, r in spark):.0f}MB; metrics equal to 1e-9: {same}",
            file=sys.stderr,
            flush=True,
        )
        rows.append(
            (
                family,
                label,
                statistics.median(w for w, _ in polars),
                max(r for _, r in polars),
                statistics.median(w for w, _ in spark),
                max(r for _, r in spark),
            )
        )
    return rows


def same_metrics(ours: Path, theirs: Path) -> bool:
    """Whether two JSON reports have the same metrics (counts exactly, ratios to 1e-9)."""
    a, b = (json.loads(path.read_text())["metrics"] for path in (ours, theirs))
    if a.keys() != b.keys():
        return False
    return all(
        (x is None and y is None)
        or (x is not None and y is not None and math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9))
        for x, y in ((a[k], b[k]) for k in b)
    )


def print_spark_table(rows: list[tuple[str, str, float, float, float, float]]) -> None:
    print(
        f"\nSpark local[2] (driver memory {SPARK_MEMORY}) next to Polars on the same Parquet "
        "events; peak RSS of the whole process tree (the JVM included)."
    )
    print("\n| family | events | Polars wall s | Polars peak RSS MB | Spark wall s | Spark peak RSS MB | Spark / Polars wall |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|")
    for family, label, p_wall, p_rss, s_wall, s_rss in rows:
        print(
            f"| {family} | {label} | {p_wall:.1f} | {p_rss:,.0f} | {s_wall:.1f} | {s_rss:,.0f} | "
            f"{s_wall / p_wall:.1f} |"
        )
