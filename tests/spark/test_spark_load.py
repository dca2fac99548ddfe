"""The Spark loader keeps the Polars loader's contract: mapping, time formats, checks, warnings
and errors; and the ways of handing events to Spark (a path, a Spark DataFrame, a session)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.errors import InputError
from tests.spark.compare import assert_same_report

WINDOW = {"since": "2026-11-02", "until": "2026-11-05"}
HEADER = "event_id,timestamp,user_id,event,account_id,session_id\n"
ROWS = [
    "e1,2026-11-02T09:00:00Z,u1,login,a1,",
    "e1,2026-11-02T09:00:00Z,u1,login,a1,",  # a repeated event id: dropped, counted
    "e2,2026-11-02 10:00:00,u1,report,a1,",  # no offset: the source's time zone
    "e3,1762160400000,u2,login,a2,",  # epoch milliseconds: 2026-11-03T09:00:00Z
    "e4,2026-11-03T09:30:00+01:00,u2,report,a2,",
    "e5,2026-11-04T12:00:00Z,,login,a2,",  # no user: dropped, counted
    "e6,2026-11-04T13:00:00Z,u3,login,NA,",  # NA: a null token given below
    "e7,2026-11-06T10:00:00Z,u4,login,a1,",  # after the window
    "e8,1900-01-01 00:00:00,u5,login,a1,",  # a spreadsheet's zero date: missing, counted
    "e9,0000-00-00 00:00:00,u5,login,a1,",  # a database's zero date: the same
]


def _write(folder: Path, rows: list[str] = ROWS, header: str = HEADER) -> Path:
    path = folder / "events.csv"
    path.write_text(header + "\n".join(rows) + "\n")
    return path


def test_spark_reads_like_polars(tmp_path: Path, spark: Any) -> None:
    path = _write(tmp_path)
    options = {"events": {"null_values": ["NA"], "source_timezone": "Europe/Paris"}}
    on_spark = cm.load(events=path, options=options, engine=spark)
    on_polars = cm.load(events=path, options=options, engine="polars")
    spark_events, polars_events = on_spark.sources["events"], on_polars.sources["events"]
    assert spark_events.rows == polars_events.rows == 10
    assert (spark_events.first, spark_events.last) == (polars_events.first, polars_events.last)
    # session_id has no value in any row: treated as absent by both, with the same warning
    assert spark_events.columns == polars_events.columns
    assert [w.message for w in spark_events.warnings] == [w.message for w in polars_events.warnings]
    codes = [w.code for w in spark_events.warnings]
    assert {"duplicate_rows", "missing_value", "empty_column", "zero_dates"} <= set(codes)
    assert_same_report(
        cm.engagement(on_spark, **WINDOW, timezone="Europe/Paris"),
        cm.engagement(on_polars, **WINDOW, timezone="Europe/Paris"),
    )


def test_exact_duplicates_without_event_ids_are_counted_and_kept(tmp_path: Path, spark) -> None:
    rows = [r.split(",", 1)[1] for r in ROWS[:2]]
    path = _write(tmp_path, rows, "timestamp,user_id,event,account_id,session_id\n")
    warnings = cm.load(events=path, engine=spark).sources["events"].warnings
    expected = cm.load(events=path, engine="polars").sources["events"].warnings
    assert [w.message for w in warnings] == [w.message for w in expected]
    assert any("1 rows repeat another row in every mapped column" in w.message for w in warnings)


def test_preset_headers_are_mapped(tmp_path: Path, spark: Any) -> None:
    path = tmp_path / "segment.csv"
    path.write_text(
        "messageId,timestamp,userId,event,context.groupId\n"
        "m1,2026-11-02T09:00:00Z,u1,Login,g1\n"
        "m2,2026-11-03T09:00:00Z,u2,Login,g1\n"
    )
    on_spark = cm.load(events=path, engine=spark)
    on_polars = cm.load(events=path, engine="polars")
    assert on_spark.sources["events"].preset == on_polars.sources["events"].preset
    assert_same_report(cm.engagement(on_spark, **WINDOW), cm.engagement(on_polars, **WINDOW))


def test_unreadable_time_is_one_error_naming_file_column_and_value(tmp_path, spark) -> None:
    path = _write(tmp_path, [*ROWS, "e9,next tuesday,u1,login,a1,"])
    with pytest.raises(InputError) as error:
        cm.load(events=path, engine=spark)
    message = str(error.value)
    assert str(path) in message and "'timestamp'" in message and "'next tuesday'" in message


def test_missing_column_lists_what_to_map(tmp_path: Path, spark: Any) -> None:
    path = _write(tmp_path, ["2026-11-02T09:00:00Z,u1"], "time,user\n")
    with pytest.raises(InputError, match=r"--map events\.timestamp=HEADER"):
        cm.load(events=path, engine=spark)


def test_a_spark_dataframe_and_a_hive_folder(tmp_path: Path, spark: Any) -> None:
    path = _write(tmp_path)
    frame = spark.read.option("header", True).csv(str(path))
    from_frame = cm.load(events=frame, options={"events": {"null_values": ["NA"]}})
    assert from_frame.sources["events"].spark is not None
    assert from_frame.sources["events"].label == "events (Spark DataFrame)"
    folder = tmp_path / "lake"
    for day in ("2026-11-02", "2026-11-03"):
        part = folder / f"day={day}"
        part.mkdir(parents=True)
        (
            pl.read_csv(path, null_values=["NA", ""])
            .filter(pl.col("timestamp").str.starts_with(day))
            .write_parquet(part / "part-0.parquet")
        )
    hive = cm.load(events=str(folder), engine=spark)
    # 11-02: e1 twice and e2; 11-03: e4 (e3's epoch text starts with no date)
    assert hive.sources["events"].rows == 4
    expected = cm.load(events=str(folder), engine="polars")
    assert_same_report(cm.engagement(hive, **WINDOW), cm.engagement(expected, **WINDOW))


def test_session_time_zone_is_restored(tmp_path: Path, spark: Any) -> None:
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        report = cm.engagement(cm.load(events=_write(tmp_path), engine=spark), **WINDOW)
        assert spark.conf.get("spark.sql.session.timeZone") == "America/New_York"
        expected = cm.engagement(cm.load(events=_write(tmp_path), engine="polars"), **WINDOW)
        assert_same_report(report, expected)
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")


def test_in_memory_frames_go_to_spark(spark: Any) -> None:
    frame = pl.DataFrame(
        {
            "timestamp": ["2026-11-02T09:00:00Z", "2026-11-03T09:00:00Z"],
            "user_id": ["u1", "u2"],
            "event": ["login", "login"],
        }
    )
    inputs = cm.load(events=frame, engine=spark)
    assert inputs.sources["events"].spark is not None
    assert cm.engagement(inputs, **WINDOW).metrics["engagement.active_users"] == 2


def test_a_presets_words_are_read_alike_on_both_engines(
    tmp_path: Path, spark: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one mapping plan for both readers: a preset's words (here an export's "Sign Up" label for
    # the canonical signed_up) apply on Spark as on Polars, without case or stray spaces
    from csmetrics.ingest.sources.presets import PRESETS, Preset

    words = Preset("events", {"user_id": "who"}, words={"event": {"sign up": "signed_up"}})
    monkeypatch.setitem(PRESETS, "labelled", words)
    path = tmp_path / "labelled.csv"
    path.write_text(
        "timestamp,who,event\n2026-11-02T09:00:00Z,u1, Sign Up \n2026-11-03T09:00:00Z,u1,Login\n"
    )
    preset = {"events": "labelled"}
    on_spark = cm.load(events=path, preset=preset, engine=spark)
    on_polars = cm.load(events=path, preset=preset, engine="polars")
    events = [row["event"] for row in on_spark.sources["events"].spark.select("event").collect()]
    assert sorted(events) == ["Login", "signed_up"]
    assert sorted(on_polars["events"]["event"].cast(pl.String).to_list()) == ["Login", "signed_up"]
    assert_same_report(cm.engagement(on_spark, **WINDOW), cm.engagement(on_polars, **WINDOW))
