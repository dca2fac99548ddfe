"""MRR movements as a waterfall per month: the starting level, each movement as a bar that
starts where the running level stands (gains right in green, losses left in red), the ending
level. Without colour the characters still tell gains (▓) from losses (░)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from csmetrics.render.units import money

WIDTH = 40
STEPS = (
    ("new", 1),
    ("reactivation", 1),
    ("expansion", 1),
    ("contraction", -1),
    ("churn", -1),
)
LEVEL, GAIN, LOSS = ("█", "blue"), ("▓", "green"), ("░", "red")


def _money(value: Decimal | float, currency: str | None = None) -> str:
    return money(float(value), currency)


def _segment(low: float, high: float, scale: float, mark: tuple[str, str]) -> Text:
    """Spaces up to `low`, then the bar to `high` (at least one character when they differ)."""
    start = round(low * scale)
    length = max(round(high * scale) - start, 1 if high > low else 0)
    return Text(" " * start) + Text(mark[0] * length, style=mark[1])


def mrr_waterfall(
    frame: pl.DataFrame, width: int = 200, currency: str | None = None
) -> RenderableType:
    """The months' waterfalls in `currency`; the bars take the room the terminal leaves."""
    rows = frame.sort("month").to_dicts()
    amounts = [_money(r[c], currency) for r in rows for c in ("starting", "ending")]
    amount_width = max([6, *(len(a) + 1 for a in amounts)])
    bar_width = max(8, min(WIDTH, width - (7 + 12 + amount_width + 8 + 3 * 5)))
    top = max(
        (
            float(
                max(
                    r["starting"],
                    r["ending"],
                    r["starting"] + r["new"] + r["reactivation"] + r["expansion"],
                )
            )
            for r in rows
        ),
        default=0.0,
    )
    scale = bar_width / top if top > 0 else 0.0
    table = Table(title="mrr_movements", box=box.SIMPLE, title_justify="left", show_edge=False)
    for name, justify in (
        ("month", "left"),
        ("", "left"),
        ("", "left"),
        ("amount", "right"),
        ("accounts", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for row in rows:
        _add_month(table, row, scale, currency)
    legend = Text(
        f"  {LEVEL[0]} MRR  {GAIN[0]} gained  {LOSS[0]} lost (steps without movement are left out)",
        style="dim",
    )
    return Group(table, legend)


def _add_month(
    table: Table, row: dict[str, Any], scale: float, currency: str | None = None
) -> None:
    """One month's section: the starting level, each movement from the running level, the end."""
    level = float(row["starting"])
    month = str(row["month"])[:7]
    table.add_row(
        month,
        "starting",
        _segment(0, level, scale, LEVEL),
        _money(row["starting"], currency),
        f"{row['starting_accounts']:,}",
    )
    for name, sign in STEPS:
        amount = float(row[name])
        if not amount:
            continue
        after = level + sign * amount
        bar = _segment(min(level, after), max(level, after), scale, GAIN if sign > 0 else LOSS)
        table.add_row(
            "",
            name,
            bar,
            ("+" if sign > 0 else "-") + _money(row[name], currency),
            f"{row[f'{name}_accounts']:,}",
        )
        level = after
    table.add_row(
        "",
        "ending",
        _segment(0, float(row["ending"]), scale, LEVEL),
        _money(row["ending"], currency),
        f"{row['ending_accounts']:,}",
        end_section=True,
    )


# the movement columns a narrow terminal leaves out first
DROP_FIRST = ("reactivation", "contraction", "expansion", "churn", "new", "starting")


def movements_by_group(
    frame: pl.DataFrame, width: int = 200, currency: str | None = None
) -> RenderableType:
    """The movements per breakdown value, money only (the account counts are in the files); a
    terminal too narrow leaves out movements (DROP_FIRST) and says which."""
    group = frame.columns[1]
    rows = frame.sort("month", group).iter_rows(named=True)
    every = ("starting", "new", "expansion", "contraction", "churn", "reactivation", "ending")
    cells = [
        {
            "month": str(r["month"])[:7],
            group: str(r[group]),
            **{c: _money(r[c], currency) for c in every},
        }
        for r in rows
    ]
    columns = ["month", group, *every]
    dropped = []

    def natural(name: str) -> int:
        return max([len(name), *(len(row[name]) for row in cells)])

    for name in DROP_FIRST:
        if sum(natural(c) for c in columns) + 3 * len(columns) - 1 <= width:
            break
        columns.remove(name)
        dropped.append(name)
    table = Table(
        title=f"mrr_by_{group}", box=box.SIMPLE_HEAVY, title_justify="left", show_edge=False
    )
    for name in columns:
        table.add_column(
            name, justify="left" if name in ("month", group) else "right", no_wrap=True
        )
    for row in cells:
        table.add_row(*(Text(row[name]) for name in columns))
    if not dropped:
        return table
    note = f"  not shown at this width: {', '.join(dropped)} (all: --format csv|json)"
    return Group(table, Text(note, style="dim"))
