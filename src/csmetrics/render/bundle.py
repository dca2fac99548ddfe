"""The report bundle on disk and on the terminal: `DIR/<label>/report.json`, `report.md` and
every table as Parquet, written to a hidden temporary folder and renamed into place, so a killed
run never leaves a partial bundle and an existing one is replaced only whole."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from csmetrics.render.files import indented_json
from csmetrics.render.summary import markdown

if TYPE_CHECKING:
    from csmetrics.results.bundle import Bundle


def write_bundle(bundle: Bundle, root: Path, *, page: str | None = None) -> Path:
    """Write the bundle as `root/<label>/` (with `page`, the HTML page as report.html) and
    return that folder. The folder is filled under a
    hidden name, then swapped in at once (`swap_in`); hidden folders of runs that were killed
    are removed first."""
    root.mkdir(parents=True, exist_ok=True)
    remove_abandoned(root, bundle.label)
    final = root / bundle.label
    staging = root / f".{bundle.label}.tmp-{os.getpid()}-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        (staging / "report.json").write_text(
            indented_json(bundle.to_json_dict()) + "\n", encoding="utf-8"
        )
        (staging / "report.md").write_text(markdown(bundle), encoding="utf-8")
        if page is not None:
            (staging / "report.html").write_text(page, encoding="utf-8")
        for name, report in bundle.current.items():
            for table, frame in report.tables.items():
                frame.write_parquet(staging / f"{name}.{table}.parquet")
        swap_in(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def swap_in(staging: Path, final: Path) -> None:
    """Put `staging` at `final` in one step: a reader polling `final` sees the old bundle or
    the new one, never none and never a mix. On Linux, renameat2(RENAME_EXCHANGE) swaps the
    two folders atomically (the old one is then at `staging`, removed by the caller); where
    it is missing, the old folder is moved aside, then the new one in (a moment without)."""
    if not final.exists():
        staging.rename(final)
        return
    if _exchange(staging, final):
        return
    old = final.parent / f".{final.name}.old-{os.getpid()}-{uuid.uuid4().hex}"
    final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        old.rename(final)  # put the old bundle back
        raise
    shutil.rmtree(old, ignore_errors=True)


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


def remove_abandoned(root: Path, label: str) -> None:
    """Remove hidden folders of `label` left by runs that were killed mid-write: their process
    is gone. A running report's folder (its process alive) is left alone."""
    for folder in root.glob(f".{label}.*-*-*"):
        kind_pid = folder.name.removeprefix(f".{label}.").split("-")
        if len(kind_pid) < 3 or kind_pid[0] not in ("tmp", "old") or not kind_pid[1].isdigit():
            continue
        if not _alive(int(kind_pid[1])):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process, alive
    return True
