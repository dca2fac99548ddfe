"""Check results for people and machines: a Rich table, JSON, JUnit XML, and inside GitHub
Actions `::error`/`::warning` annotations (at most 10 of each, then a count) and a Markdown
table appended to `$GITHUB_STEP_SUMMARY`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from csmetrics.core.json_values import iso
from csmetrics.core.text import printable
from csmetrics.render.files import write_text
from csmetrics.render.summary import md

if TYPE_CHECKING:
    from csmetrics.core.window import Window
    from csmetrics.results.checks import Outcome

MAX_ANNOTATIONS = 10
STYLES = {"pass": "green", "warn": "yellow", "fail": "bold red"}


def period_line(outcomes: list[Outcome]) -> str:
    """`2026-10 (compared with 2026-09; UTC)`: what was checked."""
    first = outcomes[0] if outcomes else None
    if first is None or first.window is None:
        return ""
    before = f"compared with {first.previous_window.name}; " if first.previous_window else ""
    return f"{first.window.name} ({before}{first.window.timezone})"


def counts_line(outcomes: list[Outcome]) -> str:
    counts = {s: sum(o.status == s for o in outcomes) for s in STYLES}
    return f"{counts['pass']} passed, {counts['warn']} warned, {counts['fail']} failed"


WRAPPED_MIN = 16  # threshold and why wrap, never narrower


def render_table(outcomes: list[Outcome], console: Console) -> None:
    """A table of the checks; on a terminal too narrow for whole check names and values, one
    block per check instead, so no name or value is ever cut."""
    period = period_line(outcomes)
    if period:
        console.print(Text.assemble(("check", "bold"), f"  {printable(period)}"))
    if _narrowest(outcomes) > console.width:
        _blocks(outcomes, console)
        console.print(counts_line(outcomes))
        return
    table = Table(box=box.SIMPLE_HEAVY, show_edge=False)
    for column in ("check", "value", "previous", "threshold", "status", "why"):
        wraps = column in ("threshold", "why")
        table.add_column(
            column,
            justify="right" if column in ("value", "previous") else "left",
            no_wrap=not wraps,
            min_width=WRAPPED_MIN if wraps else None,
        )
    for o in outcomes:
        status = Text(o.status, style=STYLES[o.status])
        table.add_row(
            Text(printable(o.subject)),
            o.shown(o.value),
            o.shown(o.previous),
            Text(printable(o.threshold)),
            status,
            Text(printable(o.reason)),
        )
    console.print(table)
    console.print(counts_line(outcomes))


def _narrowest(outcomes: list[Outcome]) -> int:
    """The table's width with whole names, values and statuses (threshold and why wrapped)."""
    widths = [
        max([5, *(len(o.subject) for o in outcomes)]),
        max([5, *(len(o.shown(o.value)) for o in outcomes)]),
        max([8, *(len(o.shown(o.previous)) for o in outcomes)]),
        WRAPPED_MIN,
        6,
        WRAPPED_MIN,
    ]
    return sum(widths) + 3 * len(widths) - 1


def _blocks(outcomes: list[Outcome], console: Console) -> None:
    for o in outcomes:
        console.print(
            Text.assemble((f"{o.status:<5}", STYLES[o.status]), " ", printable(o.subject))
        )
        said = f"{o.shown(o.value)} (previous {o.shown(o.previous)}); {o.threshold}"
        why = "" if o.status == "pass" else f": {o.reason}"
        console.print(Padding(Text(printable(said + why)), (0, 0, 0, 6)))


def _window(window: Window | None) -> dict[str, str | None] | None:
    if window is None:
        return None
    return {"label": window.name, "since": iso(window.since), "until": iso(window.until)}


def as_json(outcomes: list[Outcome]) -> str:
    """The period checked and compared with, and per check its value and previous value (full
    precision, with the unit), threshold, status and message."""
    rows: list[dict[str, Any]] = [
        {
            "check": o.subject,
            "metric": o.check.metric,
            "unit": o.unit or None,
            "value": o.value,
            "previous": o.previous,
            "threshold": dict(o.check.limits),
            "threshold_text": o.threshold,
            "status": o.status,
            "message": o.reason,
            "reason": o.reason,  # the earlier name of `message`, kept for existing readers
        }
        for o in outcomes
    ]
    first = outcomes[0] if outcomes else None
    return json.dumps(
        {
            "period": _window(first.window) if first else None,
            "previous_period": _window(first.previous_window) if first else None,
            "timezone": first.window.timezone if first and first.window else None,
            "checks": rows,
            "passed": sum(o.status == "pass" for o in outcomes),
            "warned": sum(o.status == "warn" for o in outcomes),
            "failed": sum(o.status == "fail" for o in outcomes),
        },
        indent=2,
    )


def junit_xml(outcomes: list[Outcome]) -> str:
    """One test case per check (and per breakdown value); failures as <failure>, warnings in
    <system-out> (JUnit has no warning state)."""
    suite = ET.Element(
        "testsuite",
        name="csmetrics check",
        tests=str(len(outcomes)),
        failures=str(sum(o.status == "fail" for o in outcomes)),
        errors="0",
        skipped="0",
    )
    for o in outcomes:
        case = ET.SubElement(suite, "testcase", classname="csmetrics", name=o.subject)
        if o.status == "fail":
            failure = ET.SubElement(case, "failure", message=o.reason, type="threshold")
            failure.text = f"value {o.shown(o.value)}; threshold {o.threshold}"
        elif o.status == "warn":
            ET.SubElement(case, "system-out").text = f"warning: {o.reason}"
    suites = ET.Element("testsuites")
    suites.append(suite)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(outcomes: list[Outcome], path: Path) -> None:
    write_text(path, junit_xml(outcomes))


def github_annotations(outcomes: list[Outcome]) -> list[str]:
    """`::error`/`::warning` lines, at most MAX_ANNOTATIONS of each, then one line with the rest."""
    lines = []
    for status, command in (("fail", "error"), ("warn", "warning")):
        chosen = [o for o in outcomes if o.status == status]
        for o in chosen[:MAX_ANNOTATIONS]:
            lines.append(f"::{command} title=csmetrics check {o.subject}::{o.reason}")
        if len(chosen) > MAX_ANNOTATIONS:
            lines.append(f"::{command}::{len(chosen) - MAX_ANNOTATIONS} more checks {status}ed")
    return lines


def step_summary(outcomes: list[Outcome]) -> str:
    """The GitHub step summary: the period, then per check its value, previous value,
    threshold, status and message."""
    lines = ["### csmetrics check", ""]
    period = period_line(outcomes)
    if period:
        lines += [f"Period {md(period)}: {counts_line(outcomes)}.", ""]
    lines += [
        "| check | value | previous | threshold | status | message |",
        "|---|---:|---:|---|---|---|",
    ]
    icons = {"pass": "✅ pass", "warn": "⚠️ warn", "fail": "❌ fail"}
    for o in outcomes:
        cells = (o.subject, o.shown(o.value), o.shown(o.previous), o.threshold)
        lines.append(
            "| " + " | ".join(md(c) for c in cells) + f" | {icons[o.status]} | {md(o.reason)} |"
        )
    return "\n".join(lines) + "\n"


def publish_to_github(outcomes: list[Outcome], print_line: Any) -> None:
    """Inside GitHub Actions: annotations on stdout (where the runner reads them) and the
    Markdown table appended to the step summary file."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    for line in github_annotations(outcomes):
        print_line(line)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with Path(summary).open("a", encoding="utf-8") as handle:
            handle.write(step_summary(outcomes))
