"""Display formatting shared by the terminal and Markdown renderers (JSON stays unrounded)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from csmetrics.core.declarations import Metric
from csmetrics.core.text import printable
from csmetrics.render.units import MISSING, format_value

SPARK_BARS = "▁▂▃▄▅▆▇█"
PERCENT_COLUMNS = (
    "share",
    "rate",
    "stickiness",
    "conversion_from_previous",
    "conversion_from_start",
)


def format_metric(value: float | None, metric: Metric, currency: str | None = None) -> str:
    """A metric's value with its unit, as people read it (render/units.py)."""
    return format_value(value, metric.unit, currency)


def unit_label(metric: Metric, currency: str | None) -> str:
    """The unit as shown: money in the report's currency."""
    if metric.unit == "money":
        return currency or "money"
    return metric.unit


def format_cell(value: object, column: str) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        if column.endswith(PERCENT_COLUMNS):
            return f"{value * 100:.1f}%"
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return printable(str(value))


def sparkline(values: list[float | int | None], width: int = 60) -> str:
    """Block characters scaled to the series' range; long series are averaged down to `width`."""
    points = [float(v) for v in values if v is not None]
    if not points:
        return ""
    if len(points) > width:
        size = len(points) / width
        points = [
            sum(chunk) / len(chunk)
            for i in range(width)
            if (chunk := points[int(i * size) : max(int((i + 1) * size), int(i * size) + 1)])
        ]
    low, high = min(points), max(points)
    span = high - low
    top = len(SPARK_BARS) - 1
    return "".join(SPARK_BARS[round((p - low) / span * top) if span else top // 2] for p in points)
