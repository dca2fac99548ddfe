"""The sample's report as a page, written once for the page and browser tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import csmetrics as cm


@pytest.fixture(scope="session")
def sample_page(sample_bundle: cm.Bundle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "report.html"
    path.write_text(sample_bundle.to_html(), encoding="utf-8")
    return path
