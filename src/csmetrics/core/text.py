"""Text from data made safe to show: control characters (ESC sequences, BEL, backspace, CR,
newlines) never reach a terminal, a Markdown cell or a one-line error raw; each is written as
its visible escape (`\\x1b`, `\\n`), so the reader sees that it was there."""

from __future__ import annotations

import re

# C0 controls (tab included: it would misalign a table), DEL, and C1 controls
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with every control character as a visible escape (`\\n`, `\\x1b`)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(0), f"\\x{ord(m.group(0)):02x}"), text)


QUOTED_CHARACTERS = 60


def quoted(value: object, width: int = QUOTED_CHARACTERS) -> str:
    """A value as a one-line message quotes it: its repr, escaped, cut to `width` characters
    (a 5,000-character cell is named by its start, never dumped into the error)."""
    text = printable(repr(value))
    return text if len(text) <= width else f"{text[: width - 1]}…"


def first_line(exc: BaseException, width: int | None = None) -> str:
    """An exception's first line (its type's name when it has no message), cut at `width`:
    what a one-line error quotes of a library's own message."""
    lines = str(exc).strip().splitlines()
    line = lines[0] if lines else type(exc).__name__
    return line if width is None else line[:width]
