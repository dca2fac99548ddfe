"""The metric catalogue, as a terminal table and as the Markdown page docs/metrics.md."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table

from csmetrics.core.declarations import Metric
from csmetrics.core.declarations import Table as TableDeclaration


def render_catalogue(metrics: list[Metric], console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAVY, show_edge=False)
    for column in ("id", "unit", "direction", "definition"):
        table.add_column(column, overflow="fold")
    for metric in metrics:
        table.add_row(metric.id, metric.unit, metric.direction, metric.definition)
    console.print(table)


def catalogue_markdown(metrics: Sequence[Metric], tables: Sequence[TableDeclaration]) -> str:
    """The page docs/metrics.md: per family, its metrics and its tables."""
    lines = [
        "# Metric catalogue",
        "",
        "Generated from each family's `src/csmetrics/families/<family>/metrics.py` by `make docs`",
        "(`csmetrics metrics --format markdown`); a test fails when this page is stale.",
    ]
    for family in dict.fromkeys(m.family for m in metrics):
        lines += [
            "",
            f"## {family}",
            "",
            "| id | unit | direction | needs | definition |",
            "|---|---|---|---|---|",
        ]
        for metric in (m for m in metrics if m.family == family):
            needs = ", ".join(metric.needs)
            lines.append(
                f"| `{metric.id}` | {metric.unit} | {metric.direction} | {needs} | {metric.definition} |"
            )
        own = [t for t in tables if t.family == family]
        if own:
            lines += ["", "Tables:", ""]
            lines += [f"- `{t.name}` ({', '.join(t.columns)}): {t.definition}" for t in own]
    return "\n".join(lines) + "\n"
