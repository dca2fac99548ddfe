"""The documentation pages generated from the code (`make docs`; a test fails when one is
stale): the command-line reference from the commands' declarations, one page per family from
its declaration (metrics, tables, settings), and the metric catalogue.

    python -m csmetrics.cli.reference docs    # writes docs/reference/cli.md, docs/families/*
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from csmetrics.cli.help import placeholder

CLI_PAGE = Path("reference/cli.md")
FAMILY_FOLDER = Path("families")
CATALOGUE_PAGE = Path("metrics.md")


def _cell(text: object) -> str:
    return str(text).replace("\\[", "[").replace("|", "\\|").replace("\n", " ")


def cli_reference() -> str:
    """Every command: what it does, its usage, its options with their placeholders, an
    example."""
    from csmetrics.cli import app

    group: Any = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands' declarations (`make docs`); `csmetrics COMMAND --help`",
        "prints the same.",
    ]
    for name, command in group.commands.items():
        lines += ["", f"## csmetrics {name}", "", _cell(command.help or "").strip(), ""]
        lines += [f"    csmetrics {name} [OPTIONS]", ""]
        lines += ["| option | value | what |", "|---|---|---|"]
        for param in command.params:
            placeholder(param)
            flags = ", ".join(f"`{flag}`" for flag in param.opts)
            value = f"`{param.metavar}`" if param.metavar else ""
            lines.append(f"| {flags} | {value} | {_cell(param.help or '')} |")
        if command.epilog:
            lines += ["", _cell(command.epilog).replace("Example: ", "Example: `") + "`"]
    return "\n".join(lines) + "\n"


def family_page(name: str) -> str:
    """A family's page: what it computes, the sources it reads, its metrics, its tables and
    its settings (config key, flag, default)."""
    from csmetrics.api import families

    family = families()[name]
    lines = [f"# {name}", "", family.summary, "", f"Example: `{family.example}`", ""]
    sources = ", ".join(family.required) or "one of " + ", ".join(family.one_of)
    optional = f" (and, when given, {', '.join(family.optional)})" if family.optional else ""
    lines += [f"Reads {sources}{optional}."]
    lines += ["", "## Metrics", "", "| id | title | unit | better | needs | definition |"]
    lines.append("|---|---|---|---|---|---|")
    for metric in family.metrics:
        better = {"higher": "higher", "lower": "lower", "neutral": "neither"}[metric.direction]
        lines.append(
            f"| `{metric.id}` | {_cell(metric.title)} | {metric.unit} | {better} | "
            f"{_cell(', '.join(metric.needs))} | {_cell(metric.definition)} |"
        )
    if family.tables:
        lines += ["", "## Tables", ""]
        lines += [
            f"- `{table.name}` ({', '.join(table.columns)}): {_cell(table.definition)}"
            for table in family.tables
        ]
    lines += ["", "## Settings", "", f"In the config's `[{family.settings.section}]` table, as a"]
    lines += ["keyword of the Python function, or with the flag.", ""]
    lines += ["| key | flag | default | what |", "|---|---|---|---|"]
    for setting in family.settings:
        flag = f"`{setting.flag}`" if setting.flag else ""
        lines.append(
            f"| `{setting.name}` | {flag} | {_default(setting.default)} | {_cell(setting.help)} |"
        )
    return "\n".join(lines) + "\n"


def _default(value: object) -> str:
    if value is None or value == () or value == {}:
        return ""
    if isinstance(value, tuple):
        value = list(value)
    return f"`{_cell(value)}`"


def pages() -> dict[Path, str]:
    """Every generated page, by its path under docs/."""
    from csmetrics.api import catalogue, families
    from csmetrics.render.catalogue import catalogue_markdown

    found = {CLI_PAGE: cli_reference()}
    for name in families():
        found[FAMILY_FOLDER / f"{name}.md"] = family_page(name)
    metrics, tables = catalogue(None)
    found[CATALOGUE_PAGE] = catalogue_markdown(list(metrics), tables)
    return found


def write(docs: Path) -> list[Path]:
    written = []
    for path, text in pages().items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for page in write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(page)
