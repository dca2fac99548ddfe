"""Bounded memory (issue 21, item 13): a decompression bomb, a field past the limit, a sparse
file and a read bigger than the memory left are each one line with exit 2, and the run's peak
memory stays under 3 GB with the address space limited to 3 GB, as `prlimit --as` does."""

from __future__ import annotations

import gzip
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import csmetrics as cm
from csmetrics.ingest.sources import bounds
from tests.helpers import cli, one_line_error

HEADER = b"timestamp,user_id,event\n"
ROW = b"2026-10-01T10:00:00Z,u1,login\n"
LIMIT_3GB = 3 * 2**30


def events_file(folder: Path, rows: list[bytes], name: str = "events.csv") -> Path:
    path = folder / name
    path.write_bytes(HEADER + b"".join(rows))
    return path


def test_a_line_past_the_field_limit_names_its_line(tmp_path: Path) -> None:
    # max_field_mb = 0.001 is 1,048 bytes; line 4 (header, 2 rows, then it) holds 3,000
    long_row = b"2026-10-01T10:00:00Z,u2," + b"x" * 3000 + b"\n"
    path = events_file(tmp_path, [ROW, ROW, long_row, ROW])
    with pytest.raises(
        cm.InputError, match=r"events\.csv, line 4: a line longer than the field limit"
    ):
        cm.load(events=str(path), options={"events": {"max_field_mb": 0.001}})


def test_lines_under_the_limit_are_read(tmp_path: Path) -> None:
    path = events_file(tmp_path, [ROW] * 200)  # 31 bytes a line, 6.2 kB in all
    inputs = cm.load(events=str(path), options={"events": {"max_field_mb": 0.001}})
    assert inputs["events"].height == 200


def test_the_field_limit_is_a_config_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events_file(tmp_path, [ROW, b"2026-10-02T10:00:00Z,u2," + b"y" * 5000 + b"\n"])
    config = tmp_path / "csmetrics.toml"
    config.write_text('[sources.events]\npath = "events.csv"\nmax_field_mb = 0.002\n')
    error = one_line_error(capsys, "engagement", "--config", str(config))
    assert "line 3: a line longer than the field limit of 0.002 MB" in error
    config.write_text('[sources.events]\npath = "events.csv"\nmax_field_mb = 0\n')
    assert "max_field_mb: expected a number above 0" in one_line_error(
        capsys, "engagement", "--config", str(config)
    )


def test_a_gzip_stream_with_a_long_line_is_refused_as_it_expands(tmp_path: Path) -> None:
    path = tmp_path / "events.csv.gz"
    path.write_bytes(gzip.compress(HEADER + ROW + b"z" * 5000 + b"\n"))
    with pytest.raises(cm.InputError, match="a line longer than the field limit"):
        cm.load(events=str(path), options={"events": {"max_field_mb": 0.001}})


def test_a_read_past_the_memory_left_is_refused_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = events_file(tmp_path, [ROW] * 1000)  # 31,024 bytes, all 3 columns read
    monkeypatch.setattr(bounds, "available_memory", lambda: 10_000)
    with pytest.raises(cm.InputError, match=r"needs at least about 0\.0 GB of memory") as caught:
        cm.load(events=str(path))
    assert "this machine has 0.0 GB available" in str(caught.value)
    monkeypatch.setattr(bounds, "available_memory", lambda: 40_000)  # 31,024 fits
    assert cm.load(events=str(path))["events"].height == 1000


def test_the_estimate_counts_only_the_columns_read(tmp_path: Path) -> None:
    # 4 columns of which the mapping reads 3: three quarters of the bytes
    path = tmp_path / "events.csv"
    path.write_bytes(b"timestamp,user_id,event,note\n" + b"2026-10-01T10:00:00Z,u1,login,n\n" * 99)
    from csmetrics.ingest.sources.canonical import load_source
    from csmetrics.ingest.sources.read import memory_estimate
    from csmetrics.ingest.sources.spec import SourceSpec

    size = path.stat().st_size  # 29 + 99 x 32 = 3,197
    estimate = memory_estimate(load_source(SourceSpec("events", str(path)), None))
    assert estimate == size * 3 // 4


# --- bombs, run as a user would, under an address-space limit ---------------------------------

ZEROS_64MB = gzip.compress(bytes(64 * 2**20), compresslevel=6)  # about 64 kB


def zeros_gz(path: Path, head: bytes = b"", members: int = 160) -> Path:
    """10 GB of zeros (160 gzip members of 64 MB each, as `cat a.gz b.gz` makes), 10 MB."""
    with path.open("wb") as handle:
        if head:
            handle.write(gzip.compress(head))
        for _ in range(members):
            handle.write(ZEROS_64MB)
    return path


def lines_gz(path: Path) -> Path:
    """3.5 GB of one real row repeated, about 9 MB: a bomb no line check finds."""
    block = gzip.compress(ROW * (64 * 2**20 // len(ROW)), compresslevel=9)
    with path.open("wb") as handle:
        handle.write(gzip.compress(HEADER))
        for _ in range(56):
            handle.write(block)
    return path


def zip_of_zeros(path: Path) -> Path:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("events.json", "w", force_zip64=True) as member,
    ):
        for _ in range(4):
            member.write(bytes(64 * 2**20))
    return path


def sparse(path: Path, line_every: int | None = None) -> Path:
    """A 5 GB file that takes no disk: a header, then zeros (with a line end every
    `line_every` bytes, so no line passes the field limit)."""
    with path.open("wb") as handle:
        handle.write(HEADER)
        if line_every:
            for offset in range(line_every, 5 * 2**30, line_every):
                handle.seek(offset)
                handle.write(b"\n")
        handle.truncate(5 * 2**30)
    return path


def run_limited(*args: str, folder: Path) -> tuple[int, str, int]:
    """(exit code, stderr, peak RSS in bytes) of the command line under a 3 GB address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_3GB, LIMIT_3GB))

    err_path = folder / "stderr.txt"
    with err_path.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "csmetrics", *args],
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=limit,
            env={**os.environ, "NO_COLOR": "1"},
        )
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not the session's
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, err_path.read_text(), usage.ru_maxrss * 1024


BOMBS = {
    "zeros.csv.gz": (lambda p: zeros_gz(p), "a line longer than the field limit"),
    "header.csv.gz": (lambda p: zeros_gz(p, HEADER), "a line longer than the field limit"),
    "zeros.json.gz": (lambda p: zeros_gz(p), "a line longer than the field limit"),
    "events.zip": (zip_of_zeros, "events.zip:events.json: a line longer"),
    "lines.csv.gz": (lines_gz, "decompression bomb"),
    "sparse.csv": (sparse, "line 2: a line longer than the field limit of 16 MB"),
    "lined.csv": (lambda p: sparse(p, 8 * 2**20), "past the"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_bomb_is_one_line_with_exit_2_under_3gb(name: str, tmp_path: Path) -> None:
    make, expected = BOMBS[name]
    path = make(tmp_path / name)
    code, err, peak = run_limited("engagement", "--events", str(path), folder=tmp_path)
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("csmetrics: error: "), err
    assert expected in err
    assert peak < LIMIT_3GB


def test_the_sample_reads_under_the_same_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the limit itself is no obstacle: the sample's events read at exit 0 under it
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "events.csv"
    code, err, peak = run_limited("engagement", "--events", str(sample), folder=tmp_path)
    assert code == 0, err
    assert peak < 1 * 2**30
    assert cli(capsys, "engagement", "--events", str(sample))[0] == 0
