"""Tables fit the terminal (issue 22, item 1): at 80, 120 and 200 columns every family's
output has no line wider than the terminal and no value cut short (Rich marks a cut with "…");
what a narrow terminal leaves out is said."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

import csmetrics as cm
from csmetrics.render.terminal import render

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
WIDTHS = (80, 120, 200)
FAMILIES = ("onboarding", "engagement", "retention", "support", "voice", "revenue", "health")
# lines that end in "…" on purpose: a count of rows or accounts not shown
TOLD = ("more rows", "more accounts", "more notes", "-100 … 0 … +100")


@pytest.fixture(scope="module")
def reports(sample_bundle: cm.Bundle) -> dict[str, cm.Report]:
    bundle = sample_bundle
    by_channel = cm.support(
        cm.load(
            config=str(SAMPLE / "csmetrics.toml"), families="support", settings={"by": "channel"}
        ),
        period="2026-10",
        by="channel",
    )
    return {**bundle.current, "support --by channel": by_channel}


def rendered(report: cm.Report, width: int) -> str:
    console = Console(width=width, record=True, color_system=None, force_terminal=False)
    render(report, console)
    return console.export_text()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("family", [*FAMILIES, "support --by channel"])
def test_nothing_is_cut_at_any_width(
    reports: dict[str, cm.Report], family: str, width: int
) -> None:
    text = rendered(reports[family], width)
    for line in text.splitlines():
        assert len(line) <= width, line
        if "…" in line and not any(word in line for word in TOLD):
            pytest.fail(f"a value is cut at {width} columns: {line!r}")


def test_a_narrow_terminal_says_what_it_left_out(reports: dict[str, cm.Report]) -> None:
    narrow, wide = rendered(reports["engagement"], 80), rendered(reports["engagement"], 200)
    assert "not shown at this width: last_seen, first_seen" in narrow  # declared order
    assert "not shown at this width" not in wide and "last_seen" in wide


def test_a_breakdown_keeps_its_values_and_turns_when_narrow(reports: dict[str, cm.Report]) -> None:
    text = rendered(reports["support --by channel"], 80).split("by_channel")[1]
    # the channels become the columns, the metrics the rows, each value in its unit
    header = next(line for line in text.splitlines() if line.strip().startswith("channel"))
    assert header.split() == ["channel", "chat", "email", "phone", "web"]
    row = next(line for line in text.splitlines() if "First response (median)" in line)
    assert row.split()[3:] == [
        "3",
        "h",
        "42",
        "min",
        "1",
        "h",
        "34",
        "min",
        "3",
        "h",
        "47",
        "min",
        "4",
        "h",
        "22",
        "min",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_catalogue_never_breaks_an_id(width: int) -> None:
    from csmetrics.families.catalogue import METRICS
    from csmetrics.render.catalogue import render_catalogue

    console = Console(width=width, record=True, color_system=None)
    render_catalogue(list(METRICS), console)
    words = set(console.export_text().split())
    assert all(metric.id in words for metric in METRICS)  # each id whole on one line
