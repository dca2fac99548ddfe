"""`explain` as people read it: two or three sentences in words, then the segments' table, in the
terminal or Markdown. Values and changes use the metric's unit (render/units.py); segment names
come from the data, so they are escaped before they reach a terminal or a Markdown cell."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from csmetrics.core.diagnostics import coverage_first
from csmetrics.core.text import printable
from csmetrics.render.units import MISSING, change, format_value

if TYPE_CHECKING:
    from csmetrics.results.explanation import Explanation

LEADS = 2  # segments the sentences name
MAX_ROWS = 25


def segment_name(explanation: Explanation, row: dict[str, Any], named: bool = True) -> str:
    """`plan business`; `segment enterprise, priority low`; a missing value reads `(missing)`.
    Not `named`: the values only (`enterprise · low`), under a header that names the columns."""
    parts = []
    for column in explanation.by:
        value = row[column]
        shown = "(missing)" if value is None else printable(str(value))
        parts.append(f"{column} {shown}" if named else shown)
    return ", ".join(parts) if named else " · ".join(parts)


def difference(value: float | None, unit: str, currency: str | None = None) -> str:
    """A signed difference in the metric's unit: `+4.2 pp`, `-1.5 pts`, `+€120.00`, `+3`."""
    if value is None:
        return MISSING
    if unit == "share":
        number, suffix = f"{abs(value) * 100:.1f}", " pp"
    elif unit in ("score", "ratio"):
        digits = 1 if unit == "score" else 2  # scores run -100..100: a tenth of a point
        number, suffix = f"{abs(value):.{digits}f}", " pts" if unit == "score" else ""
    else:
        number, suffix = format_value(abs(value), unit, currency), ""
    # what rounds to zero shows no sign: "-0.0 pp" would claim a direction it does not have
    zero = not any(ch in "123456789" for ch in number)
    sign = "±" if zero else "+" if value > 0 else "-"
    return f"{sign}{number}{suffix}"


def _moved(before: float | None, after: float | None, unit: str, currency: str | None) -> str:
    """`rose from 25.1% to 26.2%`, `fell ...`, `held at 75.0%`, `went from n/a to 3 h`."""
    old, new = format_value(before, unit, currency), format_value(after, unit, currency)
    if before is None or after is None:
        return f"went from {old} to {new}"
    if old == new:
        return f"held at {new}"
    return f"{'rose' if after > before else 'fell'} from {old} to {new}"


def _share(value: float | None) -> str:
    return MISSING if value is None else f"{value * 100:.0f}%"


def sentences(explanation: Explanation) -> list[str]:
    """The headline's change in words, then its largest contributors."""
    e = explanation
    unit, currency = e.metric.unit, e.currency
    before, after = e.previous_value, e.value
    moved = _moved(before, after, unit, currency)
    delta = change(after, before, unit) if not moved.startswith("held") else ""
    lead = (
        f"{e.metric.title} {moved}"
        + (f" ({delta})" if delta else "")
        + f" between {e.previous_window.name} and {e.window.name}."
    )
    out = [lead]
    if e.kind == "quantile":
        out.append(
            f"A median or percentile does not split into contributions; each segment's own "
            f"value and share of the {e.units}:"
        )
    out += [_about(e, row) for row in e.segments.head(LEADS).to_dicts()]
    return out


def _about(e: Explanation, row: dict[str, Any]) -> str:
    """One segment in words: its own value moving, its weight moving, what it added."""
    unit, currency = e.metric.unit, e.currency
    name = segment_name(e, row)
    own = _moved(row["previous_value"], row["value"], unit, currency)
    if e.kind == "ratio":
        weights = _moved(row["previous_weight"], row["weight"], "share", None)
        return (
            f"{name}: its own value {own} and its {e.weight} {weights}; "
            f"{difference(row['contribution'], unit, currency)} of the change "
            f"({difference(row['rate_effect'], unit, currency)} rate, "
            f"{difference(row['mix_effect'], unit, currency)} mix)."
        )
    if e.kind == "additive":
        return f"{name}: {own}, {difference(row['contribution'], unit, currency)}."
    return f"{name}: {own}, over {row['units']:,} {e.units} ({_share(row['weight'])} of them)."


