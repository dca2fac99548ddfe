"""Bounded memory: what a file may cost before it is read, so a hostile or broken file is a
one-line error instead of a process killed by the kernel.

Three checks, each cheaper than the read they guard:
- a line longer than the field limit (16 MB by default, `max_field_mb` in a source's settings):
  an export's rows are a few hundred bytes, and Polars holds a field whole (a 5 GB field
  panics inside it). In a plain file it is found by looking for a line end in every aligned
  block of half the limit (a block without one means a line of at least
  half the limit; a line past the limit always holds a whole block): one small read per block,
  a few hundred per gigabyte, not a scan.
- a compressed stream that expands implausibly (a decompression bomb): exports compress 3-30x
  (events CSV about 8x, JSON lines about 15x); zeros compress about 1000x. Decompression stops
  once the output passes both EXPANSION_FLOOR and EXPANSION_RATIO times the compressed size.
- the whole read against the memory available (the smallest of the kernel's estimate, the
  cgroup's limit and the process's address-space limit): each file's bytes times the share of
  its columns read, a lower bound of what the loaded frames take (measured: 1.3x the file for
  20M events read whole), so only a read that cannot fit is refused.
"""

from __future__ import annotations

import gzip
import io
import os
import resource
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from csmetrics.core.errors import InputError

FIELD_LIMIT_MB = 16
EXPANSION_RATIO = 100
EXPANSION_FLOOR = 64 * 2**20  # any ratio is harmless below this much text
CHUNK = 4 * 2**20
PIECE = 64 * 2**10
GB = 2**30
FEWER = "export a shorter period, read fewer sources at once, or use --engine spark"


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def field_limit(megabytes: float | None) -> int:
    return int((megabytes or FIELD_LIMIT_MB) * 2**20)


def _too_long(where: str, line: int | None, limit: int) -> InputError:
    at = f", line {line:,}" if line is not None else ""
    return InputError(
        f"{where}{at}: a line longer than the field limit of {limit / 2**20:.3g} MB; the file is "
        "damaged or not an export (raise max_field_mb in the source's settings if such fields "
        "are real)"
    )


def check_plain_files(files: list[Path], limit: int, label: str) -> None:
    """Uncompressed files before they are read: no line past `limit`, and no more bytes than
    the address space left, as the reader maps each file whole."""
    for path in files:
        check_line_lengths(path, limit)
    refuse_past_address_space(files, label)


def check_line_lengths(path: Path, limit: int) -> None:
    """An InputError when a line of the plain file is longer than `limit` bytes."""
    size = path.stat().st_size
    if size <= limit or not path.is_file():
        return
    half = limit // 2
    with path.open("rb") as handle:
        for start in range(0, size, half):
            if _line_end_at(handle, start, min(start + half, size)) != -1:
                continue
            begin = _line_start(handle, start, limit)
            end = _line_end_at(handle, start, min(begin + limit + 1, size))
            if (end if end != -1 else min(begin + limit + 1, size)) - begin > limit:
                raise _too_long(str(path), _line_number(handle, begin), limit)


def _line_end_at(handle: BinaryIO, start: int, stop: int) -> int:
    """The offset of the first line end in [start, stop), or -1. A line end is usually within
    the first piece read, so a normal file costs one small read per block."""
    handle.seek(start)
    position = start
    while position < stop:
        piece = handle.read(min(PIECE, stop - position))
        if not piece:
            break
        found = piece.find(b"\n")
        if found != -1:
            return position + found
        position += len(piece)
    return -1


def _line_start(handle: BinaryIO, offset: int, limit: int) -> int:
    """The offset where the line holding `offset` starts (looking back at most `limit`)."""
    floor = max(offset - limit, 0)
    position = offset
    while position > floor:
        low = max(position - PIECE, floor)
        handle.seek(low)
        found = handle.read(position - low).rfind(b"\n")
        if found != -1:
            return low + found + 1
        position = low
    return floor


def _line_number(handle: BinaryIO, offset: int) -> int:
    """The 1-based number of the line starting at `offset` (only for an error: a scan)."""
    handle.seek(0)
    count, position = 1, 0
    while position < offset:
        piece = handle.read(min(CHUNK, offset - position))
        if not piece:
            break
        count += piece.count(b"\n")
        position += len(piece)
    return count


def bounded_read(stream: Readable, compressed: int, where: str, limit: int) -> bytes:
    """The whole decompressed content of `stream`, refused (an InputError) when it expands
    implausibly for an export or holds a line longer than `limit`."""
    return b"".join(bounded_chunks(stream, compressed, where, limit))


