"""A generated corpus of messy CSV files (the Pollock benchmark's pollutions): each is read to
the same metrics as the clean file, with a counted warning where rows were skipped, or is a
one-line input error naming the file, the line and what to do."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import csmetrics as cm

HEADER = "event_id,timestamp,user_id,account_id,event"
START = datetime(2026, 10, 1, 8, tzinfo=UTC)
ROWS = [
    f"e{i},{(START + timedelta(hours=7 * i)).strftime('%Y-%m-%dT%H:%M:%SZ')},u{i % 9},a{i % 3},"
    f"{('login', 'report', 'export')[i % 3]}"
    for i in range(120)
]
CLEAN = "\n".join([HEADER, *ROWS]) + "\n"
WINDOW = {"since": "2026-10-01", "until": "2026-11-01"}


def metrics(path: Path) -> tuple[dict, list[cm.DataWarning]]:
    report = cm.engagement(cm.load(events=str(path)), **WINDOW)
    return report.metrics, report.warnings


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict:
    path = tmp_path_factory.mktemp("clean") / "events.csv"
    path.write_text(CLEAN)
    return metrics(path)[0]


def _with_row(index: int, row: str) -> str:
    return "\n".join([HEADER, *ROWS[:index], row, *ROWS[index:]]) + "\n"


# name -> (file bytes, the warning code expected (None: none needed), its count)
CASES: dict[str, tuple[bytes, str | None, int | None]] = {
    "crlf": (CLEAN.replace("\n", "\r\n").encode(), None, None),
    "cr_only": (CLEAN.replace("\n", "\r").encode(), "file_layout", None),
    "header_case_and_spaces": (
        (" EVENT_ID , Timestamp,User_Id ,ACCOUNT_ID, Event\n" + "\n".join(ROWS) + "\n").encode(),
        None,
        None,
    ),
    "preamble": (("Events export\nGenerated 2026-11-29\n\n" + CLEAN).encode(), "file_layout", None),
    "totals_footer": ((CLEAN + "Total,,,,,120\n").encode(), "skipped_extra_fields", 1),
    "footnote": ((CLEAN + "Exported by Tool; confidential\n").encode(), "missing_value", 1),
    "repeated_header": (_with_row(60, HEADER).encode(), "skipped_repeated_header", 1),
    "extra_field": (
        _with_row(30, "x1,2026-10-05T10:00:00Z,u1,a1,login,oops").encode(),
        "skipped_extra_fields",
        1,
    ),
    "missing_field": (_with_row(30, "x2,2026-10-05T10:00:00Z,u1,a1").encode(), "missing_value", 1),
    "latin1": (CLEAN.replace("u1,", "Jos\xe9,").encode("latin-1"), "file_layout", None),
    "gzip_without_gz_name": (gzip.compress(CLEAN.encode()), None, None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_messy_file_gives_the_clean_metrics(name: str, clean: dict, tmp_path: Path) -> None:
    data, code, count = CASES[name]
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    found, warnings = metrics(path)
    assert found == clean  # a broken extra row is skipped or dropped, never counted
    if code is not None:
        hits = [w for w in warnings if w.code == code]
        assert hits, [w.message for w in warnings]
        if count is not None:
            assert hits[0].count == count


def test_stray_quote_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(_with_row(10, 'x3,"2026-10-05T10:00:00Z,u1,a1,login'))
    with pytest.raises(cm.InputError, match=r"events.csv, line 12: a quote opens a field"):
        metrics(path)


def test_folder_of_monthly_exports_read_by_name(clean: dict, tmp_path: Path) -> None:
    # October in three files: the second reorders the columns, is gzipped and adds a column;
    # the third drops the optional account_id (null there, so its accounts are not counted)
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "2026-10-a.csv").write_text("\n".join([HEADER, *ROWS[:40]]) + "\n")
    reordered = ["user_id,event,timestamp,event_id,account_id,campaign"] + [
        ",".join([r.split(",")[i] for i in (2, 4, 1, 0, 3)] + ["fall"]) for r in ROWS[40:80]
    ]
    (folder / "2026-10-b.csv.gz").write_bytes(gzip.compress(("\n".join(reordered) + "\n").encode()))
    dropped = ["event_id,timestamp,user_id,event"] + [
        ",".join(r.split(",")[i] for i in (0, 1, 2, 4)) for r in ROWS[80:]
    ]
    (folder / "2026-10-c.csv").write_text("\n".join(dropped) + "\n")
    found, _ = metrics(folder)
    for key, value in clean.items():
        if key != "engagement.active_accounts_count":
            assert found[key] == value, key
    # rows 80-119 have no account: only the accounts of rows 0-79 (a0, a1, a2) are counted
    assert found["engagement.active_accounts_count"] == 3


# Two exports joined: one written by Excel on Windows (Windows-1252), one by a web tool (UTF-8).
# Five users with accents, each active once in each half: 5 active users, never 10.
ACCENTED = ["José", "Zoë", "François", "Müller", "Renée"]
HALF = [
    f"e{h}{i},2026-10-{2 + 10 * h + i:02d}T09:00:00Z,{name},a1,login"
    for h in (0, 1)
    for i, name in enumerate(ACCENTED)
]


@pytest.mark.parametrize(("first", "second"), [("cp1252", "utf-8"), ("utf-8", "cp1252")])
def test_a_file_of_two_encodings_reads_each_line_in_its_own(
    first: str, second: str, tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    top = "\n".join([HEADER, *HALF[:5]]) + "\n"
    bottom = "\n".join(HALF[5:]) + "\n"
    path.write_bytes(top.encode(first) + bottom.encode(second))
    found, warnings = metrics(path)
    assert found["engagement.active_users"] == 5  # {José, Zoë, François, Müller, Renée}
    note = next(w.message for w in warnings if "mixed encodings" in w.message)
    old, new = (2, 7) if first == "cp1252" else (7, 2)  # header is line 1; halves of 5 lines
    assert f"5 lines are Windows-1252 (from line {old})" in note
    assert f"5 UTF-8 (from line {new})" in note


def test_an_encoding_given_that_does_not_fit_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(("\n".join([HEADER, *HALF]) + "\n").encode("utf-8"))
    with pytest.raises(cm.InputError, match=r"line 2: byte 0x.. is not ascii"):
        cm.load(events=str(path), encoding="ascii")
