"""The health table for the terminal: one line per account with its score in its band's
colour, a small bar per component (its 0-100 score; `·` where the account has no data), the
reasons and MRR. Readable without colour: the band is also written out."""

from __future__ import annotations

import polars as pl
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from csmetrics.render.values import MISSING

BAND_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green"}
BAR_WIDTH = 5
MAX_ACCOUNTS = 50


def _bar(score: float | None, green: float, yellow: float) -> Text:
    """A component's score as a bar, coloured by the band cut-offs the scores were banded by."""
    if score is None:
        return Text("·".center(BAR_WIDTH), style="dim")
    filled = round(score / 100 * BAR_WIDTH)
    style = "green" if score >= green else "yellow" if score >= yellow else "red"
    return Text("█" * filled, style=style) + Text("░" * (BAR_WIDTH - filled), style="dim")


def health_table(frame: pl.DataFrame, green: float, yellow: float) -> RenderableType:
    """The accounts with a bar per component; `green`/`yellow`: the report's band cut-offs."""
    # the components the table holds, in its order (frequency_score, breadth_score, ...)
    shown = [c.removesuffix("_score") for c in frame.columns if c.endswith("_score")]
    table = Table(title="health", box=box.SIMPLE, title_justify="left", show_edge=False)
    table.add_column("account", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column("band")
    for name in shown:
        table.add_column(name[:9], no_wrap=True)
    if "mrr" in frame.columns:
        table.add_column("mrr", justify="right")
    table.add_column("reasons", overflow="fold")
    for row in frame.head(MAX_ACCOUNTS).iter_rows(named=True):
        style = BAND_STYLE.get(row["band"] or "", "dim")
        score = MISSING if row["score"] is None else f"{row['score']:.0f}"
        label = row.get("name") or row["account_id"]
        cells: list[Text | str] = [
            Text(str(label)),
            Text(score, style=style),
            Text(row["band"] or MISSING, style=style),
            *(_bar(row[f"{name}_score"], green, yellow) for name in shown),
        ]
        if "mrr" in frame.columns:
            cells.append(MISSING if row["mrr"] is None else f"{row['mrr']:,.2f}")
        cells.append(Text(row["reasons"] or ""))
        table.add_row(*cells)
    notes = [Text("  bars: each component's score, 0-100; · no data for it", style="dim")]
    if frame.height > MAX_ACCOUNTS:
        notes.append(
            Text(
                f"  … {frame.height - MAX_ACCOUNTS} more accounts (all: --format csv|parquet|json"
                " --output …, or --band red)",
                style="dim",
            )
        )
    return Group(table, *notes)