def bounded_chunks(stream: Readable, compressed: int, where: str, limit: int) -> Iterator[bytes]:
    ceiling = max(EXPANSION_FLOOR, EXPANSION_RATIO * max(compressed, 1))
    # the text and the frames parsed from it are in memory together: half of what is free
    room = available_memory()
    total, run = 0, 0  # bytes out; bytes since the last line end
    try:
        # a line inside one chunk is shorter than the limit: only lines across chunks count
        while chunk := stream.read(min(CHUNK, max(limit // 2, 1))):
            total += len(chunk)
            if room is not None and total > room // 2:
                raise InputError(
                    f"{where}: decompressed, it passes {total / GB:,.1f} GB and its frames "
                    f"would take as much again; this machine has {room / GB:,.1f} GB "
                    f"available: {FEWER}"
                )
            if total > ceiling:
                raise InputError(
                    f"{where}: expands past {total / 2**20:,.0f} MB from "
                    f"{compressed / 2**20:,.1f} MB compressed ({total // max(compressed, 1):,}x; "
                    f"exports compress at most about 30x): a damaged file or a decompression "
                    "bomb; not read"
                )
            last = chunk.rfind(b"\n")
            first = chunk.find(b"\n")
            run = run + (len(chunk) if last == -1 else first)
            if run > limit:
                raise _too_long(where, None, limit)
            if last != -1:
                run = len(chunk) - last - 1
            yield chunk
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"{where}: compressed data is damaged ({exc})") from None


def bounded_gunzip(path: Path, limit: int) -> bytes:
    """A gzip file's content, bounded as `bounded_read` says."""
    with gzip.open(path, "rb") as stream:
        return bounded_read(stream, path.stat().st_size, str(path), limit)


def gunzip_bytes(data: bytes, where: str, limit: int) -> bytes:
    """Gzip-compressed bytes (a zip member holding a .gz), bounded likewise."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        return bounded_read(stream, len(data), where, limit)


def available_memory() -> int | None:
    """Bytes this process may still take: the least of the kernel's MemAvailable, the cgroup's
    limit less its use, and the address-space and data limits less what is mapped. None when
    none of them is known."""
    found = [value for value in (_mem_available(), _cgroup_room(), _rlimit_room()) if value]
    return min(found) if found else None


def _mem_available() -> int | None:
    return _proc_kilobytes(Path("/proc/meminfo"), "MemAvailable:")


def _proc_kilobytes(path: Path, name: str) -> int | None:
    """A `name: N kB` line of a /proc file, in bytes."""
    try:
        with path.open() as handle:
            for line in handle:
                if line.startswith(name):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_room() -> int | None:
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = int(Path("/sys/fs/cgroup/memory.current").read_text().strip())
    except (OSError, ValueError):
        return None
    return None if limit == "max" else max(int(limit) - used, 0)


def refuse_past_address_space(files: list[Path], what: str) -> None:
    """An InputError when plain files, which the reader maps into memory whole, pass the
    process's address-space limit (`ulimit -v`, prlimit --as)."""
    room = _rlimit_room((resource.RLIMIT_AS,))
    total = sum(f.stat().st_size for f in files)
    if room is not None and total > room:
        raise InputError(
            f"{what}: {total / GB:,.1f} GB of files are mapped whole to be read, past the "
            f"{room / GB:,.1f} GB this process's address-space limit leaves (ulimit -v): {FEWER}"
        )


def _rlimit_room(
    limits: tuple[int, ...] = (resource.RLIMIT_AS, resource.RLIMIT_DATA),
) -> int | None:
    rooms = []
    mapped = _vm_size()
    for which in limits:
        soft, _ = resource.getrlimit(which)
        if soft != resource.RLIM_INFINITY and mapped is not None:
            rooms.append(max(soft - mapped, 0))
    return min(rooms) if rooms else None


def _vm_size() -> int | None:
    return _proc_kilobytes(Path(f"/proc/{os.getpid()}/status"), "VmSize:")


def content_bytes(path: Path) -> int:
    """About how many bytes of text or values a file holds: a Parquet file's uncompressed size
    from its footer, a gzip file's from its trailer (the size modulo 4 GiB, so at least the
    compressed size times 4), a zip's from its members' headers, else the file's size. Read
    errors are left to the read itself."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            magic = handle.read(4)
            if magic[:2] == b"\x1f\x8b" and size > 4:
                handle.seek(-4, os.SEEK_END)
                return max(int.from_bytes(handle.read(4), "little"), 4 * size)
        if magic == b"PAR1":
            import pyarrow.parquet as pq  # only for a footer; pyarrow is a dependency anyway

            meta = pq.read_metadata(path)
            return sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if magic[:2] == b"PK":
            with zipfile.ZipFile(path) as archive:
                return sum(member.file_size for member in archive.infolist())
        return size
    except (OSError, ValueError, zipfile.BadZipFile):
        return 0
    except Exception:  # a footer pyarrow cannot read: the read says why, not this estimate
        return 0


def refuse_past_memory(needed: int, what: str) -> None:
    """An InputError when `needed` bytes cannot fit in the memory available."""
    room = available_memory()
    if room is None or needed <= room:
        return
    raise InputError(
        f"{what} needs at least about {needed / GB:,.1f} GB of memory to read; this machine "
        f"has {room / GB:,.1f} GB available: {FEWER}"
    )
