"""The page's charts: Vega-Lite specs over a report's tables, one builder per table name (as
render/charts.py draws them for the terminal).

A chart never computes a number of its own: its data are rows of one report table, columns
picked and renamed for their labels, rows picked by a filter (`Chart.where`); only the
waterfall places its bars, from the month's movements, at the running level."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from csmetrics.core.json_values import table_records
from csmetrics.render.html.vega import HEIGHT, PALETTE, WIDTH

# a temporal axis read in UTC: the buckets are already in the report's time zone
DAY_AXIS = {
    "timeUnit": {"unit": "yearmonthdate", "utc": True},
    "title": None,
    "axis": {"format": "%b %d", "labelOverlap": True, "labelSeparation": 8},
}
MONTH_AXIS = {
    "timeUnit": {"unit": "yearmonth", "utc": True},
    "title": None,
    "axis": {"format": "%b %Y", "labelOverlap": True, "labelSeparation": 8},
}


@dataclass(frozen=True)
class Chart:
    """One chart: a title, a text alternative, and a Vega-Lite spec over rows of `table`."""

    id: str
    title: str
    alt: str
    table: str
    columns: Mapping[str, str]  # the table's column -> its name in the chart (its label)
    spec: Mapping[str, Any]  # Vega-Lite, without data, size or title
    values: list[dict[str, Any]] = field(default_factory=list)
    where: pl.Expr | None = None  # the rows of the table drawn; None: all

    def vega_lite(self) -> dict[str, Any]:
        return {
            "width": WIDTH,
            "height": HEIGHT,
            **self.spec,
            "data": {"values": self.values},
        }


def chart(
    frame: pl.DataFrame,
    *,
    id: str,
    title: str,
    alt: str,
    table: str,
    columns: Mapping[str, str],
    spec: Mapping[str, Any],
    where: pl.Expr | None = None,
) -> Chart:
    """A chart whose data are the table's rows (those `where` keeps), columns renamed."""
    rows = frame if where is None else frame.filter(where)
    picked = rows.select(pl.col(column).alias(name) for column, name in columns.items())
    return Chart(id, title, alt, table, columns, spec, table_records(picked), where)


POINTS_UP_TO = 40  # a line of more points is drawn without a dot at each (each costs time)


def lines(
    names: list[str], y_title: str, y_format: str = "", x: str = "bucket", points: int = 0
) -> dict:
    """One line per column in `names` (already renamed to their labels) over `x`; a single
    short series (`points` of them) marks each point."""
    axis = MONTH_AXIS if x == "month" else DAY_AXIS
    dots = len(names) == 1 and 0 < points <= POINTS_UP_TO
    return {
        "transform": [{"fold": names, "as": ["series", "value"]}],
        "mark": {"type": "line", "point": dots, "strokeWidth": 2},
        "encoding": {
            "x": {"field": x, "type": "temporal", **axis},
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": y_title,
                "axis": {"format": y_format} if y_format else {},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "sort": names,
                "title": None,
                "legend": None if len(names) == 1 else {},
            },
            "strokeDash": {
                "field": "series",
                "type": "nominal",
                "sort": names,
                "legend": None,
            },
        },
    }


def bars(category: str, value: str, value_title: str, value_format: str = "") -> dict:
    """Horizontal bars of `value` per `category`, in the table's order, values written."""
    y = {"field": category, "type": "nominal", "sort": None, "title": None}
    x = {
        "field": value,
        "type": "quantitative",
        "title": value_title,
        "axis": {"format": value_format} if value_format else {},
    }
    return {
        "encoding": {"y": y, "x": x},
        "layer": [
            {"mark": {"type": "bar", "color": PALETTE[0]}},
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 11},
                "encoding": {"text": {"field": value, "format": value_format or ","}},
            },
        ],
    }


def distribution(
    frame: pl.DataFrame, *, id: str, title: str, table: str, counted: str, what: str
) -> Chart:
    """Columns of `counted` per duration bucket (families/shared/waits.py), in bucket order."""
    spec = {
        "encoding": {
            "x": {"field": "bucket", "type": "ordinal", "sort": None, "title": None,
                  "axis": {"labelAngle": -30}},
            "y": {"field": counted, "type": "quantitative", "title": counted},
        },
        "layer": [
            {"mark": {"type": "bar", "color": PALETTE[0]}},
            {"mark": {"type": "text", "dy": -6, "fontSize": 11},
             "encoding": {"text": {"field": counted, "type": "quantitative"}}},
        ],
    }  # fmt: skip
    counts = "; ".join(f"{b}: {n}" for b, n in frame.select("bucket", counted).rows())
    return chart(
        frame,
        id=id,
        title=title,
        alt=f"Columns of the {what} in each duration bucket: {counts}.",
        table=table,
        columns={"bucket": "bucket", counted: counted, "share": "share"},
        spec=spec,
        where=pl.col(counted).is_not_null(),
    )


def span(frame: pl.DataFrame, column: str) -> str:
    """`from X to Y` over a table's first column of dates, for a text alternative."""
    if frame.is_empty():
        return "no rows"
    values = frame[column].drop_nulls()
    return f"from {values.min()!s} to {values.max()!s}" if len(values) else "no dates"


Builder = Callable[[pl.DataFrame, str | None], list[Chart]]
