"""`csmetrics explain` on the sample: the JSON shape of cli.md, the table and Markdown readers
see, CSV for spreadsheets, and one-line errors for the mistakes users make."""

from __future__ import annotations

import json

import pytest

from tests.helpers import cli, one_line_error

CONFIG = ("--config", "sample_data/csmetrics.toml")
KEYS = {
    "segment",
    "value",
    "previous_value",
    "weight",
    "previous_weight",
    "rate_effect",
    "mix_effect",
    "contribution",
}


def test_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        capsys,
        "explain",
        "engagement.stickiness",
        "--by",
        "segment",
        "--period",
        "2026-10",
        *CONFIG,
        "--format",
        "json",
    )
    assert code == 0
    document = json.loads(out)
    assert {
        "metric",
        "window",
        "previous_window",
        "value",
        "previous_value",
        "change",
        "by",
        "segments",
    } <= set(document)
    assert document["metric"] == "engagement.stickiness"
    assert document["previous_window"]["label"] == "2026-09"
    assert document["by"] == ["segment"]
    assert all(set(segment) >= KEYS for segment in document["segments"])
    contributions = [s["contribution"] for s in document["segments"]]
    assert sum(contributions) == pytest.approx(document["change"], abs=1e-9)
    assert contributions == sorted(contributions, key=abs, reverse=True)


def test_the_table_leads_with_sentences(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        capsys, "explain", "revenue.mrr", "--by", "plan", "--period", "2026-10", *CONFIG
    )
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith("MRR rose from €6,407.21 to €7,629.66 (+19.1%) between 2026-09")
    assert "plan business: rose from €3,355.80 to €4,394.50, +€1,038.70." in out
    assert "warning" not in out  # warnings go to stderr


def test_markdown_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("explain", "support.csat_rate", "--by", "channel", "--period", "2026-10", *CONFIG)
    code, out, _ = cli(capsys, *args, "--format", "markdown")
    assert code == 0 and out.startswith("# Why support.csat_rate changed: 2026-09 to 2026-10")
    assert "| channel | before | now | weight before | weight now | rate (pp) |" in out
    code, out, _ = cli(capsys, *args, "--format", "csv")
    assert out.splitlines()[0].startswith("channel,value,previous_value,weight,")


def test_an_unknown_metric_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, "explain", "support.csat", "--by", "channel", *CONFIG)
    assert "did you mean support.csat_rate" in err


def test_an_unknown_column_names_what_exists(capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(
        capsys, "explain", "support.csat_rate", "--by", "chanel", "--period", "2026-10", *CONFIG
    )
    assert "--by chanel: no such column in tickets or accounts; did you mean channel?" in err


def test_a_wrong_format_is_said_before_reading(capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, "explain", "revenue.mrr", "--by", "plan", "--format", "html")
    assert "--format: expected table, json, markdown, csv" in err
