"""`report`'s summary for people: on the terminal, as Markdown (report.md, `--format
markdown`, fit for a wiki or an e-mail) and as Slack's mrkdwn (`--format slack`).

Each family shows its headline metrics with the previous window's value and the change judged
better or worse (render/units.py), then its own notes (at most a few on the terminal);
warnings about the sources' data are said once at the end (render/notes.py); health names the
red accounts with their MRR and first reason.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from csmetrics.core.text import printable
from csmetrics.render.anomalies import (
    FLAG,
    NO_DIMENSIONS,
    band_note,
    unbanded_note,
    what_moved,
)
from csmetrics.render.notes import notes_of
from csmetrics.render.units import MISSING, change, format_value, verdict

if TYPE_CHECKING:
    from csmetrics.results.bundle import Bundle
    from csmetrics.results.report import Report

TERMINAL_NOTES = 3  # per family; the rest are counted
TERMINAL_DATA_NOTES = 5
RED_ACCOUNTS = 20


def _rows(bundle: Bundle, name: str) -> list[tuple[str, str, str, str, str, str]]:
    """(title, value, previous, change, verdict, colour) of each of a family's metrics."""
    report = bundle.current[name]
    previous_report = bundle.previous[name]
    rows = []
    for key, value in report.metrics.items():
        info = report.metric_info(key)
        previous = previous_report.metrics.get(key)
        judged, style = verdict(value, previous, info.direction)
        band = bundle.bands.get(key)
        if band is not None and band.flagged:
            judged = f"{judged}  {FLAG}".strip()
        rows.append(
            (
                info.title,
                format_value(value, info.unit, report.currency),
                format_value(previous, info.unit, report.currency),
                change(value, previous, info.unit),
                judged,
                style,
            )
        )
    return rows


def _heading(bundle: Bundle) -> str:
    previous_window = next(iter(bundle.previous.values())).window
    return f"{bundle.label}  (previous: {previous_window.name}; {bundle.window.timezone})"


def render_summary(bundle: Bundle, console: Console) -> None:
    """Per family: value, previous value, change and verdict, then the family's notes."""
    notes = notes_of(bundle)
    console.print(Text.assemble(("report", "bold"), f"  {_heading(bundle)}"))
    for name, message in notes.coverage:
        console.print(Text(f"warning: {name}: {printable(message)}", style="bold red"))
    for name in bundle.current:
        table = Table(title=name, box=box.SIMPLE_HEAVY, title_justify="left", show_edge=False)
        for column, justify in (("metric", "left"), ("value", "right"), ("previous", "right"),
                                ("change", "right"), ("", "left")):  # fmt: skip
            table.add_column(column, justify=justify, no_wrap=column != "metric")  # type: ignore[arg-type]
        for title, value, previous, moved, judged, style in _rows(bundle, name):
            table.add_row(title, value, previous, moved, Text(judged, style=style))
        console.print(table)
        for line in _band_lines(bundle, name):
            console.print(Text(f"  {FLAG_MARK} {line}", style="bold yellow"))
        _print_notes(console, notes.families[name], TERMINAL_NOTES, "  ")
        unbanded = unbanded_note(
            [b for k, b in bundle.bands.items() if k in bundle.current[name].metrics]
        )
        if unbanded:
            console.print(Text(f"  {printable(unbanded)}", style="dim"))
    _print_moved(bundle, console)
    if notes.data:
        console.print(Text("data notes", style="bold"))
        _print_notes(console, notes.data, TERMINAL_DATA_NOTES, "  ")
    for name, why in bundle.skipped.items():
        console.print(Text(f"{name}: left out, {printable(why)}", style="dim"))


FLAG_MARK = "⚑"


def _band_lines(bundle: Bundle, name: str) -> list[str]:
    """The family's flagged headlines in words."""
    report = bundle.current[name]
    return [
        band_note(bundle.bands[key], report.metric_info(key), report.currency)
        for key in report.metrics
        if key in bundle.bands and bundle.bands[key].flagged
    ]


def _print_moved(bundle: Bundle, console: Console) -> None:
    """ "What moved": each flagged headline's contributors per [explain] dimension."""
    moved = what_moved(bundle)
    if not moved:
        return
    console.print(Text("what moved", style="bold"))
    for item in moved:
        console.print(Text(f"  {printable(item.title)}", style="bold"))
        for line in item.lines or (NO_DIMENSIONS,):
            console.print(Text(f"    {printable(line)}"))
    for note in bundle.anomaly_notes:
        console.print(Text(f"  ! {printable(note)}", style="yellow"))


