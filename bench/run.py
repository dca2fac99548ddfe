"""`make bench`: csmetrics engagement, onboarding and retention vs DuckDB SQL references of the
same metrics on 1M and 20M generated events; support on 5M tickets; revenue on 2M invoice lines;
`report` against the single families; engagement from a Delta table against Parquet.

Each run is a fresh subprocess, so peak RSS (from wait4) is that run's alone. Every command runs
BENCH_REPEATS times (default 3), alternating csmetrics and DuckDB so that both see the same
machine; the table gives the median wall time with the fastest in brackets, and the largest peak
RSS. Data is generated once into bench/data/ (git-ignored) with the sample generator and reused
by later runs.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SINCE, UNTIL = "2026-05-01", "2026-11-01"
# accounts x 6 months of the sample generator -> about this many events
SIZES = {"1M": 1_000, "20M": 20_000}
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
# family -> (csmetrics options, the DuckDB reference call); both compute the same metrics.
COMMON = ["--since", SINCE, "--until", UNTIL, "--format", "json", "--quiet"]
ACTIVATION = ("created_project", "invited_user")
STEPS = ("signed_up", "created_project", "invited_user", "connected_integration")
JOBS: dict[str, tuple[list[str], str]] = {
    "engagement": (
        ["--inactive-event", "email_opened"],
        "from tests.families.engagement.reference_duckdb import engagement_reference as run\n"
        "run(path, since, until, inactive=('email_opened',))",
    ),
    "onboarding": (
        [
            *(f"--activation-event={e}" for e in ACTIVATION),
            "--activation-window=7d",
            *(f"--step={e}" for e in STEPS),
            "--conversion-window=3d",
        ],
        "from tests.families.onboarding.reference_duckdb import onboarding_reference as run\n"
        f"run(path, since, until, activation={ACTIVATION!r}, window_days=7, steps={STEPS!r}, "
        "conversion_days=3)",
    ),
    "retention": (
        ["--inactive-event", "email_opened", "--cohort-grain", "week", "--periods", "12"],
        "from tests.families.retention.reference_duckdb import retention_reference as run\n"
        "run(path, since, until, inactive=('email_opened',))",
    ),
}
TICKETS = 5_000_000
SUPPORT_REFERENCE = (
    "from tests.families.support.reference_duckdb import support_reference as run\n"
    "run(path, since, until, sla_hours=4, business={business})"
)
TICKET_JOBS: dict[str, tuple[list[str], str]] = {
    "support": (["--sla-first-response", "4h"], SUPPORT_REFERENCE.format(business=False)),
    "support, business hours": (
        ["--sla-first-response", "4h", "--business-hours", "mon-fri 09:00-17:00"],
        SUPPORT_REFERENCE.format(business=True),
    ),
}
BILLING_ACCOUNTS = 100_000  # about 2M invoice lines over five years
REVENUE_REFERENCE = "from tests.families.revenue.reference_duckdb import revenue_reference as run\nrun(path, since, until)"
# BENCH_ONLY=onboarding,retention or BENCH_ONLY=20M runs a subset (by family or size label);
# BENCH_ONLY=spark the Spark rows alone (bench/spark.py).
ONLY = {word for word in os.environ.get("BENCH_ONLY", "").split(",") if word}
PREAMBLE = """
import sys
from datetime import datetime, UTC
path = sys.argv[1]
since, until = (datetime.fromisoformat(d).replace(tzinfo=UTC) for d in sys.argv[2:4])
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one subprocess."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"failed: {' '.join(command)}\n{error}")
    return wall, usage.ru_maxrss / 1024


def ensure_data(label: str, accounts: int) -> dict[str, Path]:
    folder = DATA / label
    paths = {fmt: folder / fmt / f"events.{fmt}" for fmt in ("parquet", "csv")}
    for fmt, path in paths.items():
        if not path.exists():
            print(f"generating {label} events as {fmt} ...", file=sys.stderr, flush=True)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "csmetrics",
                    "sample",
                    "--output-dir",
                    str(path.parent),
                    "--seed",
                    "1",
                    "--accounts",
                    str(accounts),
                    "--months",
                    "6",
                    "--file-format",
                    fmt,
                    "--quiet",
                ],
                cwd=ROOT,
                check=True,
            )
    return paths


