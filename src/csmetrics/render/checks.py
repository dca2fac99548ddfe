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
from rich.table import Table
from rich.text import Text

from csmetrics.core.text import printable
from csmetrics.render.files import write_text

if TYPE_CHECKING:
    from csmetrics.results.checks import Outcome

MAX_ANNOTATIONS = 10
STYLES = {"pass": "green", "warn": "yellow", "fail": "bold red"}


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.4g}"


def render_table(outcomes: list[Outcome], console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAVY, show_edge=False)
    for column in ("check", "value", "previous", "threshold", "status", "why"):
        table.add_column(column, justify="right" if column in ("value", "previous") else "left")
    for o in outcomes:
        status = Text(o.status, style=STYLES[o.status])
        table.add_row(
            Text(printable(o.subject)),
            _number(o.value),
            _number(o.previous),
            Text(printable(str(o.check.threshold))),
            status,
            Text(printable(o.reason)),
        )
    console.print(table)
    counts = {s: sum(o.status == s for o in outcomes) for s in STYLES}
    console.print(f"{counts['pass']} passed, {counts['warn']} warned, {counts['fail']} failed")


def as_json(outcomes: list[Outcome]) -> str:
    rows: list[dict[str, Any]] = [
        {
            "check": o.subject,
            "metric": o.check.metric,
            "value": o.value,
            "previous": o.previous,
            "threshold": dict(o.check.limits),
            "status": o.status,
            "reason": o.reason,
        }
        for o in outcomes
    ]
    return json.dumps(
        {"checks": rows, "failed": sum(o.status == "fail" for o in outcomes)}, indent=2
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
            failure.text = f"value {_number(o.value)}; threshold {o.check.threshold}"
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
    lines = [
        "### csmetrics check",
        "",
        "| check | value | threshold | status |",
        "|---|---:|---|---|",
    ]
    icons = {"pass": "✅ pass", "warn": "⚠️ warn", "fail": "❌ fail"}
    for o in outcomes:
        lines.append(
            f"| {o.subject} | {_number(o.value)} | {o.check.threshold} | {icons[o.status]} |"
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
