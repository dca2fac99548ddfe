"""Loading: formats, delimiters, timestamps, mapping, presets, folders and hive partitions."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from csmetrics.core.errors import InputError
from csmetrics.ingest.sources import SourceSpec, load_source
from csmetrics.ingest.sources.files import sniff_delimiter
from csmetrics.ingest.sources.quality import check_quality
from csmetrics.ingest.sources.read import load_and_assess, read_one


def _load(path: Path | str, **spec) -> pl.DataFrame:
    spec_ = SourceSpec("events", str(path), **spec)
    frame, quality = read_one(spec_)
    check_quality(load_source(spec_), quality)
    return frame.sort("timestamp")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-02T09:15:00Z", datetime(2026, 11, 2, 9, 15, tzinfo=UTC)),
        ("2026-11-02 09:15:00+01:00", datetime(2026, 11, 2, 8, 15, tzinfo=UTC)),
        ("2026-11-02 09:15:00", datetime(2026, 11, 2, 9, 15, tzinfo=UTC)),
        ("2026-11-02T09:15:00.250", datetime(2026, 11, 2, 9, 15, 0, 250000, tzinfo=UTC)),
        ("2026-11-02", datetime(2026, 11, 2, tzinfo=UTC)),
        ("1762074900", datetime(2025, 11, 2, 9, 15, tzinfo=UTC)),  # epoch seconds
        (
            "1762074900123",
            datetime(2025, 11, 2, 9, 15, 0, 123000, tzinfo=UTC),
        ),  # epoch milliseconds
    ],
)
def test_timestamp_forms(tmp_path: Path, text: str, expected: datetime) -> None:
    path = tmp_path / "ev.csv"
    path.write_text(f"timestamp,user_id,event\n{text},u1,login\n")
    assert _load(path)["timestamp"].item() == expected


def test_source_timezone_applies_to_naive_values_only(tmp_path: Path) -> None:
    path = tmp_path / "ev.csv"
    path.write_text(
        "timestamp,user_id,event\n2026-07-01 12:00:00,u1,a\n2026-07-01T12:00:00Z,u2,b\n"
    )
    frame = _load(path, source_timezone="Europe/Paris")
    # naive 12:00 in Paris (CEST, +02:00) is 10:00 UTC; the Z value stays 12:00 UTC
    assert frame["timestamp"].to_list() == [
        datetime(2026, 7, 1, 10, tzinfo=UTC),
        datetime(2026, 7, 1, 12, tzinfo=UTC),
    ]


def test_ids_stay_strings(tmp_path: Path) -> None:
    path = tmp_path / "ev.csv"
    path.write_text("timestamp,user_id,event\n2026-11-02,00123,login\n")
    assert _load(path)["user_id"].item() == "00123"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed_and_bom_ignored(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "ev.csv"
    text = (
        delimiter.join(["timestamp", "user_id", "event"])
        + "\n"
        + delimiter.join(["2026-11-02", "u1", "a b"])
        + "\n"
    )
    path.write_bytes("\ufeff".encode() + text.encode())
    assert _load(path)["event"].item() == "a b"


def test_sniff_prefers_the_splitting_delimiter() -> None:
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter("only") == ","


def test_header_case_insensitive_and_nested_fields(tmp_path: Path) -> None:
    path = tmp_path / "ev.jsonl"
    path.write_text('{"Event": "x", "props": {"who": "u1"}, "TIMESTAMP": "2026-11-02"}\n')
    frame = _load(path, columns={"user_id": "props.who"})
    assert frame.select("user_id", "event").row(0) == ("u1", "x")


def test_segment_preset_coalesces_anonymous_ids(tmp_path: Path) -> None:
    path = tmp_path / "segment.csv"
    path.write_text(
        "userId,anonymousId,event,timestamp,messageId\nu1,,a,2026-11-02T10:00:00Z,m1\n,anon9,a,2026-11-02T11:00:00Z,m2\n"
    )
    frame = _load(path, preset="segment")
    assert frame["user_id"].to_list() == ["u1", "anon9"]


def test_user_mapping_wins_over_preset(tmp_path: Path) -> None:
    path = tmp_path / "amp.csv"
    path.write_text(
        "user_id,device_id,event_type,event_time,other\nu1,d1,a,2021-12-09 00:45:29.430000,x9\n"
    )
    frame = _load(path, preset="amplitude", columns={"user_id": "other"})
    assert frame["user_id"].item() == "x9"
    assert frame["timestamp"].item() == datetime(2021, 12, 9, 0, 45, 29, 430000, tzinfo=UTC)


def test_folder_with_hive_partitions(tmp_path: Path) -> None:
    for day in ("2026-11-01", "2026-11-02"):
        folder = tmp_path / "events" / f"date={day}"
        folder.mkdir(parents=True)
        pl.DataFrame(
            {"timestamp": [f"{day}T10:00:00Z"], "user_id": ["u1"], "event": ["a"]}
        ).write_csv(folder / "part.csv")
    source = load_source(SourceSpec("events", str(tmp_path / "events")))
    assert len(source.files) == 2
    assert read_one(source.spec)[0].height == 2


def test_folder_of_mixed_formats_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("timestamp,user_id,event\n2026-11-02,u1,a\n")
    pl.DataFrame({"timestamp": ["2026-11-02"], "user_id": ["u1"], "event": ["a"]}).write_parquet(
        tmp_path / "b.parquet"
    )
    with pytest.raises(InputError, match="several formats"):
        load_source(SourceSpec("events", str(tmp_path)))


def test_only_needed_columns_are_read(tmp_path: Path) -> None:
    path = tmp_path / "ev.parquet"
    pl.DataFrame(
        {"timestamp": ["2026-11-02"], "user_id": ["u1"], "event": ["a"], "huge": ["x" * 10]}
    ).write_parquet(path)
    needed = {"timestamp", "user_id", "event"}
    source = load_source(SourceSpec("events", str(path)), needed=needed)
    assert set(read_one(source.spec, needed)[0].columns) == needed
    assert "huge" not in source.staged.explain()  # projection pushed into the Parquet scan


def test_decimal_comma_amounts(tmp_path: Path) -> None:
    path = tmp_path / "bill.csv"
    path.write_text(
        "invoice_id;account_id;amount;issued_at\ni1;a1;104,40;2026-11-02\ni2;a1;-5;2026-11-02\n"
    )
    source = load_source(SourceSpec("billing", str(path)))
    amounts = read_one(source.spec)[0].sort("invoice_id")["amount"].to_list()
    assert amounts == [Decimal("104.40"), Decimal("-5")]  # exact: money is never a float


def test_cents_unit(tmp_path: Path) -> None:
    path = tmp_path / "bill.csv"
    path.write_text("id,customer_id,total,date\ni1,c1,4990,1762074900\n")
    source = load_source(SourceSpec("billing", str(path), preset="chargebee"))
    assert read_one(source.spec)[0]["amount"].item() == Decimal("49.90")  # 4990 cents


def test_layout_from_sample_and_fallback_for_mixed_files(tmp_path: Path) -> None:
    # The first 2,000 rows share one layout, then other ISO forms appear: the second read with
    # the general parser must still read them all.
    lines = [f"2026-11-02T09:{i % 60:02d}:00Z,u{i},login" for i in range(2500)]
    lines += ["2026-11-03 10:00:00+01:00,u1,login", "2026-11-04,u2,login", "1762074900,u3,login"]
    path = tmp_path / "ev.csv"
    path.write_text("timestamp,user_id,event\n" + "\n".join(lines) + "\n")
    source = load_source(SourceSpec("events", str(path)))
    assert source.layouts == {"timestamp": "%Y-%m-%dT%H:%M:%SZ"}
    sources, _, qualities, _ = load_and_assess({"events": (SourceSpec("events", str(path)), None)})
    assert sources["events"].layouts == {}  # read again with the general parser
    assert qualities["events"]["timestamp__invalid"] == 0
    assert qualities["events"]["last"] == datetime(2026, 11, 4, tzinfo=UTC)


def test_repeated_event_ids_keep_the_first_copy(tmp_path: Path) -> None:
    # e1 three times and e2 twice, the copies differing: the first row of each id stays
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,timestamp,user_id,event\n"
        "e1,2026-11-02T10:00:00Z,u1,first\n"
        "e2,2026-11-02T11:00:00Z,u2,first\n"
        "e1,2026-11-02T12:00:00Z,u3,second\n"
        "e3,2026-11-02T13:00:00Z,u4,only\n"
        "e2,2026-11-02T09:00:00Z,u5,second\n"
        "e1,2026-11-02T08:00:00Z,u6,third\n"
    )
    frame, quality = read_one(SourceSpec("events", str(path)), {"event_id", "event"})
    kept = dict(zip(frame["event_id"], frame["event"], strict=True))
    assert kept == {"e1": "first", "e2": "first", "e3": "only"}
    assert quality["duplicates"] == 3  # 6 rows - 3 distinct ids


def test_no_repeated_event_ids_drops_nothing(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,timestamp,user_id,event\ne1,2026-11-02T10:00:00Z,u1,a\ne2,2026-11-02T11:00:00Z,u1,b\n"
    )
    frame, quality = read_one(SourceSpec("events", str(path)), {"event_id"})
    assert (frame.height, quality["duplicates"]) == (2, 0)


def test_presets_fall_back_to_canonical_names(tmp_path: Path) -> None:
    # Zendesk's API JSON has created_at (not "Created at"); Chargebee's a currency column
    tickets = tmp_path / "tickets.jsonl"
    tickets.write_text('{"Id": "t1", "created_at": "2026-11-02T10:00:00Z"}\n')
    frame, _ = read_one(SourceSpec("tickets", str(tickets), preset="zendesk"))
    assert frame["created_at"].item() == datetime(2026, 11, 2, 10, tzinfo=UTC)
    billing = tmp_path / "invoices.csv"
    billing.write_text("id,customer_id,total,date,currency\ni1,c1,4990,1762074900,EUR\n")
    frame, _ = read_one(SourceSpec("billing", str(billing), preset="chargebee"))
    assert frame["currency"].item() == "EUR"


def test_vendor_event_ids_are_used_for_dedup(tmp_path: Path) -> None:
    # PostHog exports name the event id "id" in some layouts, Amplitude "uuid"
    posthog = tmp_path / "posthog.csv"
    posthog.write_text(
        "id,event,distinct_id,timestamp\ne1,a,u1,2026-11-02T10:00:00Z\ne1,a,u1,2026-11-02T10:00:00Z\n"
    )
    frame, quality = read_one(SourceSpec("events", str(posthog), preset="posthog"))
    assert (frame.height, quality["duplicates"]) == (1, 1)
    amplitude = tmp_path / "amplitude.csv"
    amplitude.write_text(
        "uuid,user_id,event_type,event_time\nx1,u1,a,2021-12-09 00:45:29\nx1,u1,a,2021-12-09 00:45:29\n"
    )
    frame, quality = read_one(SourceSpec("events", str(amplitude), preset="amplitude"))
    assert (frame.height, quality["duplicates"]) == (1, 1)


def test_mixpanel_dedups_on_insert_id_with_event_user_and_time(tmp_path: Path) -> None:
    # Mixpanel's $insert_id is unique only together with event, distinct_id and time: of five
    # rows sharing "x", only the exact repeat (row 2) is a duplicate
    path = tmp_path / "mixpanel.jsonl"
    path.write_text(
        '{"event": "a", "properties": {"distinct_id": "u1", "time": 1762074900, "$insert_id": "x"}}\n'
        '{"event": "a", "properties": {"distinct_id": "u1", "time": 1762074900, "$insert_id": "x"}}\n'
        '{"event": "b", "properties": {"distinct_id": "u1", "time": 1762074900, "$insert_id": "x"}}\n'
        '{"event": "a", "properties": {"distinct_id": "u2", "time": 1762074900, "$insert_id": "x"}}\n'
        '{"event": "a", "properties": {"distinct_id": "u1", "time": 1793610900, "$insert_id": "x"}}\n'
    )
    frame, quality = read_one(SourceSpec("events", str(path), preset="mixpanel"))
    assert (frame.height, quality["duplicates"]) == (4, 1)
    assert quality["duplicates_by"] == "event_id (with event, user_id, timestamp)"


def test_ticket_history_keeps_the_latest_version(tmp_path: Path) -> None:
    # a history export lists ticket t1 once per change: the last row is the ticket as it is
    path = tmp_path / "tickets.csv"
    path.write_text(
        "ticket_id,created_at,status,solved_at\n"
        "t1,2026-11-02T10:00:00Z,new,\n"
        "t2,2026-11-02T11:00:00Z,open,\n"
        "t1,2026-11-02T10:00:00Z,pending,\n"
        "t1,2026-11-02T10:00:00Z,solved,2026-11-03T09:00:00Z\n"
    )
    frame, quality = read_one(SourceSpec("tickets", str(path)))
    latest = {r["ticket_id"]: r["status"] for r in frame.iter_rows(named=True)}
    assert latest == {"t1": "solved", "t2": "open"}
    assert quality["duplicates"] == 2


def test_known_layouts_are_detected_from_their_headers(tmp_path: Path) -> None:
    from csmetrics.ingest.sources.mapping import detect_preset

    def schema(*names: str) -> pl.Schema:
        return pl.Schema(dict.fromkeys(names, pl.String))

    segment = schema("messageId", "userId", "anonymousId", "event", "timestamp")
    amplitude = schema("user_id", "device_id", "event_type", "event_time", "session_id")
    zendesk = schema("Summation column", "Id", "Created at", "Solved at", "Via", "Status")
    stripe = schema("id", "Customer", "Subtotal", "Date (UTC)", "Currency", "Status")
    assert detect_preset("events", segment) == "segment"
    assert detect_preset("events", amplitude) == "amplitude"
    assert detect_preset("tickets", zendesk) == "zendesk"
    assert detect_preset("billing", stripe) == "stripe"
    # canonical headers need no preset; an unknown layout matches none
    assert detect_preset("events", schema("timestamp", "user_id", "event")) is None
    assert detect_preset("events", schema("foo", "bar")) is None


def test_detected_preset_is_used_and_said(tmp_path: Path) -> None:
    path = tmp_path / "segment.csv"
    path.write_text(
        "messageId,userId,anonymousId,event,timestamp\n"
        "m1,u1,,login,2026-10-02T10:00:00Z\nm2,,anon9,login,2026-10-03T10:00:00Z\n"
    )
    spec = SourceSpec("events", str(path))
    frame, quality = read_one(spec)
    assert sorted(frame["user_id"].to_list()) == ["anon9", "u1"]
    notes = check_quality(load_source(spec), quality)
    assert any(w.code == "preset_detected" and "segment" in w.message for w in notes)


def test_zendesk_ticket_metrics_api(tmp_path: Path) -> None:
    # ticket_metrics rows have their own id; durations are {calendar, business} objects
    path = tmp_path / "ticket_metrics.jsonl"
    path.write_text(
        '{"id": 9001, "ticket_id": 101, "created_at": "2026-10-02T09:00:00Z", '
        '"solved_at": "2026-10-02T12:00:00Z", "replies": 1, "reopens": 0, '
        '"reply_time_in_minutes": {"calendar": 30, "business": 20}, '
        '"full_resolution_time_in_minutes": {"calendar": 180, "business": 120}}\n'
    )
    frame, _ = read_one(SourceSpec("tickets", str(path), preset="zendesk"))
    row = frame.row(0, named=True)
    assert row["ticket_id"] == "101"
    assert (row["first_response_minutes"], row["resolution_minutes"]) == (30, 180)


def test_json_documents_and_zip_archives(tmp_path: Path) -> None:
    import gzip
    import json
    import zipfile

    records = [
        {"id": 101, "created_at": "2026-10-02T09:00:00Z"},
        {"id": 102, "created_at": "2026-10-03T10:00:00Z"},
    ]
    page = tmp_path / "tickets_page.json"  # an API page: {"tickets": [...], "next_page": ...}
    page.write_text(json.dumps({"tickets": records, "next_page": None, "count": 2}))
    pretty = tmp_path / "tickets_array.json"  # a pretty-printed array
    pretty.write_text(json.dumps(records, indent=2))
    for path in (page, pretty):
        frame, _ = read_one(SourceSpec("tickets", str(path), preset="zendesk"))
        assert sorted(frame["ticket_id"].to_list()) == ["101", "102"], path.name
    # Amplitude's export: a zip of gzipped JSON-lines files, one per hour
    archive = tmp_path / "amplitude.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for hour, user in (("00", "u1"), ("01", "u2")):
            line = {
                "user_id": user,
                "event_type": "login",
                "event_time": f"2026-10-02 {hour}:00:00",
            }
            bundle.writestr(
                f"123/123_2026-10-02_{hour}#0.json.gz", gzip.compress(json.dumps(line).encode())
            )
    frame, _ = read_one(SourceSpec("events", str(archive), preset="amplitude"))
    assert sorted(frame["user_id"].to_list()) == ["u1", "u2"]


def test_a_record_holding_a_list_is_not_an_api_page(tmp_path: Path) -> None:
    # Stripe invoice objects as JSON lines carry lists of objects (total_tax_amounts): each
    # line stays one record
    import json

    path = tmp_path / "invoices.json"
    line = {"object": "invoice", "id": "in_1", "customer": "cus_A", "subtotal": 4990,
            "created": 1790935200, "total_tax_amounts": [{"amount": 948, "inclusive": False}]}  # fmt: skip
    path.write_text(json.dumps(line) + "\n" + json.dumps({**line, "id": "in_2"}) + "\n")
    frame, _ = read_one(SourceSpec("billing", str(path), preset="stripe_api"))
    assert sorted(frame["invoice_id"].to_list()) == ["in_1", "in_2"]


def test_segment_warehouse_table_is_detected_despite_canonical_names(tmp_path: Path) -> None:
    # warehouse tables use user_id, event and timestamp (canonical names) but also
    # anonymous_id and context_group_id: read as Segment, the anonymous user and account count
    path = tmp_path / "tracks.csv"
    path.write_text(
        "id,user_id,anonymous_id,event,timestamp,context_group_id\n"
        "m1,u1,a1,login,2026-10-02T10:00:00Z,g1\n"
        "m2,,a9,login,2026-10-03T10:00:00Z,g2\n"
    )
    frame, _ = read_one(SourceSpec("events", str(path)))
    assert sorted(frame["user_id"].to_list()) == ["a9", "u1"]
    assert sorted(frame["account_id"].to_list()) == ["g1", "g2"]


def test_api_pages_of_chargebee_and_intercom_and_gz_without_a_format_name(tmp_path: Path) -> None:
    import gzip
    import json

    chargebee = tmp_path / "invoices.json"
    chargebee.write_text(json.dumps({
        "list": [{"invoice": {"id": "cb_1", "customer_id": "cA", "total": 4990,
                              "date": 1790935200, "currency_code": "EUR"}}],
        "next_offset": None,
    }))  # fmt: skip
    frame, _ = read_one(SourceSpec("billing", str(chargebee), preset="chargebee"))
    assert frame["amount"].to_list() == [Decimal("49.9")]  # cents
    intercom = tmp_path / "conversations.json"
    intercom.write_text(json.dumps({
        "type": "conversation.list", "pages": {"page": 1},
        "conversations": [{"id": "301", "created_at": 1790931600, "state": "open"}],
    }))  # fmt: skip
    frame, _ = read_one(SourceSpec("tickets", str(intercom), preset="intercom"))
    assert frame["ticket_id"].to_list() == ["301"]
    # Segment's S3 archive files are gzipped JSON lines named like 1790935200000.4d0e.gz
    folder = tmp_path / "segment"
    folder.mkdir()
    line = {
        "messageId": "m1",
        "userId": "u1",
        "event": "login",
        "timestamp": "2026-10-02T10:00:00Z",
    }
    (folder / "1790935200000.4d0e.gz").write_bytes(gzip.compress(json.dumps(line).encode()))
    frame, _ = read_one(SourceSpec("events", str(folder)))
    assert frame["user_id"].to_list() == ["u1"]


def test_a_canonical_file_with_a_row_id_is_not_a_vendor_export() -> None:
    from csmetrics.ingest.sources.mapping import detect_preset

    names = ("id", "event_id", "timestamp", "user_id", "account_id", "event")
    assert detect_preset("events", pl.Schema(dict.fromkeys(names, pl.String))) is None