def _print_notes(console: Console, messages: list[str], most: int, indent: str) -> None:
    for message in messages[:most]:
        console.print(Text(f"{indent}! {printable(message)}", style="yellow"))
    if len(messages) > most:
        more = len(messages) - most
        console.print(
            Text(f"{indent}… {more} more note{'s' * (more > 1)} in report.json", style="dim")
        )


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: object) -> str:
    """Text from the data or a warning, safe in a Markdown paragraph or cell."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", printable(str(text)))


def markdown(bundle: Bundle) -> str:
    """The summary as Markdown for an e-mail or a wiki page: one table per family."""
    previous_window = next(iter(bundle.previous.values())).window
    notes = notes_of(bundle)
    lines = [
        f"# csmetrics report: {md(bundle.label)}",
        "",
        f"Window {bundle.window.since:%Y-%m-%d} to {bundle.window.until:%Y-%m-%d} (exclusive), "
        f"compared with {md(previous_window.name)}; time zone {md(bundle.window.timezone)}.",
    ]
    lines += [f"\n> **Warning ({name}):** {md(message)}" for name, message in notes.coverage]
    for name in bundle.current:
        lines += [
            "",
            f"## {name}",
            "",
            "| metric | value | previous | change |",
            "|---|---:|---:|---:|",
        ]
        for title, value, previous, moved, judged, _ in _rows(bundle, name):
            lines.append(f"| {md(title)} | {md(value)} | {md(previous)} | {md(moved)} {judged} |")
        if name == "health":
            lines += _red_accounts(bundle.current[name])
        flagged = [f"**{FLAG_MARK} {md(line)}**" for line in _band_lines(bundle, name)]
        family_notes = [md(message) for message in notes.families[name]]
        if flagged or family_notes:
            lines += ["", *(f"- {note}" for note in (*flagged, *family_notes))]
    lines += _moved_markdown(bundle)
    if notes.data:
        lines += ["", "## Data notes", "", *(f"- {md(message)}" for message in notes.data)]
    lines += [f"\n{name}: left out, {md(why)}" for name, why in bundle.skipped.items()]
    return "\n".join(lines) + "\n"


def _moved_markdown(bundle: Bundle) -> list[str]:
    moved = what_moved(bundle)
    if not moved:
        return []
    lines = ["", "## What moved"]
    for item in moved:
        lines += ["", f"**{md(item.title)}**: {md(item.note)}", ""]
        lines += [f"- {md(line)}" for line in item.lines or (NO_DIMENSIONS,)]
    lines += [f"\n> {md(note)}" for note in bundle.anomaly_notes]
    return lines


def _red_accounts(report: Report) -> list[str]:
    """The red accounts, most MRR first, each with its MRR and its first reason."""
    frame = report.tables.get("health")
    if frame is None or "band" not in frame.columns:
        return []
    red = frame.filter(frame["band"] == "red")
    if red.height == 0:
        return ["", "No account is red."]
    if "mrr" in red.columns:
        red = red.sort(["mrr", "account_id"], descending=[True, False], nulls_last=True)
    lines = ["", f"### Red accounts ({red.height})", ""]
    for row in red.head(RED_ACCOUNTS).iter_rows(named=True):
        lines.append(f"- {_account_line(row, report.currency)}")
    if red.height > RED_ACCOUNTS:
        lines.append(f"- … and {red.height - RED_ACCOUNTS} more (report.json, health.health)")
    return lines


def _account_line(row: dict[str, Any], currency: str | None) -> str:
    name = row.get("name") or row["account_id"]
    mrr = format_value(row.get("mrr"), "money", currency)
    reason = (row.get("reasons") or "").split("; ")[0] or "no reason recorded"
    return f"**{md(name)}** ({md(row['account_id'])}): MRR {md(mrr)}; {md(reason)}"


SLACK_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def slack(bundle: Bundle) -> str:
    """The summary as Slack mrkdwn (no tables there): a line per metric that has a value (the
    rest are counted), bold family names, the coverage warnings first."""
    notes = notes_of(bundle)
    lines = [f"*csmetrics report {_slack_text(_heading(bundle))}*"]
    lines += [f":warning: {name}: {_slack_text(message)}" for name, message in notes.coverage]
    for name in bundle.current:
        lines += ["", f"*{name}*"]
        rows = [row for row in _rows(bundle, name) if row[1] != MISSING]
        for title, value, previous, moved, judged, _ in rows:
            since = f" (was {previous}, {moved} {judged})" if moved else ""
            lines.append(f"• {_slack_text(title)}: *{_slack_text(value)}*{_slack_text(since)}")
        unset = len(bundle.current[name].metrics) - len(rows)
        if unset:
            lines.append(f"_{unset} metric{'s' * (unset > 1)} without a value (see report.md)_")
    flagged = what_moved(bundle)
    if flagged:
        lines += ["", "*What moved*"]
        for item in flagged:
            lines.append(f"• {_slack_text(item.note)}")
            lines += [f"    ◦ {_slack_text(line)}" for line in item.lines or (NO_DIMENSIONS,)]
    if notes.data:
        lines += ["", f"_{len(notes.data)} data notes in report.md_"]
    return "\n".join(lines) + "\n"


def _slack_text(text: str) -> str:
    """Slack's three escapes, and no control characters."""
    return "".join(SLACK_SPECIAL.get(ch, ch) for ch in printable(text))
