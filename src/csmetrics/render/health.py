"""The health table for the terminal: one line per account with its score in its band's
colour, a small bar per component (its 0-100 score; `·` where the account has no data), the
reasons and MRR. Readable without colour: the band is also written out."""

from __future__ import annotations

from typing import Any

import polars as pl
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from csmetrics.render.units import format_value
from csmetrics.render.values import MISSING

BAND_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green"}
BAR_WIDTH = 5
MAX_ACCOUNTS = 50
REASONS_MIN = 24
BAR_COLUMN = 9  # a component's header (cut to 9) or its bar


def _bar(score: float | None, green: float, yellow: float) -> Text:
    """A component's score as a bar, coloured by the band cut-offs the scores were banded by."""
    if score is None:
        return Text("·".center(BAR_WIDTH), style="dim")
    filled = round(score / 100 * BAR_WIDTH)
    style = "green" if score >= green else "yellow" if score >= yellow else "red"
    return Text("█" * filled, style=style) + Text("░" * (BAR_WIDTH - filled), style="dim")


def health_table(
    frame: pl.DataFrame,
    width: int = 200,
    *,
    green: float,
    yellow: float,
    currency: str | None = None,
) -> RenderableType:
    """The accounts with a bar per component; `green`/`yellow`: the report's band cut-offs.
    A terminal too narrow for every bar leaves out components from the last (said below the
    table); the reasons wrap, never narrower than REASONS_MIN, else go under the table, one
    line per account."""
    shown = [c.removesuffix("_score") for c in frame.columns if c.endswith("_score")]
    accounts = frame.head(MAX_ACCOUNTS).iter_rows(named=True)
    rows = list(accounts)
    label = max([7, *(len(str(r.get("name") or r["account_id"])) for r in rows)])
    money = "mrr" in frame.columns
    fixed = [label, 5, 6, *([10] if money else [])]  # account, score, band, mrr

    def natural(components: int, reasons: bool) -> int:
        widths = [*fixed, *([BAR_COLUMN] * components), *([REASONS_MIN] if reasons else [])]
        return sum(widths) + 3 * len(widths) - 1

    while shown and natural(len(shown), True) > width:
        shown.pop()
    reasons_inline = natural(len(shown), True) <= width
    left_out = [c.removesuffix("_score") for c in frame.columns if c.endswith("_score")]
    left_out = left_out[len(shown) :]
    table = Table(title="health", box=box.SIMPLE, title_justify="left", show_edge=False)
    table.add_column("account", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("band", no_wrap=True)
    for name in shown:
        table.add_column(name[:9], no_wrap=True)
    if money:
        table.add_column("mrr", justify="right", no_wrap=True)
    if reasons_inline:
        table.add_column("reasons", overflow="fold", min_width=REASONS_MIN)
    for row in rows:
        cells = _cells(row, shown, money, reasons_inline, (green, yellow), currency)
        table.add_row(*cells)
    notes = [Text("  bars: each component's score, 0-100; · no data for it", style="dim")]
    if left_out:
        notes.append(
            Text(
                f"  not shown at this width: {', '.join(left_out)} (all: --format csv|json)",
                style="dim",
            )
        )
    if not reasons_inline:
        notes += [
            Text(f"  {row.get('name') or row['account_id']}: {row['reasons'] or ''}")
            for row in rows
            if row["reasons"]
        ]
    if frame.height > MAX_ACCOUNTS:
        notes.append(
            Text(
                f"  … {frame.height - MAX_ACCOUNTS} more accounts (all: --format csv|parquet|json"
                " --output …, or --band red)",
                style="dim",
            )
        )
    return Group(table, *notes)


def _cells(
    row: dict[str, Any],
    shown: list[str],
    money: bool,
    reasons: bool,
    bands: tuple[float, float],
    currency: str | None,
) -> list[Text | str]:
    green, yellow = bands
    style = BAND_STYLE.get(row["band"] or "", "dim")
    score = MISSING if row["score"] is None else f"{row['score']:.0f}"
    cells: list[Text | str] = [
        Text(str(row.get("name") or row["account_id"])),
        Text(score, style=style),
        Text(row["band"] or MISSING, style=style),
        *(_bar(row[f"{name}_score"], green, yellow) for name in shown),
    ]
    if money:
        cells.append(format_value(row["mrr"], "money", currency))
    if reasons:
        cells.append(Text(row["reasons"] or ""))
    return cells
