"""The documentation site (issue 22, item 7): the pages generated from the code are up to date
(`make docs` regenerates them), and `mkdocs build --strict` passes (no broken link, no
docstring the API reference cannot read)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from csmetrics.cli.reference import pages

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("page", sorted(str(p) for p in pages()))
def test_a_generated_page_is_up_to_date(page: str) -> None:
    expected = pages()[Path(page)]
    stored = ROOT / "docs" / page
    assert stored.exists(), f"docs/{page} is missing: run make docs"
    assert stored.read_text(encoding="utf-8") == expected, f"docs/{page} is stale: run make docs"


def test_the_cli_reference_lists_every_command_with_placeholders() -> None:
    text = pages()[Path("reference/cli.md")]
    for command in ("report", "check", "validate", "engagement", "health", "init"):
        assert f"## csmetrics {command}" in text
    assert "| `--since` | `DATE` |" in text and "<str>" not in text


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    done = subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    api = (tmp_path / "site" / "python" / "index.html").read_text()
    assert "csmetrics.api.load" in api or "load(" in api  # the API reference was rendered
