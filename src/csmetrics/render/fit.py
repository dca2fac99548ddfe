"""A report's table on a terminal of any width: numbers and ids are never cut.

Every column but the long-text ones is `no_wrap`, so Rich can only shrink the text columns
(which wrap, never narrower than TEXT_MIN_WIDTH). While the table's narrowest rendering is
still wider than the terminal, a column is left out: first those its declaration names
(`Table.drop_first`), then the rightmost; the first column (the row's key: a bucket, an
account, a breakdown's value) always stays. The caller says which were left out.

Cells are shown in their unit: a column named as one of the family's metrics (a breakdown's
`first_response_median_hours`) as that metric (`3 h 42 min`), any other `*_hours`, `*_minutes`
or `*_days` column as a duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from csmetrics.render.units import SECONDS, duration, format_value
from csmetrics.render.values import format_cell

if TYPE_CHECKING:
    from csmetrics.results.report import Report

TEXT_COLUMNS = ("reasons", "definition", "comment", "message", "why", "components")
TEXT_MIN_WIDTH = 20
NAMED_DROPS = 4
TRANSPOSED_MAX_GROUPS = 8


@dataclass
class Fitted:
    table: Table
    dropped: list[str]

    def note(self) -> str:
        """What the reader misses at this width, and where to find it."""
        if not self.dropped:
            return ""
        named = ", ".join(self.dropped[:NAMED_DROPS])
        more = len(self.dropped) - NAMED_DROPS
        named += f" and {more} more" if more > 0 else ""
        return f"  not shown at this width: {named} (all: --format csv|json --output FILE)"


def cell(value: object, column: str, report: Report) -> str:
    """A table cell in its unit (see the module doc)."""
    metric = report.declared.get(f"{report.family}.{column}")
    if metric is not None and (value is None or isinstance(value, int | float)):
        return format_value(value, metric.unit, report.currency)
    unit = column.rsplit("_", 1)[-1]
    if unit in SECONDS and isinstance(value, int | float) and not isinstance(value, bool):
        return duration(float(value), unit)
    return format_cell(value, column)


def fitted(name: str, frame: pl.DataFrame, report: Report, console: Console, rows: int) -> Fitted:
    """The table of `frame`'s first `rows` rows that fits `console`'s width. A breakdown
    (`--by`: one row per value, one column per metric) too wide for the terminal is turned
    so its values are the columns and its metrics the rows, titled as in the headline."""
    plain = _fitted(name, frame, report, console, rows)
    by = report.parameters.get("by")
    if plain.dropped and frame.columns[0] == by and 0 < frame.height <= TRANSPOSED_MAX_GROUPS:
        turned = _fitted(name, _transposed(frame, report), report, console, rows, as_text=True)
        if len(turned.dropped) < len(plain.dropped):
            return turned
    return plain


def _transposed(frame: pl.DataFrame, report: Report) -> pl.DataFrame:
    """A breakdown with its values as columns: one row per metric, each cell in its unit."""
    key = frame.columns[0]
    groups = [format_cell(value, key) for value in frame[key].to_list()]
    rows: dict[str, list[str]] = {key: []}
    for group in groups:
        rows[group] = []
    for column in frame.columns[1:]:
        metric = report.declared.get(f"{report.family}.{column}")
        rows[key].append(metric.title if metric else column)
        for group, value in zip(groups, frame[column].to_list(), strict=True):
            rows[group].append(cell(value, column, report))
    return pl.DataFrame(rows, schema=dict.fromkeys(rows, pl.String))


def _fitted(
    name: str,
    frame: pl.DataFrame,
    report: Report,
    console: Console,
    rows: int,
    as_text: bool = False,
) -> Fitted:
    shown = frame.head(rows)
    cells = {
        c: [v if as_text else cell(v, c, report) for v in shown[c].to_list()] for c in frame.columns
    }
    declared = report.declared_tables.get(name)
    first = list(declared.drop_first) if declared else []
    order = [c for c in first if c in frame.columns]
    order += [c for c in reversed(frame.columns[1:]) if c not in order]
    columns = list(frame.columns)
    dropped: list[str] = []
    while True:
        table = _table(name, columns, frame.schema, cells, shown.height, as_text)
        if _narrowest(columns, cells, as_text) <= console.width or not order:
            return Fitted(table, dropped)
        gone = order.pop(0)
        columns.remove(gone)
        dropped.append(gone)


def _narrowest(columns: list[str], cells: dict[str, list[str]], turned: bool = False) -> int:
    """The table's narrowest rendering that cuts no cell: each column as wide as its header and
    its widest cell (a text column wraps down to TEXT_MIN_WIDTH), one padding cell on each side
    of a column and one space between columns (box.SIMPLE_HEAVY without edges). Rich's own
    measure counts a cell's longest word, not a no_wrap column's whole cell."""
    widths = []
    for index, column in enumerate(columns):
        natural = max([cell_len(column), *(cell_len(text) for text in cells[column])])
        wraps = column in TEXT_COLUMNS or (turned and index == 0)
        widths.append(min(natural, TEXT_MIN_WIDTH) if wraps else natural)
    return sum(widths) + 3 * len(widths) - 1


def _table(
    name: str,
    columns: list[str],
    schema: pl.Schema,
    cells: dict[str, list[str]],
    height: int,
    turned: bool = False,
) -> Table:
    """`turned`: a transposed breakdown, whose value columns are numbers shown as text."""
    table = Table(title=name, box=box.SIMPLE_HEAVY, title_justify="left", show_edge=False)
    for index, column in enumerate(columns):
        text = column in TEXT_COLUMNS or (turned and index == 0)  # a metric's title wraps
        numeric = schema[column].is_numeric() or (turned and index > 0)
        table.add_column(
            column,
            justify="right" if numeric else "left",
            no_wrap=not text,
            min_width=TEXT_MIN_WIDTH if text else None,
            overflow="fold",
        )
    for index in range(height):
        # Text, not str: a cell from the data is never read as Rich markup
        table.add_row(*(Text(cells[column][index]) for column in columns))
    return table
