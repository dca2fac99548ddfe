"""The options shared by commands, declared once as groups, and the decorator that gives a
command the groups it asks for.

A group is a dataclass whose fields are Typer options (`Annotated[type, typer.Option(...)]`).
`@command(app, sources=("events",), window=True, output=True)` adds the groups' fields to the
command's signature (so `--help` lists them and Typer parses them) and hands the command one
object per group: `sources: SourceOptions`, `window: WindowOptions`, `output: OutputOptions`.
`--since` therefore means the same thing, with the same help, in every command.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any, get_type_hints

import typer

from csmetrics.api import ConfigError
from csmetrics.cli.help import command_settings

SOURCES_PANEL = "Sources"
ENGINE_PANEL = "Engine"
WINDOW_PANEL = "Window"
OUTPUT_PANEL = "Output"
SOURCE_PATHS = ("events", "tickets", "billing", "subscriptions", "surveys", "accounts")


# Help texts escape "[" so that Rich markup does not read "[default: UTC]" as a tag.
Opt = typer.Option
UNSHOWN = False  # show_default: the help text says the default where it matters


@dataclass
class SourceOptions:
    """Where the sources are and how to read them (merged with the config's [sources])."""

    events: Annotated[
        str | None,
        Opt(
            "--events",
            help="Product events: a file, a quoted glob or a folder.",
            rich_help_panel=SOURCES_PANEL,
        ),
    ] = None
    tickets: Annotated[
        str | None, Opt("--tickets", help="Help-desk tickets.", rich_help_panel=SOURCES_PANEL)
    ] = None
    billing: Annotated[
        list[str] | None,
        Opt(
            "--billing",
            help="Invoice lines; repeat with invoices=PATH and payments=PATH when those are in "
            "files of their own.",
            rich_help_panel=SOURCES_PANEL,
        ),
    ] = None
    subscriptions: Annotated[
        str | None,
        Opt(
            "--subscriptions",
            help="A subscriptions export, read instead of invoice lines when there are none.",
            rich_help_panel=SOURCES_PANEL,
        ),
    ] = None
    surveys: Annotated[
        str | None,
        Opt("--surveys", help="NPS/CSAT/CES responses.", rich_help_panel=SOURCES_PANEL),
    ] = None
    accounts: Annotated[
        str | None, Opt("--accounts", help="Account dimension.", rich_help_panel=SOURCES_PANEL)
    ] = None
    config: Annotated[
        Path | None,
        Opt(
            "--config",
            help="Config file (default: ./csmetrics.toml, else \\[tool.csmetrics] in "
            "./pyproject.toml).",
            show_default=UNSHOWN,
        ),
    ] = None
    map_: Annotated[
        list[str] | None,
        Opt(
            "--map",
            help='Column mapping SOURCE.COLUMN=HEADER (repeatable), e.g. events.user_id="User ID".',
            rich_help_panel=SOURCES_PANEL,
        ),
    ] = None
    preset: Annotated[
        list[str] | None,
        Opt(
            "--preset",
            help="Known export layout SOURCE=NAME (segment, amplitude, mixpanel, posthog, "
            "snowplow, rudderstack, heap, ga4, zendesk, freshdesk, intercom, stripe, "
            "stripe_api, chargebee, stripe_subscriptions).",
            rich_help_panel=SOURCES_PANEL,
        ),
    ] = None
    format_in: Annotated[
        str | None,
        Opt(
            "--format-in",
            help="Input format when the extension does not tell: csv, parquet or ndjson.",
            rich_help_panel=SOURCES_PANEL,
        ),
    ] = None
    encoding: Annotated[
        str | None,
        Opt(
            "--encoding",
            help="CSV text encoding when not UTF-8 (e.g. latin-1).",
            rich_help_panel=SOURCES_PANEL,
        ),
    ] = None
    source_timezone: Annotated[
        str | None,
        Opt(
            "--source-timezone",
            help="Time zone of timestamps without an offset \\[default: UTC].",
            rich_help_panel=SOURCES_PANEL,
            show_default=UNSHOWN,
        ),
    ] = None
    survey: Annotated[
        str | None,
        Opt(
            "--survey",
            help="Survey kind of a single-kind export without a survey column: nps, csat, ces or cxi.",
            rich_help_panel=SOURCES_PANEL,
        ),
    ] = None

    engine: Annotated[
        str | None,
        Opt(
            "--engine",
            help="Engine for the events: polars (this machine, the default) or spark.",
            rich_help_panel=ENGINE_PANEL,
            show_default=UNSHOWN,
        ),
    ] = None
    spark_master: Annotated[
        str | None,
        Opt(
            "--spark-master",
            help="Spark master URL with --engine spark (spark://host:7077, yarn, local[4]) "
            "\\[default: local[*]].",
            rich_help_panel=ENGINE_PANEL,
            show_default=UNSHOWN,
        ),
    ] = None
    spark_remote: Annotated[
        str | None,
        Opt(
            "--spark-remote",
            help="Spark Connect address (sc://host:15002): run the event families on that "
            "server's Spark (implies --engine spark).",
            rich_help_panel=ENGINE_PANEL,
            show_default=UNSHOWN,
        ),
    ] = None

    def paths(self) -> dict[str, str | dict[str, str] | None]:
        """Each source's path; billing's files by role when --billing names several."""
        out: dict[str, str | dict[str, str] | None] = {
            kind: getattr(self, kind) for kind in SOURCE_PATHS if kind != "billing"
        }
        out["billing"] = billing_files(self.billing)
        return out


BILLING_ROLES = ("lines", "invoices", "payments")


def billing_files(values: list[str] | None) -> str | dict[str, str] | None:
    """--billing PATH, or its files by role: `lines=` (or a plain path), `invoices=`,
    `payments=`; one file per role."""
    if not values:
        return None
    roles: dict[str, str] = {}
    for value in values:
        role, _, path = value.partition("=")
        if not path or role not in BILLING_ROLES:
            role, path = "lines", value
        if role in roles:
            raise ConfigError(f"--billing: two {role} files ({roles[role]}, {path}); give one")
        roles[role] = path
    if set(roles) == {"lines"}:
        return roles["lines"]
    if "lines" not in roles:
        raise ConfigError("--billing: the invoice lines are missing (--billing lines.csv)")
    return roles


@dataclass
class WindowOptions:
    """The reporting window and its calendar (merged with the config's settings)."""

    since: Annotated[
        str | None,
        Opt(
            "--since",
            help="Window start (date or ISO datetime, inclusive).",
            rich_help_panel=WINDOW_PANEL,
        ),
    ] = None
    until: Annotated[
        str | None,
        Opt("--until", help="Window end (exclusive).", rich_help_panel=WINDOW_PANEL),
    ] = None
    period: Annotated[
        str | None,
        Opt(
            "--period",
            help="last-week, last-month, last-quarter, this-week, this-month, last-7d, "
            "last-30d, last-90d, 2026-10, 2026-W46, 2026-Q3 or all \\[default: all].",
            rich_help_panel=WINDOW_PANEL,
            show_default=UNSHOWN,
        ),
    ] = None
    as_of: Annotated[
        str | None,
        Opt(
            "--as-of",
            help="The 'now' relative periods count from (cron: set it for reproducible reruns).",
            rich_help_panel=WINDOW_PANEL,
        ),
    ] = None
    timezone: Annotated[
        str | None,
        Opt(
            "--timezone",
            help="IANA time zone of calendar buckets \\[default: UTC].",
            rich_help_panel=WINDOW_PANEL,
            show_default=UNSHOWN,
        ),
    ] = None
    week_start: Annotated[
        str | None,
        Opt(
            "--week-start",
            help="monday (ISO) or sunday \\[default: monday].",
            rich_help_panel=WINDOW_PANEL,
            show_default=UNSHOWN,
        ),
    ] = None
    grain: Annotated[
        str | None,
        Opt(
            "--grain",
            help="Time-series buckets: day, week or month \\[default: day].",
            rich_help_panel=WINDOW_PANEL,
            show_default=UNSHOWN,
        ),
    ] = None


@dataclass
class OutputOptions:
    """Where results go and how much is said on stderr."""

    output_format: Annotated[
        str,
        Opt(
            "--format",
            help="table, json, csv, parquet, markdown or html (one self-contained page).",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = "table"
    output: Annotated[
        str | None,
        Opt(
            "--output",
            help="A file: json, markdown and html hold everything; csv and parquet (out.csv) hold "
            "the metrics, each table beside it as out.<table>.csv. A folder (a path ending "
            "in '/', an existing folder or a name without extension): one file per table. "
            "'-' or absent: stdout (csv: the metrics only).",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = None
    quiet: Annotated[
        bool, Opt("--quiet", help="Errors only on stderr.", rich_help_panel=OUTPUT_PANEL)
    ] = False
    verbose: Annotated[
        bool,
        Opt(
            "--verbose",
            help="Timings and query plans on stderr, and tracebacks of internal errors.",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = False
    no_progress: Annotated[
        bool, Opt("--no-progress", help="No spinner on stderr.", rich_help_panel=OUTPUT_PANEL)
    ] = False


GROUPS: dict[str, type] = {
    "sources": SourceOptions,
    "window": WindowOptions,
    "output": OutputOptions,
}


def _group_parameters(group: type, skip: set[str]) -> list[inspect.Parameter]:
    hints = get_type_hints(group, include_extras=True)
    return [
        inspect.Parameter(
            f.name, inspect.Parameter.KEYWORD_ONLY, annotation=hints[f.name], default=f.default
        )
        for f in fields(group)
        if f.name not in skip
    ]


def command(
    app: typer.Typer,
    *,
    sources: tuple[str, ...] | None = None,
    window: bool = False,
    output: bool = False,
    **settings: Any,
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register `func` as a command with the option groups it asks for (see module doc).

    `sources` names the source paths the command takes (`("events",)`); the other source
    options (config, mapping, presets, ...) come with them. `func` receives the groups as the
    keyword arguments `sources`, `window` and `output`.
    """
    chosen: dict[str, set[str]] = {}
    if sources is not None:
        chosen["sources"] = set(SOURCE_PATHS) - set(sources)
        if "surveys" not in sources:
            chosen["sources"].add("survey")
    if window:
        chosen["window"] = set()
    if output:
        chosen["output"] = set()

    def decorate(func: Callable[..., None]) -> Callable[..., None]:
        own_hints = get_type_hints(func, include_extras=True)
        own = [
            p.replace(annotation=own_hints.get(p.name, p.annotation))
            for p in inspect.signature(func).parameters.values()
            if p.name not in chosen
        ]
        added = [p for name, skip in chosen.items() for p in _group_parameters(GROUPS[name], skip)]
        names = {name: [f.name for f in fields(GROUPS[name])] for name in chosen}

        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> None:
            groups = {
                name: GROUPS[name](**{f: kwargs.pop(f) for f in names[name] if f in kwargs})
                for name in chosen
            }
            func(**kwargs, **groups)

        parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + added
        wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        del wrapper.__wrapped__  # Typer must read the new signature, not the function's
        return app.command(**command_settings(**settings))(wrapper)

    return decorate
