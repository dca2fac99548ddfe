"""The page as a file: self-contained (nothing fetched), escaped, small enough to mail, and
written by every way in (API, family command, report bundle)."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from tests.helpers import one_line_error
from typer.testing import CliRunner

import csmetrics as cm
from csmetrics.cli import app
from csmetrics.render.html.page import report_html

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data"
CONFIG = str(SAMPLE / "csmetrics.toml")


def test_nothing_is_fetched(sample_page: Path) -> None:
    text = sample_page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text
    assert not re.search(r"url\((?!#)", text)  # only the SVG's own gradients, by fragment
    assert text.count("<svg ") >= 20


def test_the_full_sample_report_is_small_enough_to_mail() -> None:
    bundle = cm.report(cm.load(config=CONFIG))  # the whole six months, the largest page
    size = len(bundle.to_html().encode("utf-8"))
    assert size < 1_500_000, f"{size:,} bytes"


def test_text_from_the_data_is_escaped(sample_bundle: cm.Bundle) -> None:
    report = sample_bundle.current["health"]
    hostile = report.tables["health"].with_columns(
        pl.lit("<script>alert(1)</script>").alias("name"),
        pl.lit("a & b <img src=x onerror=alert(2)>").alias("reasons"),
    )
    page = report_html(cm.Report(**{**report.__dict__, "tables": {"health": hostile}}))
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # the page's own enhancement


def test_a_repr_for_jupyter(sample_bundle: cm.Bundle) -> None:
    report = sample_bundle.current["voice"]
    assert report._repr_html_() == report.to_html()
    assert report.to_html().startswith("<!doctype html>")


def test_family_command_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "support.html"
    result = CliRunner().invoke(
        app, ["support", "--config", CONFIG, "--period", "2026-10", "--format", "html",
              "--output", str(out), "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert 'data-metric="support.backlog_count"' in page and 'id="support-backlog"' in page


def test_report_html_goes_into_the_bundle(tmp_path: Path) -> None:
    command = ["report", "--config", CONFIG, "--period", "2026-10", "--format", "html",
               "--output-dir", str(tmp_path), "--no-progress"]  # fmt: skip
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "2026-10"
    assert result.stdout.strip() == str(folder / "report.html")  # the page, for a script
    assert {"report.html", "report.json", "report.md"} <= {p.name for p in folder.iterdir()}
    quiet = CliRunner().invoke(app, [*command, "--quiet"])
    assert quiet.exit_code == 0 and quiet.stdout == ""  # cron: nothing to mail


def test_open_uses_the_default_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = tmp_path / "opened"
    monkeypatch.setenv("BROWSER", f"sh -c 'echo %s > {opened}'")
    result = CliRunner().invoke(
        app, ["report", "--config", CONFIG, "--period", "2026-10", "--format", "html",
              "--output-dir", str(tmp_path), "--open", "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert opened.read_text().strip() == (tmp_path / "2026-10" / "report.html").as_uri()


def test_open_needs_the_html_format(capsys: pytest.CaptureFixture[str]) -> None:
    error = one_line_error(capsys, "report", "--config", CONFIG, "--open")
    assert "--open" in error and "--format html" in error


def test_every_id_on_the_page_is_its_own(sample_page: Path) -> None:
    # Vega numbers gradient and clip ids per process; on a page each chart's are renamed
    ids = re.findall(r'\sid="([^"]+)"', sample_page.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids))
    assert any(i.startswith("c") and i.endswith("-0") for i in ids)  # the heatmap's gradient


def test_a_window_past_the_data_is_said_at_the_top() -> None:
    report = cm.support(cm.load(config=CONFIG), period="2027-03")
    page = report.to_html()
    top = page.split("<main>", 1)[0]
    assert 'class="warning coverage" role="alert"' in top
    assert "tickets: the data ends" in top


def test_report_write_as_html(sample_bundle: cm.Bundle, tmp_path: Path) -> None:
    report = sample_bundle.current["retention"]
    (written,) = report.write(tmp_path / "retention.html", format="html")
    page = written.read_text(encoding="utf-8")
    assert page == report.to_html()
    assert 'id="retention-cohorts"' in page
    folder = sample_bundle.write(tmp_path / "bundles", html=True)
    assert (folder / "report.html").read_text(encoding="utf-8").count('class="family"') == len(
        sample_bundle.current
    )


def test_comment_terms_sit_beside_the_nps_chart_escaped(sample_bundle: cm.Bundle) -> None:
    report = sample_bundle.current["voice"]
    terms = pl.DataFrame(
        {
            "survey": ["nps", "nps"],
            "term": ["<b>slow</b>", "easy"],
            "group": ["detractors", "promoters"],
            "score": [2.5, -1.7],
        }
    )
    page = report_html(
        cm.Report(**{**report.__dict__, "tables": {**report.tables, "comment_terms": terms}})
    )
    block = page.split('id="voice-comment-terms"')[1].split("</figure>")[0]
    assert "<strong>NPS detractors</strong>: &lt;b&gt;slow&lt;/b&gt;" in block
    assert "<strong>NPS promoters</strong>: easy" in block
    # beside the first voice chart: it follows that chart's figure
    assert page.index('id="voice-comment-terms"') < page.index('id="voice-nps-scores"')