def main() -> None:
    import polars as pl

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"polars {pl.__version__}"
    )
    rows = []
    for label, accounts in SIZES.items():
        if ONLY and label not in ONLY and not ONLY & set(JOBS):
            continue
        paths = ensure_data(label, accounts)
        events = pl.scan_parquet(paths["parquet"]).select(pl.len()).collect().item()
        for family, (options, reference) in JOBS.items():
            if ONLY & set(JOBS) and family not in ONLY:
                continue
            # engagement on both formats; the other families read the same Parquet file
            formats = paths if family == "engagement" else {"parquet": paths["parquet"]}
            for fmt, path in formats.items():
                source = ["--events", str(path)]
                run = compare(family, f"{label} {fmt}", source, options, reference, path)
                rows.append((*run, fmt, events))
    if not ONLY or "report" in ONLY:
        report_rows = bench_report(ensure_data("20M", SIZES["20M"])["parquet"].parent)
    else:
        report_rows = []
    if not ONLY or "html" in ONLY:
        bench_html_on_sample()
    if not ONLY or "explain" in ONLY:
        bench_explain(ensure_data("20M", SIZES["20M"])["parquet"].parent)
    if not ONLY or "voice" in ONLY:
        bench_comment_terms()
    if not ONLY or ONLY & {"support", *TICKET_JOBS}:
        path = ensure_tickets()
        tickets = pl.scan_parquet(path).select(pl.len()).collect().item()
        for name, (options, reference) in TICKET_JOBS.items():
            run = compare("support", name, ["--tickets", str(path)], options, reference, path)
            rows.append((name, *run[1:], "parquet", tickets))
    if not ONLY or "revenue" in ONLY:
        path, lines = ensure_billing()
        run = compare("revenue", "2M lines", ["--billing", str(path)], [], REVENUE_REFERENCE, path)
        rows.append(("revenue", *run[1:], "parquet", lines))
    lake = []
    if not ONLY or "delta" in ONLY:
        sys.path.insert(0, str(ROOT))
        from bench.lake import lake_rows

        lake = lake_rows(ensure_data("20M", SIZES["20M"])["parquet"], REPEATS, measure)
    spark = []
    if not ONLY or "spark" in ONLY:
        sys.path.insert(0, str(ROOT))
        from bench.spark import spark_rows

        spark = spark_rows(JOBS, COMMON, ensure_data("20M", SIZES["20M"])["parquet"])
    if report_rows:
        slowest = max(stats[0] for name, stats in report_rows if not name.startswith("report"))
        # (the report rows: with bands, the default; without; with the html page)
        print("\n| command (20M events, --period 2026-10) | wall s | peak RSS MB |")
        print("|---|---:|---:|")
        for name, stats in report_rows:
            print(f"| {name} | {stats[0]:.2f} ({stats[1]:.2f}) | {stats[2]:,.0f} |")
        walls = {name: stats[0] for name, stats in report_rows}
        print(f"\nreport / slowest single family: {walls['report'] / slowest:.2f}")
        print(f"report html / report: {walls['report html'] / walls['report']:.2f} (target 1.10)")
        bands = walls["report"] / walls["report no-bands"]
        print(f"report / report --no-bands: {bands:.2f} (anomaly history; target 1.50)")
        print(f"health / engagement (same events): {walls['health'] / walls['engagement']:.2f}")
    if rows:
        print_duckdb_table(rows)
    if lake:
        from bench.lake import print_lake_table

        print_lake_table(lake)
    if spark:
        from bench.spark import print_spark_table

        print_spark_table(spark)


