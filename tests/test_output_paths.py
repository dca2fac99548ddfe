"""Where outputs go (issue 21, items 1 and 11): a regular file is replaced atomically; a device,
a FIFO or a link to a stream is written through and stays what it is; a path that cannot be
written is one line with exit 2 naming it and the reason."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tests.helpers import cli, one_line_error, write_events

ROWS = [("2026-11-02T10:00:00Z", "u1", "login", "a"), ("2026-11-03T10:00:00Z", "u2", "x", "a")]


@pytest.fixture
def events(tmp_path: Path) -> Path:
    return write_events(tmp_path, ROWS)


def _run(capsys, events: Path, output: str, fmt: str = "json") -> tuple[int, str, str]:
    return cli(capsys, "engagement", "--events", str(events), "--format", fmt,
               "--output", output, "--quiet")  # fmt: skip


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_one_line_and_stays_a_device(capsys, events: Path) -> None:
    err = one_line_error(capsys, "engagement", "--events", str(events), "--format", "json",
                         "--output", "/dev/full")  # fmt: skip
    assert "/dev/full" in err and "No space left on device" in err
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


def test_a_fifo_is_written_through(capsys, events: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = _run(capsys, events, str(fifo))
    reader.join(timeout=30)
    assert code == 0 and b'"schema_version": 1' in received[0]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a FIFO, not a regular file


def test_a_link_to_a_file_stays_a_link(capsys, events: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    for fmt in ("json", "table"):
        code, _, _ = _run(capsys, events, str(link), fmt)
        assert code == 0 and link.is_symlink()
        assert real.read_text() != "old"


@pytest.mark.parametrize("fmt", ["json", "markdown", "table"])
def test_a_folder_or_a_file_as_a_parent_is_one_line(
    capsys, events: Path, tmp_path: Path, fmt: str
) -> None:
    err = one_line_error(capsys, "engagement", "--events", str(events), "--format", fmt,
                         "--output", str(tmp_path))  # fmt: skip
    assert str(tmp_path) in err and "folder" in err
    parent = tmp_path / "a-file"
    parent.write_text("x")
    err = one_line_error(capsys, "engagement", "--events", str(events), "--format", fmt,
                         "--output", str(parent / "out.json"))  # fmt: skip
    assert "a-file" in err and "Traceback" not in err


def test_tables_under_a_file_are_one_line(capsys, events: Path, tmp_path: Path) -> None:
    parent = tmp_path / "a-file"
    parent.write_text("x")
    err = one_line_error(capsys, "engagement", "--events", str(events), "--format", "csv",
                         "--output", f"{parent}/tables/")  # fmt: skip
    assert "a-file" in err
