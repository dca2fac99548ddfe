"""Config values are checked by type and range as the file is read (issue 21, item 12): a wrong
value is one line with exit 2 naming the file, the key and what is expected; TOML dates, as
people write them (unquoted), are window bounds."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from csmetrics.core.errors import ConfigError
from csmetrics.core.readers import names, number, whole_number
from tests.helpers import cli, one_line_error, write_events

EVENTS = [
    ("2026-10-01T10:00:00Z", "u1", "login", "a1"),
    ("2026-10-02T10:00:00Z", "u2", "login", "a1"),
    ("2026-10-20T10:00:00Z", "u1", "login", "a1"),
    ("2026-11-03T10:00:00Z", "u3", "login", "a2"),
]


def config_at(folder: Path, text: str) -> Path:
    write_events(folder, EVENTS)
    path = folder / "csmetrics.toml"
    path.write_text(f'{text}\n[sources.events]\npath = "events.csv"\n', encoding="utf-8")
    return path


# (config text, what the one-line error must contain besides the file's name)
WRONG_VALUES = [
    ("timezone = 5", 'timezone: expected a text in quotes such as "value", got 5'),
    ('timezone = "Europe/Berln"', "did you mean 'Europe/Berlin'?"),
    ("week_start = 3", "week_start: expected one of monday, sunday, got 3"),
    ("since = 10:00:00", "since: expected a date such as 2026-10-01"),
    ('allow_stale = "yes"', "allow_stale: expected true or false"),
    ("[engagement]\ninactive_events = 5", "[engagement] inactive_events: expected a name"),
    ('[engagement]\nsession_gap = "99999999999d"', "session_gap: expected a duration"),
    ("[retention]\nperiods = 100000000", "periods: expected a whole number from 1 to 1000"),
    ("[retention]\nperiods = true", "periods: expected a whole number"),
    ('[health.weights]\nfrequency = "nan"', "weights frequency: expected a finite number"),
    ('[[checks]]\nmetric = "engagement.dau_mean"\nmin = "x"', "min must be a number"),
    ("[sources.tickets]\npath = 5", "[sources.tickets] path: expected a text"),
    (
        '[sources.tickets]\npath = "t.csv"\ncolumns = { ticket_id = 5 }',
        "[sources.tickets] columns.ticket_id: expected a text",
    ),
    ('[sources.tickets]\npath = "t.csv"\nnull_values = "NA"', "null_values: expected a list"),
    ('[sources.tickets]\npath = "t.csv"\ndecimal = ";"', "decimal: expected one of ., ,"),
    ("[engine]\nname = 5", "[engine] name must be a string"),
    ('[engine]\nname = "duck"', "[engine] name: expected one of polars, spark, got 'duck'"),
    ('[sources.tickets]\npath = "t.csv"\nencoding = "nope"', "encoding: unknown encoding 'nope'"),
    ('[sources.tickets]\npath = "t.csv"\npreset = "zendsk"', "did you mean 'zendesk'?"),
]


@pytest.mark.parametrize(("text", "expected"), WRONG_VALUES)
def test_a_wrong_value_names_the_file_the_key_and_what_is_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    path = config_at(tmp_path, text)
    error = one_line_error(capsys, "engagement", "--config", str(path))
    assert "csmetrics.toml:" in error
    assert expected in error


def test_a_toml_date_is_the_same_bound_as_a_quoted_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    windows = []
    for bounds in (
        "since = 2026-10-01\nuntil = 2026-11-01",
        'since = "2026-10-01"\nuntil = "2026-11-01"',
        "since = 2026-10-01T00:00:00Z\nuntil = 2026-11-01T00:00:00Z",
    ):
        path = config_at(tmp_path, bounds)
        code, out, err = cli(capsys, "engagement", "--config", str(path), "--format", "json")
        assert code == 0, err
        windows.append(json.loads(out)["window"])
    assert windows[0] == windows[1] == windows[2]
    assert windows[0]["since"] == "2026-10-01T00:00:00Z"
    assert windows[0]["until"] == "2026-11-01T00:00:00Z"


def test_a_toml_datetime_with_an_offset_keeps_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_at(tmp_path, "since = 2026-10-01T00:00:00Z\nuntil = 2026-11-01T00:00:00+02:00")
    code, out, err = cli(capsys, "engagement", "--config", str(path), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["window"]["until"] == "2026-10-31T22:00:00Z"  # 00:00 at +02:00


def test_a_config_that_is_not_utf8_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "csmetrics.toml"
    path.write_bytes(b'week_start = "monday"\ntimezone = "\xe9"\n')
    error = one_line_error(capsys, "engagement", "--config", str(path))
    assert "line 2: byte 0xe9 is not UTF-8" in error


def test_deep_nesting_is_an_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "csmetrics.toml"
    path.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    error = one_line_error(capsys, "engagement", "--config", str(path))
    assert "nested too deep" in error


def test_a_huge_value_is_cut_in_the_message() -> None:
    with pytest.raises(ConfigError) as caught:
        names({"x": "y" * 10_000}, "[engagement] inactive_events")
    assert len(str(caught.value)) < 200


def test_readers_take_what_the_command_line_gives_and_refuse_the_rest() -> None:
    periods = whole_number(1, 1000)
    assert periods("12", "--periods") == 12  # the command line's text
    assert periods(1000, "periods") == 1000  # the bound itself is allowed
    for wrong in (0, 1001, 2.5, True, "x"):
        with pytest.raises(ConfigError):
            periods(wrong, "periods")
    assert number("0.25", "weight") == 0.25
    for wrong in ("nan", "inf", math.inf, "1e999", False):
        with pytest.raises(ConfigError):
            number(wrong, "weight")
    assert names("login", "steps") == ("login",)  # one name, never its letters