def print_duckdb_table(rows: list[tuple[str, Any, Any, str, int]]) -> None:
    print()
    print(
        f"Wall seconds: median of {REPEATS} runs (fastest in brackets); peak RSS: largest of them."
    )
    print()
    print(
        "| family | rows | format | csmetrics wall s | csmetrics peak RSS MB | DuckDB wall s | DuckDB peak RSS MB | wall ratio (csmetrics/DuckDB, medians) |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for family, ours, theirs, fmt, events in rows:
        print(
            f"| {family} | {events:,} | {fmt} | {ours[0]:.2f} ({ours[1]:.2f}) | {ours[2]:,.0f} | "
            f"{theirs[0]:.2f} ({theirs[1]:.2f}) | {theirs[2]:,.0f} | {ours[0] / theirs[0]:.2f} |"
        )


REPORT_CONFIG = """
[sources.events]
path = "events.parquet"
[sources.tickets]
path = "tickets.csv"
[sources.surveys]
path = "surveys.csv"
[sources.accounts]
path = "accounts.csv"
[sources.billing]
path = "billing.csv"
[engagement]
inactive_events = ["email_opened"]
[retention]
inactive_events = ["email_opened"]
"""


EXPLAIN_CONFIG = """
[onboarding]
activation_events = ["created_project", "invited_user"]
"""


def _command(name: str, config: Path) -> list[str]:
    """A command of the report bench; `report html` writes the bundle with its page."""
    family, _, variant = name.partition(" ")
    output = ["--format", "html", "--output-dir", str(config.parent / "bundles")] if variant == "html" else [
        "--format", "json"]  # fmt: skip
    if variant == "no-bands":
        output.append("--no-bands")
    return [sys.executable, "-m", "csmetrics", family, "--config", str(config),
            "--period", "2026-10", *output, "--quiet"]  # fmt: skip


def bench_html_on_sample() -> None:
    """`report` on the sample (its whole six months, the largest page) with and without
    `--format html`, alternating: the page may add at most 1 s (issue 23)."""
    config = ROOT / "sample_data" / "csmetrics.toml"
    out = DATA / "sample-bundles"
    plain = [sys.executable, "-m", "csmetrics", "report", "--config", str(config), "--quiet",
             "--output-dir", str(out)]  # fmt: skip
    runs: dict[str, list[tuple[float, float]]] = {"report": [], "report --format html": []}
    for _ in range(max(REPEATS, 5)):
        runs["report"].append(measure(plain))
        runs["report --format html"].append(measure([*plain, "--format", "html"]))
    walls = {name: summary(found)[0] for name, found in runs.items()}
    print("\n| the sample's report | wall s (median) |\n|---|---:|")
    for name, wall in walls.items():
        print(f"| {name} | {wall:.2f} |")
    added = walls["report --format html"] - walls["report"]
    print(f"\nthe page adds {added:.2f} s to the sample's report (target: at most 1 s)")


# (explain's metric and column, the family command it is compared with): issue 24's target is
# explain at most 1.5x the family alone, in the same run
EXPLAINED = {
    "engagement.stickiness": ("segment", "engagement"),
    "engagement.active_users": ("plan", "engagement"),
    "onboarding.activation_rate": ("segment", "onboarding"),
}


def bench_explain(folder: Path) -> None:
    """`explain` on 20M events for 2026-10 (and September, its previous window) next to its
    family alone on the same config and window, alternating."""
    config = folder / "csmetrics.toml"
    config.write_text(REPORT_CONFIG + EXPLAIN_CONFIG)
    base = ["--config", str(config), "--period", "2026-10", "--quiet"]
    commands: dict[str, list[str]] = {}
    for metric, (column, family) in EXPLAINED.items():
        commands[family] = [sys.executable, "-m", "csmetrics", family, *base, "--format", "json"]
        commands[f"explain {metric}"] = [sys.executable, "-m", "csmetrics", "explain", metric,
                                         "--by", column, *base, "--format", "json"]  # fmt: skip
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(REPEATS):
        for name, command in commands.items():
            runs[name].append(measure(command))
    walls = {name: summary(found) for name, found in runs.items()}
    print(
        "\n| command (20M events, --period 2026-10) | wall s | peak RSS MB | ratio to the family |"
    )
    print("|---|---:|---:|---:|")
    for name, (wall, fastest, rss) in walls.items():
        family = EXPLAINED[name.split()[1]][1] if name.startswith("explain") else name
        ratio = wall / walls[family][0]
        print(f"| {name} | {wall:.2f} ({fastest:.2f}) | {rss:,.0f} | {ratio:.2f} |")
    print("(target: explain at most 1.5x its family alone)")


SURVEY_ANSWERS = 1_000_000


def bench_comment_terms() -> None:
    """voice on 1M NPS answers with comments (its comment terms) and on the same answers
    without the comment column, alternating: issue 26's target is at most 2x."""
    folder = DATA / "surveys-1M"
    with_comments, without = folder / "surveys.parquet", folder / "surveys-no-comments.parquet"
    if not with_comments.exists():
        print("generating 1M survey answers ...", file=sys.stderr, flush=True)
        generate(
            "from pathlib import Path; from bench.surveys import write_surveys; "
            f"write_surveys(Path({str(folder)!r}), {SURVEY_ANSWERS})"
        )
    runs: dict[str, list[tuple[float, float]]] = {"voice": [], "voice with comment terms": []}
    base = [sys.executable, "-m", "csmetrics", "voice", "--since", SINCE, "--until", UNTIL,
            "--format", "json", "--quiet", "--surveys"]  # fmt: skip
    for _ in range(REPEATS):
        runs["voice"].append(measure([*base, str(without)]))
        runs["voice with comment terms"].append(measure([*base, str(with_comments)]))
    walls = {name: summary(found) for name, found in runs.items()}
    print("\n| command (1M NPS answers) | wall s | peak RSS MB |\n|---|---:|---:|")
    for name, (wall, fastest, rss) in walls.items():
        print(f"| {name} | {wall:.2f} ({fastest:.2f}) | {rss:,.0f} |")
    ratio = walls["voice with comment terms"][0] / walls["voice"][0]
    print(f"\nvoice with comment terms / without: {ratio:.2f} (target 2.0)")


def bench_report(folder: Path) -> list[tuple[str, tuple[float, float, float]]]:
    """`report` over every configured source (20M events, and the sample's tickets, surveys,
    accounts and billing) for 2026-10 and its previous month, next to each family alone on the
    same config (health among them: its target is a ratio to engagement)."""
    config = folder / "csmetrics.toml"
    config.write_text(REPORT_CONFIG)
    commands = ["report", "report no-bands", "report html", "onboarding", "engagement",
                "retention", "support", "voice", "revenue", "health"]  # fmt: skip
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(REPEATS):
        for name in commands:
            runs[name].append(measure(_command(name, config)))
    rows = [(name, summary(found)) for name, found in runs.items()]
    print(
        "report: " + ", ".join(f"{n} {[round(w, 2) for w, _ in r]}s" for n, r in runs.items()),
        file=sys.stderr,
        flush=True,
    )
    return rows


def compare(
    family: str, label: str, source: list[str], options: list[str], reference: str, path: Path
) -> tuple[str, tuple[float, float, float], tuple[float, float, float]]:
    """Both sides REPEATS times, alternating; (family, our summary, DuckDB's summary)."""
    ours_command = [sys.executable, "-m", "csmetrics", family, *source, *options, *COMMON]
    theirs_command = [sys.executable, "-c", PREAMBLE + reference, str(path), SINCE, UNTIL]
    ours_runs, theirs_runs = [], []
    for _ in range(REPEATS):
        ours_runs.append(measure(ours_command))
        theirs_runs.append(measure(theirs_command))
    print(
        f"{family} {label}: csmetrics {[round(w, 2) for w, _ in ours_runs]}s "
        f"{max(r for _, r in ours_runs):.0f}MB; duckdb {[round(w, 2) for w, _ in theirs_runs]}s "
        f"{max(r for _, r in theirs_runs):.0f}MB",
        file=sys.stderr,
        flush=True,
    )
    return family, summary(ours_runs), summary(theirs_runs)


def generate(call: str) -> None:
    """Run a generator of bench/ in a child process. In this process it would raise the peak
    RSS of every command measured after it: Linux carries a process's peak RSS across exec, so
    each child's `ru_maxrss` starts at this process's size when it forked."""
    subprocess.run([sys.executable, "-c", call], cwd=ROOT, check=True)


def ensure_tickets() -> Path:
    path = DATA / "tickets-5M" / "tickets.parquet"
    if not path.exists():
        print("generating 5M tickets ...", file=sys.stderr, flush=True)
        generate(
            "from pathlib import Path; from bench.tickets import write_tickets; "
            f"write_tickets(Path({str(path)!r}), {TICKETS})"
        )
    return path


def ensure_billing() -> tuple[Path, int]:
    path = DATA / "billing-100k" / "billing.parquet"
    if not path.exists():
        print("generating invoice lines of 100k accounts ...", file=sys.stderr, flush=True)
        generate(
            "from pathlib import Path; from bench.billing import write_billing; "
            f"write_billing(Path({str(path)!r}), {BILLING_ACCOUNTS})"
        )
    import polars as pl

    return path, pl.scan_parquet(path).select(pl.len()).collect().item()


def summary(runs: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Median wall, fastest wall and largest peak RSS of repeated runs."""
    walls = [wall for wall, _ in runs]
    return statistics.median(walls), min(walls), max(rss for _, rss in runs)


if __name__ == "__main__":
    main()
