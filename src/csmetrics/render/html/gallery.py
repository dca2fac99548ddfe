"""Which charts each report table gets: the builders of product.py and business.py by
`family.table`."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from csmetrics.render.html.business import BUSINESS
from csmetrics.render.html.charts import Builder, Chart
from csmetrics.render.html.product import PRODUCT

BUILDERS: Mapping[str, Builder] = {**PRODUCT, **BUSINESS}


def charts_of(family: str, tables: Mapping[str, pl.DataFrame], currency: str | None) -> list[Chart]:
    """Every chart of a family's report, in the order of its tables; a chart with nothing to
    draw (an empty table, a column without values) is left out."""
    out: list[Chart] = []
    for name, frame in tables.items():
        key = f"{family}.mrr_by_plan" if name.startswith("mrr_by_") else f"{family}.{name}"
        builder = BUILDERS.get(key)
        if builder is not None and not frame.is_empty():
            out.extend(chart for chart in builder(frame, currency) if chart.values)
    return out
