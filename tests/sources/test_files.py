"""Files and paths (issue 20, item 13): a file read by what its first bytes say, and a folder
holding another source's export refused with the odd file named."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.errors import InputError

EVENTS = pl.DataFrame(
    {"timestamp": ["2026-10-01T10:00:00Z"], "user_id": ["u1"], "event": ["login"]}
)


def test_a_parquet_file_named_csv_is_read_as_parquet(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    EVENTS.write_parquet(path)
    assert cm.load(events=path)["events"]["event"].to_list() == ["login"]


def test_a_csv_file_named_parquet_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    EVENTS.write_csv(path)
    assert cm.load(events=path)["events"]["event"].to_list() == ["login"]


def test_a_folder_with_another_sources_file_names_it(tmp_path: Path) -> None:
    EVENTS.write_csv(tmp_path / "events.csv")
    (tmp_path / "tickets.csv").write_text("ticket_id,created_at\nt1,2026-10-01T10:00:00Z\n")
    with pytest.raises(InputError, match=r"tickets\.csv: has no 'timestamp' column") as error:
        cm.load(events=tmp_path)
    assert "Give each source its own path" in str(error.value)


def test_monthly_files_whose_optional_columns_differ_still_read_together(
    tmp_path: Path,
) -> None:
    # October's export has no account_id column, November's has: one source, 2 rows
    EVENTS.write_csv(tmp_path / "2026-10.csv")
    november = EVENTS.with_columns(
        pl.lit("2026-11-01T10:00:00Z").alias("timestamp"), pl.lit("a1").alias("account_id")
    )
    november.write_csv(tmp_path / "2026-11.csv")
    frame = cm.load(events=tmp_path)["events"].sort("timestamp")
    assert frame.height == 2
    assert frame["account_id"].cast(pl.String).to_list() == [None, "a1"]


def test_a_symlink_loop_under_a_recursive_glob_reads_each_file_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "events.csv").write_text(
        "timestamp,user_id,event\n2026-11-02T10:00:00Z,u1,login\n2026-11-02T11:00:00Z,u2,login\n"
    )
    (data / "loop").symlink_to(data, target_is_directory=True)  # data/loop/loop/... forever
    inputs = cm.load(events=f"{data}/**/*.csv")
    # two events, read once, however many names the loop gives the file
    assert inputs["events"].height == 2
    (note,) = [w for w in inputs.warnings if w.code == "linked_files"]
    assert "each file is read once" in note.message


def test_an_existing_path_with_brackets_is_a_file_not_a_glob(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"timestamp": ["2026-11-02T10:00:00Z"], "user_id": ["u1"], "event": ["login"]}
    )
    for kind in ("csv", "parquet"):
        folder = tmp_path / f"[2026] {kind}"
        folder.mkdir()
        for name in ("a", "b"):
            path = folder / f"{name}.{kind}"
            frame.write_csv(path) if kind == "csv" else frame.write_parquet(path)
        assert cm.load(events=str(folder / f"a.{kind}"))["events"].height == 1
        assert cm.load(events=str(folder))["events"].height == 2  # the folder: both files


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("amount", [True, False], "holds Boolean values; expected an amount"),
        ("issued_at", [True, False], "holds Boolean values; expected a time"),
    ],
)
def test_a_parquet_column_of_the_wrong_type_is_named(
    tmp_path: Path, column: str, values: list[object], expected: str
) -> None:
    frame = pl.DataFrame(
        {
            "invoice_id": ["i1", "i2"],
            "account_id": ["a", "b"],
            "amount": [10.0, 20.0],
            "issued_at": ["2026-10-01", "2026-10-02"],
        }
    ).with_columns(pl.Series(column, values))
    path = tmp_path / "billing.parquet"
    frame.write_parquet(path)
    with pytest.raises(InputError) as error:
        cm.load(billing=str(path))
    message = str(error.value)
    assert f"billing column '{column}' ({column})" in message and expected in message


def test_float32_amounts_are_widened_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "billing.parquet"
    pl.DataFrame(
        {
            "invoice_id": ["i1"],
            "account_id": ["a"],
            "amount": pl.Series([49.5], dtype=pl.Float32),  # exact in float32
            "issued_at": ["2026-10-01"],
        }
    ).write_parquet(path)
    inputs = cm.load(billing=str(path))
    assert float(inputs["billing"]["amount"][0]) == 49.5
    assert any(w.code == "float32_amounts" for w in inputs.warnings)


def test_a_file_that_is_not_an_export_is_not_echoed(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.env"
    secrets.write_text("API_TOKEN=sk_live_123\nDB_PASSWORD=hunter2\n")
    with pytest.raises(InputError) as error:
        cm.load(events=str(secrets), format_in="csv")
    message = str(error.value)
    assert "sk_live_123" not in message and "API_TOKEN" not in message
    assert "does not look like an events export" in message


def test_headers_are_shown_escaped_cut_and_at_most_twenty(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    names = ["x" * 60] + [f"col{i}" for i in range(25)]
    path.write_text(",".join(names) + "\n" + ",".join("1" for _ in names) + "\n")
    with pytest.raises(InputError) as error:
        cm.load(events=str(path))
    message = str(error.value)
    # 26 names: the first cut to 40 characters, then col0 .. col18, and 6 more
    assert f"Headers: {'x' * 39}…, col0, col1" in message and "col18 and 6 more" in message
    assert "col19" not in message


def test_json_lines_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        b'{"timestamp":"2026-11-02T10:00:00Z","user_id":"u1","event":"login"}\n'
        b'{"timestamp":"2026-11-02T11:00:00Z","user_id":"u2","event":"login"}\n'
    )
    assert cm.load(events=str(path))["events"].height == 2


def test_standard_input_and_a_named_pipe_are_read_as_streams(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import threading

    text = "timestamp,user_id,event\n2026-11-02T10:00:00Z,u1,login\n2026-11-02T11:00:00Z,u2,x\n"
    done = subprocess.run(
        [sys.executable, "-m", "csmetrics", "validate", "--events", "-", "--format", "json"],
        input=text.encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"rows": 2' in done.stdout.decode()
    fifo = tmp_path / "events.pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_text, args=(text,))
    writer.start()
    assert cm.load(events=str(fifo))["events"].height == 2
    writer.join(timeout=30)
