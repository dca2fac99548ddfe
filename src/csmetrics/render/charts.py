"""Pictures of tables a person would rather look at than read, for the terminal: the cohort
heatmap, the lifecycle as diverging bars, the funnel as bars. Each still reads without colour
(NO_COLOR, pipes): values are printed, and bars use distinct characters per series. The MRR
waterfall lives in `waterfall.py`."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from csmetrics.render.health import health_table
from csmetrics.render.units import duration
from csmetrics.render.values import MISSING
from csmetrics.render.waterfall import movements_by_group, mrr_waterfall

BAR_WIDTH = 40
WIDE = 200  # the width a chart is drawn for when none is given
# lifecycle series: (column, bar character, colour)
LIFECYCLE = (
    ("new", "█", "green"),
    ("returning", "▓", "blue"),
    ("resurrecting", "▒", "yellow"),
)
DORMANT = ("dormant", "░", "red")


def _shade(rate: float) -> str:
    """A background from pale to deep blue as the rate goes from 0 to 1, with readable text."""
    level = max(0.0, min(1.0, rate))
    red, green = int(235 - 200 * level), int(242 - 150 * level)
    text = "white" if level > 0.55 else "black"
    return f"{text} on rgb({red},{green},255)"


def cohort_heatmap(frame: pl.DataFrame, width: int = WIDE) -> RenderableType:
    """Cohorts down, offsets across; each cell its rate as %, shaded; blank when not yet
    observable; `*` marks a partial cell, `‹` a cohort whose bucket starts before the window.
    A terminal too narrow for every offset shows the first ones and says which it left out."""
    every = sorted(frame["offset"].unique().to_list())
    # cohort (12 + " ‹") and size columns, then 5 characters and 3 of spacing per offset
    room = max((width - (14 + 3) - (6 + 3)) // 8, 1)
    offsets = every[:room]
    table = Table(title="cohorts", box=box.SIMPLE_HEAVY, title_justify="left", show_edge=False)
    table.add_column("cohort", no_wrap=True, min_width=12)  # a date is never cut
    table.add_column("size", justify="right", no_wrap=True, min_width=4)
    for offset in offsets:
        table.add_column(str(offset), justify="right", no_wrap=True)
    for (cohort,), rows in frame.sort("cohort", "offset").group_by("cohort", maintain_order=True):
        size = rows["size"][0]
        before = "before_window" in rows.columns and bool(rows["before_window"][0])
        cells: list[Text] = []
        by_offset = {r["offset"]: r for r in rows.to_dicts()}
        for offset in offsets:
            row = by_offset.get(offset)
            rate = None if row is None else row["rate"]
            if row is None or row["users"] is None:
                cells.append(Text(""))
            elif rate is None:
                cells.append(Text(MISSING))
            else:
                mark = "*" if row["partial"] else " "
                cells.append(Text(f"{rate * 100:.0f}%{mark}", style=_shade(rate)))
        label = f"{cohort} ‹" if before else f"{cohort}  "
        table.add_row(label, "" if size is None else f"{size:,}", *cells)
    note = Text(
        "  % of the cohort; * partial (the data ends inside it); blank: not yet observable; "
        "‹ the cohort's bucket starts before the window",
        style="dim",
    )
    if len(offsets) < len(every):
        left_out = f"  not shown at this width: offsets {every[len(offsets)]} to {every[-1]}"
        return Group(table, note, Text(left_out + " (all: --format csv|json)", style="dim"))
    return Group(table, note)


def _bar(count: int, scale: float, char: str, style: str) -> Text:
    return Text(char * round(count * scale), style=style)


def lifecycle_bars(frame: pl.DataFrame, width: int = WIDE) -> RenderableType:
    """Per bucket: dormant to the left of the axis, new/returning/resurrecting stacked right;
    the bars take the room the terminal leaves."""
    rows = frame.sort("bucket").to_dicts()
    right = max((sum(r[c] for c, _, _ in LIFECYCLE) for r in rows), default=0)
    left = max((-r["dormant"] for r in rows), default=0)
    scale = _room(width - 50, 10, BAR_WIDTH) / max(right + left, 1)
    indent = round(left * scale)
    table = Table(title="lifecycle", box=None, title_justify="left", show_header=True)
    table.add_column("bucket", no_wrap=True)
    table.add_column("dormant", justify="right", no_wrap=True)
    table.add_column("new / returning / resurrecting", no_wrap=True)
    for row in rows:
        dormant = Text(str(row["dormant"]) + " ") + _bar(
            -row["dormant"], scale, DORMANT[1], DORMANT[2]
        )
        dormant.pad_left(indent + 8 - len(dormant))
        stacked = Text("│")
        for column, char, style in LIFECYCLE:
            stacked += _bar(row[column], scale, char, style)
        counts = " ".join(f"{row[c]}" for c, _, _ in LIFECYCLE)
        stacked += Text(f" {counts}" + ("  (partial)" if row["partial"] else ""))
        table.add_row(str(row["bucket"]), dormant, stacked)
    legend = "  " + "  ".join(f"{char} {name}" for name, char, _ in (*LIFECYCLE, DORMANT))
    return Group(table, Text(legend, style="dim"))


def funnel_bars(frame: pl.DataFrame, width: int = WIDE) -> RenderableType:
    """A bar per step, as long as its users; conversion from the start, the drop-off and the
    median time from the step before. The bars take the room the terminal leaves."""
    top = max(int(frame["users"].max() or 0), 1)  # type: ignore[arg-type]
    step = max([4, *(len(str(name)) for name in frame["step"].to_list())])
    bar_width = _room(width - (step + 8 + 10 + 8 + 16 + 6 * 2), 8, BAR_WIDTH)
    table = Table(title="funnel", box=None, title_justify="left")
    for name, justify in (
        ("step", "left"),
        ("users", "right"),
        ("", "left"),
        ("from start", "right"),
        ("drop-off", "right"),
        ("from previous", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for row in frame.to_dicts():
        share = row["conversion_from_start"]
        hours = row["median_time_from_previous_hours"]
        table.add_row(
            row["step"],
            f"{row['users']:,}",
            _bar(row["users"], bar_width / top, "█", "cyan"),
            MISSING if share is None else f"{share * 100:.1f}%",
            f"-{row['drop_off']:,}" if row["drop_off"] else "",
            MISSING if hours is None else duration(hours, "hours"),
        )
    return table


def nps_trend_chart(frame: pl.DataFrame, width: int = WIDE) -> RenderableType:
    """Per bucket, the NPS as `●` on a -100..100 axis with its 95% margin as `─` around it;
    the axis takes the room the terminal leaves (odd, so 0 has its middle)."""
    width = _room(width - (10 + 4 + 8 + 12 + 5 * 2 + 2), 11, BAR_WIDTH + 1) // 2 * 2 + 1
    table = Table(title="nps_trend", box=None, title_justify="left")
    for name, justify in (
        ("bucket", "left"),
        ("-100 … 0 … +100", "left"),
        ("nps", "right"),
        ("± margin", "right"),
        ("responses", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]

    def position(value: float) -> int:
        return max(0, min(width - 1, round((value + 100) / 200 * (width - 1))))

    for row in frame.sort("bucket").to_dicts():
        nps, margin = row["nps"], row["margin"]
        line = [" "] * width
        line[width // 2] = "│"
        if nps is not None:
            for i in range(position(nps - (margin or 0)), position(nps + (margin or 0)) + 1):
                line[i] = "─"
            line[position(nps)] = "●"
        mark = "  (partial)" if row["partial"] else ""
        table.add_row(
            str(row["bucket"]),
            Text("".join(line), style="magenta"),
            MISSING if nps is None else f"{nps:+.0f}",
            MISSING if margin is None else f"±{margin:.0f}",
            f"{row['responses']:,}{mark}",
        )
    return table


def _room(available: int, least: int, most: int) -> int:
    return max(least, min(most, available))


CHARTS: dict[str, Callable[[pl.DataFrame, int], RenderableType]] = {
    "nps_trend": nps_trend_chart,
    "cohorts": cohort_heatmap,
    "lifecycle": lifecycle_bars,
    "funnel": funnel_bars,
}


def chart_for(
    table: str, parameters: Mapping[str, Any] | None = None, currency: str | None = None
) -> Callable[[pl.DataFrame, int], RenderableType] | None:
    """The picture drawn instead of the table `table`, if it has one; `parameters`: the
    report's, for the cut-offs a picture colours by (health's bands); `currency`: the
    report's, for the amounts a picture writes."""
    if table == "health":
        bands = (parameters or {}).get("bands")
        if not bands:
            return None
        return functools.partial(
            health_table, green=bands["green"], yellow=bands["yellow"], currency=currency
        )
    if table == "mrr_movements":
        return functools.partial(mrr_waterfall, currency=currency)
    if table in CHARTS:
        return CHARTS[table]
    if table.startswith("mrr_by_"):
        return functools.partial(movements_by_group, currency=currency)
    return None
