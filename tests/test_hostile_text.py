"""Text from the data never drives the terminal (issue 21, items 9, 10 and 14): Rich markup in
names is shown as written, control characters are shown as their escapes on every stream and
in Markdown, an error stays one line, and a Polars panic is an internal error, not a
traceback."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests.helpers import cli, one_line_error, write_events

ESC_TITLE = "\x1b]0;owned\x07"  # an xterm title sequence ended by BEL: swallows output


def _events(tmp_path: Path) -> Path:
    rows = [
        ("2026-11-02T10:00:00Z", "u1", f"signup{ESC_TITLE}", "[/]acme"),
        ("2026-11-02T11:00:00Z", "u2", "[bold red]login[link=https://x.test]", "a\rb"),
        ("2026-11-03T11:00:00Z", "u2", "login", "a\rb"),
    ]
    return write_events(tmp_path, rows, name="events.parquet")


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
def test_names_with_markup_and_control_characters(capsys, tmp_path: Path, fmt: str) -> None:
    code, out, err = cli(capsys, "engagement", "--events", str(_events(tmp_path)), "--format", fmt)
    assert code == 0, err
    for stream in (out, err):
        assert "\x1b" not in stream and "\x07" not in stream and "\r" not in stream
    if fmt in ("table", "markdown"):
        assert "signup\\x1b]0;owned\\x07" in out  # shown, escaped
        assert "[bold red]login[link=https://x.test]" in out and "[/]acme" in out


def test_validate_escapes_paths_and_headers(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "[red]exports"
    folder.mkdir()
    path = folder / "events.csv"
    path.write_text("timestamp,user_id,event,note\x1b[2J\n2026-11-02T10:00:00Z,u1,login,x\n")
    code, out, _ = cli(capsys, "validate", "--events", str(path))
    assert code == 0
    assert "[red]exports" in out and "\x1b" not in out


def test_an_error_quoting_a_value_with_a_newline_stays_one_line(capsys, tmp_path: Path) -> None:
    billing = tmp_path / "billing.parquet"
    pl.DataFrame(
        {
            "invoice_id": ["i1", "i2"],
            "account_id": ["a", "b"],
            "amount": [10.0, 20.0],
            "issued_at": ["2026-10-01", "2026-10-02"],
            "currency": ["USD", "EU\nR\x1b[31m"],
        }
    ).write_parquet(billing)
    err = one_line_error(capsys, "revenue", "--billing", str(billing), "--period", "2026-10")
    assert "\\n" in err and "\x1b" not in err


def test_a_polars_panic_is_an_internal_error_in_one_line(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def panic(*args: object, **kwargs: object) -> None:
        raise pl.exceptions.PanicException("a 5 GB field\nat polars-io/src/csv.rs")

    monkeypatch.setattr("csmetrics.api.compute_family", panic)
    events = write_events(tmp_path, [("2026-11-02T10:00:00Z", "u1", "login", "a")])
    code, out, err = cli(capsys, "engagement", "--events", str(events))
    assert code == 3 and out == ""
    assert err.startswith("csmetrics: internal error: PanicException: a 5 GB field")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_an_epoch_past_int64_is_an_error_not_a_crash(tmp_path, capsys) -> None:
    # found by tests/test_fuzz.py: 1e23 as epoch overflowed a cast to Int64 (exit 3)
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,timestamp,user_id,account_id,event\n"
        "e1,99999999999999999999999,u1,a1,login\ne2,2026-05-01T06:08:39Z,u1,a1,login\n"
    )
    code, out, err = cli(capsys, "engagement", "--events", str(path), "--format", "json")
    assert code == 2 and out == ""
    assert "row 1: events column 'timestamp'" in err and "cannot read '99999" in err


def test_json_escapes_del_and_c1_controls(tmp_path, capsys) -> None:
    # found by tests/test_fuzz.py: an account id "\x7f" reached stdout raw inside the JSON
    path = tmp_path / "events.csv"
    path.write_bytes(
        b"event_id,timestamp,user_id,account_id,event\n"
        b"e1,2026-05-01T06:08:39Z,u1,\x7f\xc2\x9b,login\ne2,2026-05-02T06:08:39Z,u2,a1,login\n"
    )
    code, out, _ = cli(capsys, "engagement", "--events", str(path), "--format", "json")
    assert code == 0
    assert "\x7f" not in out and "\x9b" not in out
    assert "\\u007f\\u009b" in out  # the same characters, escaped
    accounts = json.loads(out)["tables"]["account_activity"]
    assert {row["account_id"] for row in accounts} == {"\x7f\x9b", "a1"}
