"""The sample's report for October 2026, computed once for every rendering test."""

from __future__ import annotations

from pathlib import Path

import pytest

import csmetrics as cm

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="session")
def sample_bundle() -> cm.Bundle:
    return cm.report(cm.load(config=str(SAMPLE / "csmetrics.toml")), period="2026-10")
