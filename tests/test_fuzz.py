"""A fuzz suite that stays (issue 21, item 17): the sample's file of every source, mutated the
ways real exports and careless hands break them (truncation, control characters, encodings,
stray quotes, extreme numbers and dates, wrong types), run through the command line.

Whatever the mutation: exit 0 or 2, never 1 or 3; on exit 2 one error line and nothing on
stdout; never a traceback; no raw control character on either stream. Mutations that keep the
data (a byte-order mark, CRLF line ends, every field quoted, columns reordered, an extra column
of hostile text) leave every metric as it was.

`make test` runs a fixed, derandomised set in well under a minute; CSMETRICS_FUZZ_EXAMPLES=500
(or more) runs a longer random search.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from csmetrics.cli import run

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
LONG_RUN = int(os.environ.get("CSMETRICS_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONG_RUN or 25,
    derandomize=not LONG_RUN,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ROWS = {"events": 1500, "tickets": 200, "billing": 200, "surveys": 200, "accounts": 50}
# the command each source is judged by: its family, or validate for the accounts
COMMANDS = {
    "events": ["engagement", "--events"],
    "tickets": ["support", "--tickets"],
    "billing": ["revenue", "--billing"],
    "surveys": ["voice", "--surveys"],
    "accounts": ["validate", "--accounts"],
}
# any C0 control but newline, DEL, C1 controls: none may reach a terminal raw
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def sample_rows(kind: str) -> list[list[str]]:
    with (SAMPLE / f"{kind}.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[: ROWS[kind] + 1]  # the header and the first rows


BASE = {kind: sample_rows(kind) for kind in COMMANDS}


def as_csv(rows: list[list[str]], **options: object) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", **options).writerows(rows)  # type: ignore[arg-type]
    return out.getvalue()


def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(args)
    return code, out.getvalue(), err.getvalue()


def judged(kind: str, path: Path, *extra: str) -> tuple[int, str, str]:
    code, out, err = run_cli([*COMMANDS[kind], str(path), *extra])
    assert code in (0, 2), f"exit {code}: {err[-2000:]}"
    assert "Traceback" not in err and "Traceback" not in out
    assert not RAW_CONTROL.search(out), "a raw control character on stdout"
    assert not RAW_CONTROL.search(err), "a raw control character on stderr"
    if code == 2:
        assert out == ""
        errors = [line for line in err.splitlines() if not line.startswith("warning: ")]
        assert len(errors) == 1 and errors[0].startswith("csmetrics: error: "), err
    return code, out, err


HOSTILE = [
    "",
    " ",
    '"',
    'a"b',
    "\x1b]0;owned\x07",
    "\x1b[31mred",
    "[bold red]x[/]",
    "\x00",
    "line\nbreak",
    "tab\there",
    "\r",
    "NaN",
    "inf",
    "-1e308",
    "1e308",
    "99999999999999999999999",
    "(49.00)",
    "$49.00",
    "49,00",
    "true",
    "[]",
    "{}",
    "9999-12-31T23:59:59Z",
    "0001-01-01",
    "1970-01-01T00:00:00Z",
    "2026-02-30",
    "253402300800",
    "-1",
    "José",
    "ü" * 300,
    "x" * 5000,
]
hostile_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)


@dataclass(frozen=True)
class Case:
    """A mutated file: its source kind, how it was mutated, and its bytes (left out of the
    repr Hypothesis prints for a failing example, which would be 100 kB)."""

    kind: str
    how: str
    data: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"Case({self.kind!r}, {self.how!r}, {len(self.data)} bytes: {self.data[-300:]!r})"


@st.composite
def mutated(draw: st.DrawFn) -> Case:
    """A source's file after one mutation."""
    kind = draw(st.sampled_from(sorted(COMMANDS)))
    rows = [list(row) for row in BASE[kind]]
    how = draw(st.sampled_from(["cell", "cells", "truncate", "encoding", "header", "ragged"]))
    if how in ("cell", "cells"):
        for _ in range(1 if how == "cell" else draw(st.integers(2, 6))):
            row = draw(st.integers(0, len(rows) - 1))
            column = draw(st.integers(0, len(rows[row]) - 1))
            rows[row][column] = draw(hostile_values)
        data = as_csv(rows).encode("utf-8")
    elif how == "truncate":
        text = as_csv(rows).encode("utf-8")
        data = text[: draw(st.integers(0, len(text)))]
    elif how == "encoding":
        text = as_csv(rows)
        codec = draw(st.sampled_from(["utf-16", "cp1252", "latin-1", "utf-8-sig"]))
        row = draw(st.integers(1, len(rows) - 1))
        rows[row][0] = rows[row][0] + "é"
        cut = len(as_csv(rows[: row + 1]))
        text = as_csv(rows)
        data = text[:cut].encode(codec, errors="replace") + text[cut:].encode("utf-8")
    elif how == "header":
        rows.insert(draw(st.integers(1, len(rows))), list(rows[0]))  # a header mid-file
        data = as_csv(rows).encode("utf-8")
    else:  # a row with a field missing or extra
        row = draw(st.integers(1, len(rows) - 1))
        rows[row] = rows[row][:-1] if draw(st.booleans()) else [*rows[row], "extra"]
        data = as_csv(rows).encode("utf-8")
    return Case(kind, how, data)


