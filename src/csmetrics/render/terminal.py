"""Rich rendering: headline metrics, a trend sparkline, then the tables (long ones truncated)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from csmetrics.core.diagnostics import coverage_first
from csmetrics.render.charts import chart_for
from csmetrics.render.fit import fitted
from csmetrics.render.values import format_metric, sparkline

if TYPE_CHECKING:
    from csmetrics.results.report import Report

MAX_ROWS = 25
TREND_COLUMNS = ("dau", "active_users")


def render(report: Report, console: Console, max_rows: int = MAX_ROWS) -> None:
    window = report.window
    console.print(
        Text.assemble(
            (report.family, "bold"),
            f"  {window.name}  "
            f"({_day(window.since)} to {_day(window.until)}, exclusive; {window.timezone})",
        )
    )
    for warning in coverage_first(report.warnings):
        console.print(
            f"warning: {warning.message}", style="bold red", highlight=False, markup=False
        )
    console.print(_headline(report))
    trend = _trend(report)
    if trend:
        console.print(trend)
    for name, frame in report.tables.items():
        chart = chart_for(name, report.parameters, report.currency)
        if chart is not None and frame.height:
            console.print(chart(frame, console.width))
            continue
        fit = fitted(name, frame, report, console, max_rows)
        console.print(fit.table)
        if fit.dropped:
            console.print(Text(fit.note(), style="dim"))
        if frame.height > max_rows:
            console.print(
                f"  … {frame.height - max_rows} more rows (all rows: --format csv|parquet|json --output …)",
                style="dim",
            )


def _headline(report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAVY, show_edge=False)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in report.metrics.items():
        info = report.metric_info(key)
        table.add_row(info.title, format_metric(value, info, report.currency))
    return table


def _trend(report: Report) -> str:
    activity = report.tables.get("activity")
    if activity is None or activity.height < 2:
        return ""
    column = next((c for c in TREND_COLUMNS if c in activity.columns), None)
    if column is None:
        return ""
    values = activity[column].to_list()
    return f"{column} trend  {sparkline(values)}  (min {min(values):,}, max {max(values):,})"


def _day(value: object) -> str:
    return str(value)[:10] if value is not None else "open"


def render_warnings(report: Report, console: Console) -> None:
    for warning in report.warnings:
        about = f"{warning.metric}: " if warning.metric else ""
        console.print(
            f"warning: {about}{warning.message}", style="yellow", highlight=False, markup=False
        )
