"""The metric catalogue, as a terminal table and as the Markdown page docs/metrics.md."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from csmetrics.registry import METRICS, Metric, families, family_tables


def render_catalogue(metrics: list[Metric], console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAVY, show_edge=False)
    for column in ("id", "unit", "direction", "definition"):
        table.add_column(column, overflow="fold")
    for metric in metrics:
        table.add_row(metric.id, metric.unit, metric.direction, metric.definition)
    console.print(table)


def catalogue_markdown(only: str | None = None) -> str:
    lines = [
        "# Metric catalogue",
        "",
        "Generated from `src/csmetrics/registry.py` by `make docs` (`csmetrics metrics --format markdown`);",
        "a test fails when this page is stale.",
    ]
    for family in families():
        if only is not None and family != only:
            continue
        lines += [
            "",
            f"## {family}",
            "",
            "| id | unit | direction | needs | definition |",
            "|---|---|---|---|---|",
        ]
        for metric in (m for m in METRICS if m.family == family):
            needs = ", ".join(metric.columns)
            lines.append(
                f"| `{metric.id}` | {metric.unit} | {metric.direction} | {needs} | {metric.definition} |"
            )
        tables = family_tables(family)
        if tables:
            lines += ["", "Tables:", ""]
            lines += [f"- `{t.name}` ({', '.join(t.columns)}): {t.definition}" for t in tables]
    return "\n".join(lines) + "\n"
