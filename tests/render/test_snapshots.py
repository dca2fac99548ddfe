"""What people read, stored and compared (issue 22): every family's terminal output on the
sample at 80, 120 and 200 columns, and `report`'s summary in every format. A change to what is
shown fails here until the snapshot is updated on purpose and reviewed:
`pytest tests/render/test_snapshots.py --snapshot-update` (snapshots in __snapshots__/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from syrupy.assertion import SnapshotAssertion

import csmetrics as cm
from csmetrics.render.summary import markdown, render_summary, slack
from csmetrics.render.terminal import render

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
FAMILIES = ("onboarding", "engagement", "retention", "support", "voice", "revenue", "health")


@pytest.fixture(scope="module")
def bundle(sample_bundle: cm.Bundle) -> cm.Bundle:
    return sample_bundle


def terminal(draw: object, width: int) -> str:
    console = Console(width=width, record=True, color_system=None, force_terminal=False)
    draw(console)  # type: ignore[operator]
    return console.export_text()


@pytest.mark.parametrize("width", (80, 120, 200))
@pytest.mark.parametrize("family", FAMILIES)
def test_family_on_the_terminal(
    bundle: cm.Bundle, family: str, width: int, snapshot: SnapshotAssertion
) -> None:
    assert terminal(lambda c: render(bundle.current[family], c), width) == snapshot


@pytest.mark.parametrize("width", (80, 120))
def test_report_summary_on_the_terminal(
    bundle: cm.Bundle, width: int, snapshot: SnapshotAssertion
) -> None:
    assert terminal(lambda c: render_summary(bundle, c), width) == snapshot


def test_report_markdown(bundle: cm.Bundle, snapshot: SnapshotAssertion) -> None:
    assert markdown(bundle) == snapshot


def test_report_slack(bundle: cm.Bundle, snapshot: SnapshotAssertion) -> None:
    assert slack(bundle) == snapshot


def test_report_json_metrics(bundle: cm.Bundle, snapshot: SnapshotAssertion) -> None:
    # the numbers and units of every family (generated_at and the tables left out)
    data = bundle.to_json_dict()
    shown = {
        name: {"metrics": family["metrics"], "units": family["units"]}
        for name, family in data["families"].items()
    }
    assert json.dumps(shown, indent=1, sort_keys=True) == snapshot
