"""A report as one self-contained HTML page: styles and the small script inline, charts as
inline SVG (render/html/vega.py), no request leaves the file. Jinja2 fills the template with
autoescaping on, so text from the data is always escaped."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2
import polars as pl

from csmetrics import __version__
from csmetrics.render.anomalies import NO_DIMENSIONS, what_moved
from csmetrics.render.html.cards import Card, cards_of, sparkline_spec
from csmetrics.render.html.charts import Chart
from csmetrics.render.html.gallery import charts_of
from csmetrics.render.html.vega import svg_of
from csmetrics.render.notes import notes_of, notes_of_reports
from csmetrics.render.values import format_cell

if TYPE_CHECKING:
    from csmetrics.results.bands import Band
    from csmetrics.results.bundle import Bundle
    from csmetrics.results.report import Report

Draw = Callable[[dict[str, Any], str], str]  # (Vega-Lite spec, text alternative) -> <svg>
MAX_TABLE_ROWS = 200  # per table on the page; every row is in the bundle's Parquet files
AT_RISK = ("red", "yellow")


@dataclass
class Figure:
    chart: Chart
    svg: str


@dataclass
class HtmlTable:
    name: str
    columns: list[str]
    rows: list[list[tuple[str, Any]]]  # (shown, sort key) per cell
    more: int  # rows left out


@dataclass
class Section:
    family: str
    window: str
    cards: list[tuple[Card, str]]  # the card and its sparkline's SVG ("" without one)
    figures: list[Figure]
    notes: list[str]
    at_risk: HtmlTable | None
    tables: list[HtmlTable] = field(default_factory=list)
    # voice: the comment terms of each group, shown beside the NPS chart
    terms: list[tuple[str, list[str]]] = field(default_factory=list)


def bundle_html(bundle: Bundle, draw: Draw = svg_of) -> str:
    """The page of `report`: every family, with the previous window beside each value.
    `draw`: how a chart becomes SVG (a worker.ChartWorker's `draw` in the commands)."""
    notes = notes_of(bundle)
    previous = next(iter(bundle.previous.values())).window
    sections = [
        section_of(
            report, bundle.previous.get(name), notes.families.get(name, []), draw, bundle.bands
        )
        for name, report in bundle.current.items()
    ]
    return _render(
        moved=what_moved(bundle),
        moved_notes=bundle.anomaly_notes,
        title=f"Customer-success report, {bundle.label}",
        subtitle=f"{bundle.label}, compared with {previous.name} ({bundle.window.timezone})",
        sections=sections,
        notes=notes,
        skipped=bundle.skipped,
        generated_at=bundle.generated_at,
    )


def report_html(report: Report, draw: Draw = svg_of) -> str:
    """The page of one family's report (a family command's `--format html`)."""
    notes = notes_of_reports({report.family: report})
    return _render(
        title=f"{report.family.capitalize()}, {report.window.name}",
        subtitle=f"{report.window.name} ({report.window.timezone})",
        sections=[section_of(report, None, notes.families[report.family], draw)],
        notes=notes,
        skipped={},
        generated_at=report.generated_at,
    )


def specs_of(report: Report) -> list[dict[str, Any]]:
    """Every chart spec the report's section draws (its sparklines, then its charts), for a
    worker to draw ahead (worker.py); the same specs `section_of` asks for."""
    sparklines = [sparkline_spec(c.trend) for c in cards_of(report, None) if c.trend]
    charts = charts_of(report.family, report.tables, report.currency)
    return sparklines + [chart.vega_lite() for chart in charts]


def section_of(
    report: Report,
    previous: Report | None,
    notes: list[str],
    draw: Draw = svg_of,
    bands: Mapping[str, Band] | None = None,
) -> Section:
    cards = [
        (card, draw(sparkline_spec(card.trend), f"Trend of {card.title}") if card.trend else "")
        for card in cards_of(report, previous, bands)
    ]
    figures = [
        Figure(chart, draw(chart.vega_lite(), f"{chart.title}. {chart.alt}"))
        for chart in charts_of(report.family, report.tables, report.currency)
    ]
    return Section(
        family=report.family,
        window=report.window.name,
        cards=cards,
        figures=figures,
        notes=notes,
        at_risk=_at_risk(report),
        tables=[html_table(name, frame) for name, frame in report.tables.items()],
        terms=comment_terms(report),
    )


TERMS_SHOWN = 6


def comment_terms(report: Report) -> list[tuple[str, list[str]]]:
    """Per survey and group, its most over-represented comment terms (voice's comment_terms:
    terms only, never comment text)."""
    table = report.tables.get("comment_terms")
    if table is None or table.height == 0:
        return []
    out = []
    for (survey, group), rows in table.filter(pl.col("group").is_not_null()).group_by(
        "survey", "group"
    ):
        ranked = rows.sort(pl.col("score").abs(), descending=True).head(TERMS_SHOWN)
        out.append((f"{str(survey).upper()} {group}", ranked["term"].to_list()))
    return sorted(out)


def _at_risk(report: Report) -> HtmlTable | None:
    """Health's red and yellow accounts, lowest score first, with their MRR and reasons."""
    frame = report.tables.get("health")
    if frame is None or "band" not in frame.columns:
        return None
    wanted = [
        c
        for c in ("name", "account_id", "segment", "owner", "band", "score", "mrr", "reasons")
        if c in frame.columns
    ]
    rows = frame.filter(pl.col("band").is_in(AT_RISK)).sort("score", "account_id")
    money = f"MRR ({report.currency})" if report.currency else "MRR"
    return html_table(
        "red and yellow accounts", rows.select(wanted).rename({"mrr": money}, strict=False)
    )


def html_table(name: str, frame: pl.DataFrame) -> HtmlTable:
    shown = frame.head(MAX_TABLE_ROWS)
    rows = [
        [
            (format_cell(value, column), _sort_key(value))
            for column, value in zip(shown.columns, row, strict=True)
        ]
        for row in shown.iter_rows()
    ]
    return HtmlTable(name, list(frame.columns), rows, frame.height - shown.height)


def _sort_key(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return value
    return str(value)


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("csmetrics.render.html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _asset(name: str) -> str:
    return (resources.files("csmetrics.render.html") / "templates" / name).read_text("utf-8")


def _render(**context: Any) -> str:
    template = _environment().get_template("page.html.j2")
    context = {"moved": [], "moved_notes": [], "no_dimensions": NO_DIMENSIONS, **context}
    return template.render(
        css=_asset("page.css"), script=_asset("page.js"), version=__version__, **context
    )
