"""Value rules of data.md: each input that was once read silently wrong is now read right or
refused with the file, column and value."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.errors import InputError
from csmetrics.ingest.sources import SourceSpec, load_source
from csmetrics.ingest.sources.quality import check_quality
from csmetrics.ingest.sources.read import read_one


def _read(kind: str, path: Path, **spec) -> tuple[pl.DataFrame, list[str]]:
    """The cleaned rows and the warning codes; input errors propagate."""
    spec_ = SourceSpec(kind, str(path), **spec)
    frame, quality = read_one(spec_)
    warnings = check_quality(load_source(spec_), quality)
    return frame, [w.code for w in warnings]


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_rows_without_event_id_are_never_duplicates(tmp_path: Path) -> None:
    # 4 rows, 3 with an empty event_id and one pair repeating e1: only the second e1 goes
    path = _write(
        tmp_path,
        "event_id,timestamp,user_id,event\n"
        ",2026-11-02T10:00:00Z,u1,a\n"
        ",2026-11-02T11:00:00Z,u2,a\n"
        ",2026-11-02T12:00:00Z,u3,a\n"
        "e1,2026-11-02T13:00:00Z,u4,a\n"
        "e1,2026-11-02T14:00:00Z,u5,a\n",
    )
    frame, quality = read_one(SourceSpec("events", str(path)))
    assert frame.height == 4  # 5 rows - 1 repeat of e1
    assert quality["duplicates"] == 1
    assert quality["without_key"] == 3  # counted for validate


def test_empty_strings_in_parquet_ids_are_missing_not_repeats(tmp_path: Path) -> None:
    path = tmp_path / "ev.parquet"
    pl.DataFrame(
        {
            "event_id": ["", "", "e1"],
            "timestamp": ["2026-11-02T10:00:00Z"] * 3,
            "user_id": ["u1", "u2", "u3"],
            "event": ["a"] * 3,
        }
    ).write_parquet(path)
    frame, _ = read_one(SourceSpec("events", str(path)))
    assert frame.height == 3


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1.234,56", "49,90"], [Decimal("1234.56"), Decimal("49.90")]),  # decimal commas
        (["1 234,56", "-5"], [Decimal("1234.56"), Decimal("-5")]),  # space groups thousands
        (["1,234.56", "49.90"], [Decimal("1234.56"), Decimal("49.90")]),  # decimal points
        (["1,234", "7"], [Decimal("1234"), Decimal("7")]),  # fits points: a thousand
    ],
)
def test_decimal_convention_decided_by_the_column(
    tmp_path: Path, cells: list[str], expected: list[Decimal]
) -> None:
    rows = "".join(f'i{n},a1,"{c}",2026-11-02\n' for n, c in enumerate(cells))
    path = _write(tmp_path, "invoice_id,account_id,amount,issued_at\n" + rows)
    frame, _ = _read("billing", path)
    assert frame.sort("invoice_id")["amount"].to_list() == expected


def test_mixed_decimal_conventions_are_an_error(tmp_path: Path) -> None:
    # "1.234,56" reads only with decimal commas, "49.90" only with decimal points
    path = _write(
        tmp_path,
        'invoice_id,account_id,amount,issued_at\ni1,a1,"1.234,56",2026-11-02\ni2,a1,49.90,2026-11-02\n',
    )
    with pytest.raises(
        InputError, match=r"data\.csv, row 1: billing column 'amount'.*mixes decimal"
    ):
        _read("billing", path)


def test_decimal_setting_wins(tmp_path: Path) -> None:
    # with decimal = ",", "1,234" is one and 234 thousandths
    path = _write(tmp_path, 'invoice_id,account_id,amount,issued_at\ni1,a1,"1,234",2026-11-02\n')
    frame, _ = _read("billing", path, decimal=",")
    assert frame["amount"].item() == Decimal("1.234")


def test_fraction_in_an_integer_column_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "ticket_id,created_at,reopens\nt1,2026-11-02,1\nt2,2026-11-02,2.7\n")
    with pytest.raises(
        InputError, match=r"row 2: tickets column 'reopens'.*cannot read '2\.7'; expected a whole"
    ):
        _read("tickets", path)


def test_error_in_a_folder_names_the_file_and_its_row(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.csv").write_text("timestamp,user_id,event\n2026-11-02,u1,a\n")
    (folder / "b.csv").write_text("timestamp,user_id,event\n2026-11-02,u1,a\nsoon,u2,a\n")
    with pytest.raises(InputError, match=r"b\.csv, row 2: events column 'timestamp'.*'soon'"):
        _read("events", folder)


def test_whole_numbers_written_as_floats_are_integers(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pl.DataFrame(
        {"ticket_id": ["t1"], "created_at": ["2026-11-02"], "reopens": [2.0]}
    ).write_parquet(path)
    frame, _ = _read("tickets", path)
    assert frame["reopens"].to_list() == [2]


def test_eight_digits_are_a_date_not_epoch_seconds(tmp_path: Path) -> None:
    path = _write(tmp_path, "timestamp,user_id,event\n20261102,u1,a\n")
    frame, _ = _read("events", path)
    assert frame["timestamp"].item() == datetime(2026, 11, 2, tzinfo=UTC)


def test_eight_digit_numbers_in_parquet_are_dates_too(tmp_path: Path) -> None:
    path = tmp_path / "ev.parquet"
    pl.DataFrame({"timestamp": [20261102], "user_id": ["u1"], "event": ["a"]}).write_parquet(path)
    frame, _ = _read("events", path)
    assert frame["timestamp"].item() == datetime(2026, 11, 2, tzinfo=UTC)


@pytest.mark.parametrize("value", ["123456789", "5000000000000"])  # 1973; year 2128 in ms
def test_implausible_epoch_values_are_an_error(tmp_path: Path, value: str) -> None:
    path = _write(tmp_path, f"timestamp,user_id,event\n{value},u1,a\n")
    with pytest.raises(InputError, match=rf"cannot read '{value}'.*between 2000 and 2100"):
        _read("events", path)


def test_only_empty_cells_are_missing(tmp_path: Path) -> None:
    path = _write(tmp_path, "timestamp,user_id,event\n2026-11-02,NA,a\n2026-11-02,None,a\n")
    frame, _ = _read("events", path)
    assert sorted(frame["user_id"].to_list()) == ["NA", "None"]


def test_null_values_from_the_mapping(tmp_path: Path) -> None:
    path = _write(tmp_path, "timestamp,user_id,event\n2026-11-02,NA,a\n2026-11-02,u1,a\n")
    frame, codes = _read("events", path, null_values=("NA",))
    assert frame["user_id"].to_list() == ["u1"]
    assert "missing_value" in codes  # the row without a user is dropped and counted


def test_every_missing_required_column_in_one_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "when,who\n2026-11-02,u1\n")
    with pytest.raises(InputError) as caught:
        _read("events", path)
    message = str(caught.value)
    assert "'timestamp'" in message and "'user_id'" in message and "'event'" in message
    assert "--map events.timestamp=HEADER" in message and "Headers: when, who" in message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("5", 5.0), ("Good", 5.0), ("BAD", 1.0), ("good_with_comment", 5.0), ("Offered", None)],
)
def test_satisfaction_spellings(tmp_path: Path, cell: str, expected: float | None) -> None:
    path = _write(tmp_path, f"ticket_id,created_at,satisfaction\nt1,2026-11-02,{cell}\n")
    frame, _ = _read("tickets", path)
    assert frame["satisfaction"].item() == expected


def test_unknown_satisfaction_word_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "ticket_id,created_at,satisfaction\nt1,2026-11-02,great\n")
    with pytest.raises(InputError, match="cannot read 'great'; expected a rating of 1-5"):
        _read("tickets", path)


def test_rating_outside_scale_is_not_rated_with_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, "ticket_id,created_at,satisfaction\nt1,2026-11-02,9\nt2,2026-11-02,4\n")
    frame, codes = _read("tickets", path)
    assert frame.sort("ticket_id")["satisfaction"].to_list() == [None, 4.0]
    assert "rating_out_of_scale" in codes


def test_survey_scales_and_kinds(tmp_path: Path) -> None:
    # kept: nps 10, CSAT 5 (any case), ces 1; dropped: nps 11, csat 0 (scale), "poll" (kind)
    path = _write(
        tmp_path,
        "submitted_at,score,survey\n"
        "2026-11-02,10,nps\n2026-11-02,11,nps\n2026-11-02,5,CSAT\n"
        "2026-11-02,0,csat\n2026-11-02,1,ces\n2026-11-02,3,poll\n",
    )
    frame, codes = _read("surveys", path)
    assert sorted(zip(frame["survey"], frame["score"], strict=True)) == [
        ("ces", 1.0),
        ("csat", 5.0),
        ("nps", 10.0),
    ]
    assert {"score_out_of_scale", "unknown_survey"} <= set(codes)


def test_survey_kind_from_the_option(tmp_path: Path) -> None:
    path = _write(tmp_path, "submitted_at,score\n2026-11-02,9\n2026-11-02,12\n")
    frame, codes = _read("surveys", path, survey="nps")
    assert frame["score"].to_list() == [9.0]  # 12 is outside nps 0-10
    assert "score_out_of_scale" in codes


def test_missing_survey_column_suggests_the_option(tmp_path: Path) -> None:
    path = _write(tmp_path, "submitted_at,score\n2026-11-02,9\n")
    with pytest.raises(InputError, match=r"--survey nps\|csat\|ces"):
        _read("surveys", path)


def test_invoice_statuses_and_recurring_default(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "invoice_id,account_id,amount,issued_at,status,recurring\n"
        "i1,a1,10,2026-11-02,Paid,\n"
        "i2,a1,10,2026-11-02,VOID,true\n"
        "i3,a1,10,2026-11-02,draft,false\n"
        "i4,a1,10,2026-11-02,payment_due,false\n"
        "i5,a1,10,2026-11-02,uncollectible,\n",
    )
    frame, codes = _read("billing", path)
    rows = frame.sort("invoice_id").select("invoice_id", "status", "recurring").rows()
    assert rows == [
        ("i1", "paid", True),  # an empty recurring cell is the default, true
        ("i4", "open", False),  # Chargebee's payment_due is open
        ("i5", "uncollectible", True),
    ]
    assert "ignored_invoice_lines" in codes  # i2 (void) and i3 (draft)


def test_implausible_times_are_a_warning(tmp_path: Path) -> None:
    # one value before 2000 among plausible ones: counted per column, left out of the range
    path = _write(tmp_path, "timestamp,user_id,event\n1999-12-31,u1,a\n2026-11-02,u1,a\n")
    _, codes = _read("events", path)
    assert "implausible_times" in codes and "implausible_time_range" not in codes
    # none plausible (seconds read as days, say): the whole range is suspect
    path = _write(tmp_path, "timestamp,user_id,event\n1970-01-01,u1,a\n1970-01-02,u1,a\n")
    _, codes = _read("events", path)
    assert "implausible_time_range" in codes


def test_rows_repeating_every_mapped_column_are_counted_among_kept_rows(tmp_path: Path) -> None:
    # 5 rows: 2 copies of (t1, u1, a), and 2 copies with no user_id (dropped: not repeats);
    # the unmapped `note` column differs between the copies and is not compared
    path = _write(
        tmp_path,
        "timestamp,user_id,event,note\n"
        "2026-11-02T10:00:00Z,u1,a,first\n"
        "2026-11-02T10:00:00Z,u1,a,second\n"
        "2026-11-02T11:00:00Z,,a,x\n"
        "2026-11-02T11:00:00Z,,a,x\n"
        "2026-11-02T12:00:00Z,u2,b,y\n",
    )
    frame, codes = _read("events", path)
    assert frame.height == 3  # both copies kept; the two rows without a user dropped
    assert codes.count("duplicate_rows") == 1
    warnings = cm.load(events=path).warnings
    (repeat,) = [w for w in warnings if w.code == "duplicate_rows"]
    assert repeat.message.startswith(
        "events: 1 rows repeat another row in every mapped column; kept"
    )


def test_billing_repeats_name_invoice_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "invoice_id,account_id,amount,issued_at\n"
        "in_1,a1,10.00,2026-10-01\n"
        "in_1,a1,10.00,2026-10-01\n",
    )
    (repeat,) = [w for w in cm.load(billing=path).warnings if w.code == "duplicate_rows"]
    assert "invoice lines carry no line id" in repeat.message and "event_id" not in repeat.message


def test_an_id_value_holding_most_rows_is_named_with_the_line_that_drops_it(
    tmp_path: Path,
) -> None:
    # 300 events: 186 by the literal "NA" (62%), 114 by 114 distinct users
    rows = [f"2026-11-02T10:{i % 60:02d}:00Z,NA,view" for i in range(186)]
    rows += [f"2026-11-02T11:{i % 60:02d}:00Z,u{i},view" for i in range(114)]
    path = _write(tmp_path, "timestamp,user_id,event\n" + "\n".join(rows) + "\n")
    inputs = cm.load(events=path)
    (warning,) = [w for w in inputs.warnings if w.code == "dominant_value"]
    assert warning.count == 186
    assert warning.message == (
        "events: 'NA' holds 62% of the rows (186) in column 'user_id' (user_id), so they count "
        'as one user; if it means none (a placeholder), drop it with null_values = ["NA"] '
        "under [sources.events]"
    )
    # following the advice: the NA rows are missing users, dropped and counted
    fixed = cm.load(events=path, options={"events": {"null_values": ["NA"]}})
    assert fixed["events"].height == 114
    assert "dominant_value" not in {w.code for w in fixed.warnings}


def test_few_users_sharing_the_rows_are_not_a_dominant_value(tmp_path: Path) -> None:
    # 150 events of 3 users: each holds a third or more, but three users are just few users
    rows = [f"2026-11-02T10:{i % 60:02d}:00Z,u{i % 3},view" for i in range(150)]
    path = _write(tmp_path, "timestamp,user_id,event\n" + "\n".join(rows) + "\n")
    assert "dominant_value" not in {w.code for w in cm.load(events=path).warnings}


def test_amounts_that_look_like_cents_get_a_hint(tmp_path: Path) -> None:
    lines = pl.DataFrame(
        {
            "invoice_id": ["in_1", "in_2"],
            "account_id": ["a1", "a2"],
            "amount": [4900, 9900],  # an API's integer cents
            "issued_at": ["2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z"],
        }
    )
    path = tmp_path / "billing.parquet"
    lines.write_parquet(path)
    hints = [w.message for w in cm.load(billing=path).warnings if w.code == "amount_unit_hint"]
    assert hints == [
        "billing: column 'amount' (amount) holds whole numbers in an integer column; amounts are "
        'read as currency units. If they are cents, set amount_unit = "cents" under '
        "[sources.billing]"
    ]
    said = cm.load(billing=path, options={"billing": {"amount_unit": "cents"}})
    assert "amount_unit_hint" not in {w.code for w in said.warnings}
    assert said["billing"]["amount"].to_list()[0] == Decimal("49")
    text = _write(
        tmp_path,
        "invoice_id,account_id,amount_cents,issued_at\nin_1,a1,4900,2026-10-01\n",
        "billing.csv",
    )
    mapped = cm.load(billing=text, columns={"billing": {"amount": "amount_cents"}})
    assert [w.code for w in mapped.warnings if w.code == "amount_unit_hint"] == ["amount_unit_hint"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("$49.00", "a currency sign or code"),
        ("49.0 EUR", "a currency sign or code"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("(49.00)", "an accounting negative in parentheses; write it with a minus sign"),
        ("49 000.00", "spaces inside the number"),
    ],
)
def test_a_bad_amount_is_blamed_on_its_own_row_with_its_reason(
    tmp_path: Path, value: str, reason: str
) -> None:
    # rows 1-3 read with decimal points; row 4 is the bad one, whatever its reason
    path = tmp_path / "billing.csv"
    path.write_text(
        "invoice_id,account_id,amount,issued_at\n"
        "i1,a,10.00,2026-10-01\ni2,a,20.50,2026-10-01\ni3,b,1.234,2026-10-02\n"
        f"i4,b,{value},2026-10-02\n"
    )
    with pytest.raises(InputError) as error:
        cm.load(billing=str(path))
    message = str(error.value)
    assert f"row 4: billing column 'amount' (amount): cannot read {value!r}: {reason}" in message