@FUZZ
@given(case=mutated())
def test_a_mutated_export_is_read_or_refused_in_one_line(
    case: Case, tmp_path_factory: pytest.TempPathFactory
) -> None:
    kind, data = case.kind, case.data
    path = tmp_path_factory.mktemp("fuzz") / f"{kind}.csv"
    path.write_bytes(data)
    code, _, _ = judged(kind, path, "--format", "json")
    event(f"{kind}: exit {code}")  # --hypothesis-show-statistics shows how often each occurs


def metrics_of(kind: str, path: Path) -> dict[str, object]:
    code, out, err = judged(kind, path, "--format", "json")
    assert code == 0, err
    return json.loads(out)["metrics"]


@pytest.fixture(scope="module")
def unchanged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    folder = tmp_path_factory.mktemp("base")
    found = {}
    for kind in sorted(COMMANDS):
        if kind == "accounts":
            continue  # validate has no metrics
        path = folder / f"{kind}.csv"
        path.write_text(as_csv(BASE[kind]), encoding="utf-8")
        found[kind] = metrics_of(kind, path)
    return found


@st.composite
def kept(draw: st.DrawFn) -> Case:
    """A source's file after a mutation that keeps every value."""
    kind = draw(st.sampled_from(sorted(k for k in COMMANDS if k != "accounts")))
    rows = [list(row) for row in BASE[kind]]
    how = draw(st.sampled_from(["bom", "crlf", "quote_all", "reorder", "extra_column"]))
    if how == "reorder":
        order = draw(st.permutations(range(len(rows[0]))))
        rows = [[row[i] for i in order] for row in rows]
    if how == "extra_column":
        noise = draw(st.lists(hostile_values, min_size=len(rows) - 1, max_size=len(rows) - 1))
        rows = [[*rows[0], "zz_note"]] + [[*row, n] for row, n in zip(rows[1:], noise, strict=True)]
    options: dict[str, object] = {}
    if how == "quote_all":
        options["quoting"] = csv.QUOTE_ALL
    text = as_csv(rows, **options)
    if how == "crlf":
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8-sig" if how == "bom" else "utf-8")
    return Case(kind, how, data)


@FUZZ
@given(case=kept())
def test_a_mutation_that_keeps_the_values_keeps_the_metrics(
    case: Case,
    unchanged: dict[str, dict[str, object]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    kind, data = case.kind, case.data
    path = tmp_path_factory.mktemp("kept") / f"{kind}.csv"
    path.write_bytes(data)
    assert metrics_of(kind, path) == unchanged[kind]


def test_the_suite_reaches_both_outcomes(tmp_path: Path) -> None:
    # the properties above would hold vacuously if every mutation were refused or none were
    clean, broken = tmp_path / "events.csv", tmp_path / "broken.csv"
    clean.write_text(as_csv(BASE["events"]), encoding="utf-8")
    broken.write_text(as_csv([*BASE["events"][:5], ["x", "not a time", "u", "a", "e"]]))
    assert judged("events", clean)[0] == 0
    assert judged("events", broken)[0] == 2
