"""The metric catalogue, as a terminal table and as the Markdown page docs/metrics.md."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from csmetrics.core.declarations import Metric
from csmetrics.core.declarations import Table as TableDeclaration

DEFINITION_MIN = 24


def render_catalogue(metrics: list[Metric], console: Console) -> None:
    """id, unit, direction and definition; an id is never broken (only the definition wraps),
    and a terminal too narrow for the columns beside a whole id gets one block per metric."""
    longest = max((len(m.id) for m in metrics), default=2)
    if longest + 8 + 9 + DEFINITION_MIN + 3 * 4 - 1 > console.width:
        for metric in metrics:
            console.print(Text(metric.id, style="bold"))
            about = Text(f"{metric.unit}, {metric.direction}: {metric.definition}")
            console.print(Padding(about, (0, 0, 0, 2)))
        return
    table = Table(box=box.SIMPLE_HEAVY, show_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("unit", no_wrap=True)
    table.add_column("direction", no_wrap=True)
    table.add_column("definition", min_width=DEFINITION_MIN)
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