SUFFIXES = {"share": " pp", "score": " pts"}


def headers(explanation: Explanation) -> list[str]:
    """The table's column headers after the segment: short, on two lines, the unit of the
    differences in them (pp, pts) so that a ratio's eight columns fit 80 columns."""
    suffix = SUFFIXES.get(explanation.metric.unit, "").strip()
    unit = f"\n({suffix})" if suffix else ""
    if explanation.kind == "ratio":
        return ["before", "now", "weight\nbefore", "weight\nnow", f"rate{unit}", f"mix{unit}",
                f"total{unit}"]  # fmt: skip
    if explanation.kind == "additive":
        return ["before", "now", "share\nbefore", "share\nnow", f"total{unit}"]
    return ["before", "now", "units\nbefore", "units\nnow", "share\nnow"]


def table_rows(explanation: Explanation, suffixed: bool = True) -> list[list[str]]:
    """The segments' rows as text: the segment, then `headers`. Not `suffixed`: differences
    without their pp or pts, which the headers then carry."""
    e = explanation
    unit, currency = e.metric.unit, e.currency

    def diff(value: float | None) -> str:
        text = difference(value, unit, currency)
        return text if suffixed else text.removesuffix(SUFFIXES.get(unit, "\0"))

    rows = []
    for row in e.segments.to_dicts():
        value = [format_value(row[k], unit, currency) for k in ("previous_value", "value")]
        if e.kind == "ratio":
            shares = [_share(row["previous_weight"]), _share(row["weight"])]
            effects = [diff(row[k]) for k in ("rate_effect", "mix_effect", "contribution")]
            cells = [*value, *shares, *effects]
        elif e.kind == "additive":
            shares = [_share(row["previous_weight"]), _share(row["weight"])]
            cells = [*value, *shares, diff(row["contribution"])]
        else:
            units = [f"{row['previous_units']:,}", f"{row['units']:,}"]
            cells = [*value, *units, _share(row["weight"])]
        rows.append([segment_name(e, row, named=False), *cells])
    return rows


def render_explanation(explanation: Explanation, console: Console) -> None:
    """Sentences, then the table (the first MAX_ROWS segments); a window outside the data is
    said first (the other warnings are for stderr)."""
    for warning in coverage_first(explanation.warnings):
        console.print(
            f"warning: {warning.message}", style="bold red", highlight=False, markup=False
        )
    for sentence in sentences(explanation):
        console.print(Text(sentence))
    rows = table_rows(explanation, suffixed=False)
    table = Table(box=box.SIMPLE_HEAVY, show_edge=False)
    longest = max((len(row[0]) for row in rows), default=0)
    table.add_column(" × ".join(explanation.by), no_wrap=True, min_width=min(longest, 24))
    for header in headers(explanation):
        table.add_column(header, justify="right")
    for row in rows[:MAX_ROWS]:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    if len(rows) > MAX_ROWS:
        console.print(f"  … {len(rows) - MAX_ROWS} more segments (all: --format json)", style="dim")


def markdown(explanation: Explanation) -> str:
    """The sentences and the table as GitHub Markdown (pipes in names escaped)."""
    e = explanation
    lines = [f"# Why {e.metric.id} changed: {e.previous_window.name} to {e.window.name}", ""]
    lines += [f"> warning: {_cell(w.message)}" for w in coverage_first(e.warnings)]
    lines += [_cell(" ".join(sentences(e))), ""]
    header = [" × ".join(e.by), *(h.replace("\n", " ") for h in headers(e))]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---", *["---:"] * (len(header) - 1)]) + "|")
    rows = table_rows(e, suffixed=False)
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return printable(text).replace("|", "\\|")
